"""Background work of the conference app: sending the account e-mails stored by the allauth adapter."""

from __future__ import annotations

from celery import shared_task

from .retry import SMTP_RETRY_POLICY


@shared_task(bind=True, name="conference.send_outgoing_email", ignore_result=True, **SMTP_RETRY_POLICY)
def send_outgoing_email_task(self, *, email_id: int) -> bool:
    """Send the stored account e-mail ``email_id`` once (a duplicated or retried task sends nothing more)."""
    from .mail import outgoing_email_send

    return outgoing_email_send(email_id, final_attempt=self.request.retries >= self.max_retries)
