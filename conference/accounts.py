"""allauth's account e-mails the Accord way: links on ``SITE_URL``, sent by the worker, never in the request.

``AccountAdapter`` (``ACCOUNT_ADAPTER``) renders each message with allauth's templates in the active language,
then stores it for ``conference.tasks.send_outgoing_email_task`` (queued after commit): a password-reset page
therefore answers the same for a known and an unknown address, whether the SMTP server is up or down.

Every link in those e-mails is on ``settings.SITE_URL``: the reset and verification URLs are built on it, the
site shown in the templates is the configured one, and any other absolute URL that allauth built on the
request's ``Host`` (an allowed alias such as ``localhost``) is moved onto it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from .mail import build_message, outgoing_email_queue


@dataclass(frozen=True)
class ConfiguredSite:
    """What allauth's templates read as ``current_site``: the public address, not the request's Host."""

    domain: str
    name: str


def site_url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def configured_site() -> ConfiguredSite:
    return ConfiguredSite(domain=urlsplit(settings.SITE_URL).netloc, name="Accord")


def rebase_on_site_url(value, request_origin: str | None):
    """``value`` with ``request_origin`` (``scheme://host`` of the request) replaced by ``SITE_URL``."""
    if not isinstance(value, str) or not request_origin or not value.startswith(request_origin):
        return value
    rest = value[len(request_origin):]
    if rest and rest[0] not in "/?#":
        return value  # another host that merely starts with the same characters
    return site_url(rest)


class AccountAdapter(DefaultAccountAdapter):
    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_url(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return site_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's rendering, then the message rebuilt by the one builder (headers cleaned)."""
        message = super().render_mail(template_prefix, email, context, headers=headers)
        alternatives = getattr(message, "alternatives", [])
        html = next((content for content, mimetype in alternatives if mimetype == "text/html"), None)
        text = message.body
        if message.content_subtype == "html":  # allauth found no plain-text template
            html, text = message.body, strip_tags(message.body)
        return build_message(
            subject=message.subject, text=text, html=html, to=message.to, from_email=message.from_email,
            language=translation.get_language() or settings.LANGUAGE_CODE, headers=headers,
        )

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render now (this request's language), send later: the row is queued for the worker after commit."""
        request = self.request
        origin = request.build_absolute_uri("/").rstrip("/") if request is not None else None
        ctx = {"email": email, **context}
        ctx = {key: rebase_on_site_url(value, origin) for key, value in ctx.items()}
        ctx["current_site"] = configured_site()
        ctx["request"] = request
        message = self.render_mail(template_prefix, email, ctx)
        outgoing_email_queue(message, template=template_prefix)
