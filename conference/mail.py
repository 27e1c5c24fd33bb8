"""The one builder of every e-mail Accord sends, the faults worth a retry, and the account outbox.

``build_message`` is the only place that makes an ``EmailMultiAlternatives``: the apps render their templates
and hand it the parts. It cleans every header value (line breaks, tabs and other control characters become a
space), so a title or a name stored before the input validators existed can never stop a send with Django's
``BadHeaderError``.

The sending tasks share one retry policy (``conference.retry.SMTP_RETRY_POLICY``); ``is_transient`` tells a
fault worth retrying (connection refused, time-out, 4xx) from one that no retry will cure (5xx, a message that
cannot be built), which the services record as failed at once.

Account e-mails (allauth's reset, verification, notices) are rendered in the request by
``conference.accounts.AccountAdapter``, stored as an ``OutgoingEmail`` and sent by a task after commit:
``outgoing_email_queue`` and ``outgoing_email_send`` below.
"""

from __future__ import annotations

import logging
import re
from email.utils import formataddr, parseaddr
from smtplib import SMTPRecipientsRefused, SMTPResponseException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from .retry import SEND_ERRORS
from .tasks import send_outgoing_email_task

logger = logging.getLogger(__name__)

# C0 (CR, LF and TAB included), DEL, C1, and the Unicode line and paragraph separators.
_HEADER_BLANKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029 ]+")


def clean_header(value) -> str:
    """``value`` as one line: every run of control characters and ordinary spaces becomes one space (no-break
    spaces, such as French typography's U+202F before a colon, stay)."""
    return _HEADER_BLANKS.sub(" ", str(value or "")).strip(" ")


def clean_address(value: str) -> str:
    """An address header value (``Name <a@b>`` or ``a@b``) on one line, its display name cleaned."""
    name, address = parseaddr(clean_header(value))
    if not address:
        return clean_header(value)
    return formataddr((clean_header(name), address)) if name else address


def build_message(
    *,
    subject: str,
    text: str,
    to: list[str] | str,
    html: str | None = None,
    from_email: str | None = None,
    reply_to: list[str] | str | None = None,
    language: str | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """A plain-text message (with ``html`` as alternative) whose every header value is on one line."""
    to = [to] if isinstance(to, str) else list(to)
    reply_to = [reply_to] if isinstance(reply_to, str) else list(reply_to or [])
    all_headers = {"Auto-Submitted": "auto-generated"}
    if language:
        all_headers["Content-Language"] = language
    all_headers.update(headers or {})
    message = EmailMultiAlternatives(
        subject=clean_header(subject),
        body=text,
        from_email=clean_address(from_email or settings.DEFAULT_FROM_EMAIL),
        to=[clean_address(address) for address in to],
        reply_to=[clean_address(address) for address in reply_to if address] or None,
        headers={clean_header(name): clean_header(value) for name, value in all_headers.items()},
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def is_transient(exc: BaseException) -> bool:
    """A fault a later try may cure: network errors, time-outs and 4xx answers; not 5xx, not a bad message."""
    if isinstance(exc, SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return any(code < 500 for code in codes)
    if isinstance(exc, SMTPResponseException):
        return exc.smtp_code < 500
    return isinstance(exc, SEND_ERRORS)


def is_permanent(exc: BaseException) -> bool:
    """A fault no retry cures and that must be recorded (a database fault is neither: it propagates)."""
    return isinstance(exc, Exception) and not is_transient(exc) and not isinstance(exc, DatabaseError)


def describe_error(exc: BaseException) -> str:
    """The text recorded for organizers: the exception's class and message."""
    return f"{type(exc).__name__}: {exc}"[:2000]


# --- The account outbox (allauth's e-mails) ------------------------------------------------------------------


def outgoing_email_queue(message: EmailMultiAlternatives, *, template: str) -> int:
    """Store ``message`` (one recipient) as an ``OutgoingEmail`` and queue its sending after commit.

    Returns the row's id. Nothing here talks to the SMTP server, so the web request answers the same whether
    it is up or down.
    """
    from .models import OutgoingEmail

    html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), "")
    row = OutgoingEmail.objects.create(
        template=template[:100],
        to=message.to[0],
        subject=message.subject,
        text=message.body,
        html=html,
        language=message.extra_headers.get("Content-Language", "")[:10],
    )
    send_outgoing_email_task.delay_on_commit(email_id=row.pk)
    return row.pk


def outgoing_email_send(email_id: int, *, final_attempt: bool = True) -> bool:
    """Send the stored e-mail ``email_id`` once; returns True if it went out now.

    The row is locked and ``sent_at`` written in the transaction that sends, so a duplicated or retried task
    sends nothing more. Once sent, the bodies are emptied (they may hold a password-reset link). A transient
    fault is recorded and re-raised for the task's retry (``failed`` on the final attempt); a permanent one is
    recorded as ``failed`` at once and not retried.
    """
    from .models import OutgoingEmail

    try:
        with transaction.atomic():
            row = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
            if row is None or row.status != OutgoingEmail.Status.QUEUED:
                return False
            now = timezone.now()
            OutgoingEmail.objects.filter(pk=row.pk).update(
                status=OutgoingEmail.Status.SENT, sent_at=now, attempts=F("attempts") + 1, last_error="",
                text="", html="",
            )
            build_message(
                subject=row.subject, text=row.text, html=row.html or None, to=[row.to],
                language=row.language or None,
            ).send()
        return True
    except Exception as exc:
        permanent = is_permanent(exc)
        if not permanent and not is_transient(exc):
            raise
        failed = permanent or final_attempt
        OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.QUEUED).update(
            attempts=F("attempts") + 1, last_error=describe_error(exc),
            status=OutgoingEmail.Status.FAILED if failed else OutgoingEmail.Status.QUEUED,
            failed_at=timezone.now() if failed else None,
        )
        if permanent:
            logger.warning("account e-mail %s not sent: %s", email_id, describe_error(exc))
            return False
        raise
