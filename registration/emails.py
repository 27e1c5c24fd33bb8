"""Building the e-mails of registration: HTML and plain text, in the recipient's language.

Pure builders: they render and return an ``EmailMultiAlternatives``; the services send and record it.
Links are absolute on ``settings.SITE_URL`` (never a request's Host header).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from conference import languages
from conference.enums import EmailKind
from conference.mail import build_message
from conference.models import localized
from conference.selectors import conference_email_text
from conference.zones import zone_label_lazy

from .models import Invitation, ParticipantNotice


def site_url(path: str) -> str:
    """An absolute URL on the configured public address."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def invitation_link(token: str) -> str:
    return site_url(reverse("registration:invitation", kwargs={"token": token}))


def registration_link() -> str:
    for name in ("registration:register", "home"):
        try:
            return site_url(reverse(name))
        except NoReverseMatch:
            continue
    return site_url("/")


def build_email(
    template: str, context: dict, *, subject: str, to: str, language: str, reply_to: str | None = None,
    kind: str | None = None,
) -> EmailMultiAlternatives:
    """Render ``email/<template>.txt`` and ``.html`` in ``language`` into a two-part message.

    With ``kind`` (an ``EmailKind``), the organizers' ``EmailText`` for ``context["conference"]`` (one query)
    replaces the subject when it has one and puts their message at the top, as ``organizer_message``.
    """
    language = languages.supported(language)
    organizer_message = ""
    if kind is not None:
        custom_subject, organizer_message = conference_email_text(context.get("conference"), kind, language)
        subject = custom_subject or subject
    with translation.override(language):
        context = {
            **context,
            "language": language,
            "direction": languages.direction(language),
            "SITE_URL": settings.SITE_URL,
            "organizer_message": organizer_message,
        }
        text = render_to_string(f"email/{template}.txt", context)
        html = render_to_string(f"email/{template}.html", context)
    # The one builder: every header value on one line, whatever the conference's texts hold.
    return build_message(subject=subject, text=text, html=html, to=[to], reply_to=reply_to, language=language)


def invitation_email(invitation: Invitation, token: str) -> EmailMultiAlternatives:
    """The invitation with its single-use link carrying ``token`` (the raw token exists only here)."""
    conference = invitation.conference
    language = invitation.language
    with translation.override(language):
        conference_name = localized(conference, "name", language)
        subject = _("Invitation: %(conference)s") % {"conference": conference_name}
        delegation_name = invitation.delegation.display_name(language) if invitation.delegation else ""
        category = invitation.get_category_display()
    tz = conference.tz
    context = {
        "invitation": invitation,
        "conference": conference,
        "conference_name": conference_name,
        "conference_venue": localized(conference, "venue", language),
        "conference_city": localized(conference, "city", language),
        "delegation_name": delegation_name,
        "category": category,
        "name": " ".join(p for p in (invitation.first_name, invitation.last_name) if p),
        "link": invitation_link(token),
        "expires_at": invitation.expires_at.astimezone(tz),
        "time_zone": zone_label_lazy(conference.time_zone),
    }
    return build_email(
        "invitation", context, subject=subject, to=invitation.email, language=language,
        reply_to=conference.contact_email or None, kind=EmailKind.INVITATION,
    )


def decision_email(notice: ParticipantNotice) -> EmailMultiAlternatives:
    """The e-mail telling a participant of a decision (approval, rejection with reason, cancellation)."""
    participant = notice.participant
    conference = participant.conference
    language = participant.preferred_language
    with translation.override(language):
        conference_name = localized(conference, "name", language)
        subjects = {
            ParticipantNotice.Kind.APPROVED: _("Your registration is approved: %(conference)s"),
            ParticipantNotice.Kind.REJECTED: _("Your registration was not approved: %(conference)s"),
            ParticipantNotice.Kind.CANCELLED: _("Your registration is cancelled: %(conference)s"),
        }
        subject = subjects[notice.kind] % {"conference": conference_name}
        delegation_name = participant.delegation.display_name(language) if participant.delegation else ""
    context = {
        "participant": participant,
        "name": participant.printed_name,
        "conference": conference,
        "conference_name": conference_name,
        "conference_venue": localized(conference, "venue", language),
        "conference_city": localized(conference, "city", language),
        "delegation_name": delegation_name,
        "reason": notice.reason,
        "link": registration_link(),
    }
    return build_email(
        f"decision_{notice.kind}", context, subject=subject, to=participant.email, language=language,
        reply_to=conference.contact_email or None, kind=f"decision_{notice.kind}",
    )
