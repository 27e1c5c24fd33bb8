"""Tasks for participants: the decision e-mails. Thin: ids in, one service call."""

from __future__ import annotations

from celery import shared_task

from conference.retry import SMTP_RETRY_POLICY


@shared_task(bind=True, name="registration.send_participant_notice", **SMTP_RETRY_POLICY)
def send_participant_notice_task(self, *, notice_id: int) -> bool:
    """Send the decision e-mail ``notice_id`` once (a duplicated or retried task sends nothing more)."""
    from ..services.participants import participant_notice_send

    return participant_notice_send(notice_id, final_attempt=self.request.retries >= self.max_retries)
