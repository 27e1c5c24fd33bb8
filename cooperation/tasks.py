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


@shared_task(name="cooperation.queue_follow_up_reminders", ignore_result=True)
def queue_follow_up_reminders_task() -> None:
    """Celery beat: queue the follow-up reminders due (3 and 6 months after the meeting)."""
    from .services import follow_up_reminders_queue

    follow_up_reminders_queue()


@shared_task(bind=True, name="cooperation.send_follow_up_reminder", ignore_result=True, **SMTP_RETRY_POLICY)
def send_follow_up_reminder_task(self, *, follow_up_id: int, stage: str) -> None:
    """Ask a follow-up's owner for its status (sent at most once per stage)."""
    from .services import follow_up_reminder_send

    follow_up_reminder_send(follow_up_id, stage=stage)


@shared_task(name="cooperation.render_outcome_report", ignore_result=True)
def render_outcome_report_task(*, conference_id: int, language: str) -> None:
    """Render and store the organizers' outcome report PDF in one language."""
    from conference.models import Conference

    from .services import outcome_report_store

    conference = Conference.objects.filter(pk=conference_id).first()
    if conference is not None:
        outcome_report_store(conference, language=language)
