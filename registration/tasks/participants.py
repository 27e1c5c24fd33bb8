"""Tasks for participants: the decision e-mails. Thin: ids in, one service call."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from ..services.participants import participant_notice_send


@shared_task(
    bind=True,
    name="registration.send_participant_notice",
    autoretry_for=(SMTPException, ConnectionError, OSError),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=6,
)
def send_participant_notice_task(self, *, notice_id: int) -> bool:
    """Send the decision e-mail ``notice_id`` once (a duplicated or retried task sends nothing more)."""
    return participant_notice_send(notice_id, final_attempt=self.request.retries >= self.max_retries)
