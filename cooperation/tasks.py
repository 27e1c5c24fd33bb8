"""Background work of cooperation: thin tasks taking ids, each calling one service imported in its body."""

from __future__ import annotations

from celery import shared_task

from conference.retry import SMTP_RETRY_POLICY


@shared_task(bind=True, name="cooperation.send_meeting_email", ignore_result=True, **SMTP_RETRY_POLICY)
def send_meeting_email_task(self, *, meeting_id: int, event: str, round: int) -> None:
    """E-mail one step of a meeting to its recipients, each at most once."""
    from .services import meeting_emails_send

    meeting_emails_send(meeting_id, event=event, round=round, final_attempt=self.request.retries >= self.max_retries)


@shared_task(name="cooperation.expire_requests", ignore_result=True)
def expire_requests_task() -> None:
    """Celery beat: expire the bilateral requests left unanswered past their time."""
    from .services import bilateral_expire_due

    bilateral_expire_due()
