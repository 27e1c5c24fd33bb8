"""Background work for the programme: thin tasks taking ids, each calling one service."""

from __future__ import annotations

from celery import shared_task

from conference.models import Conference
from conference.retry import SMTP_RETRY_POLICY


@shared_task(name="sessions_app.render_agenda", ignore_result=True)
def render_agenda_task(*, conference_id: int, language: str) -> None:
    """Re-render the agenda PDF in one language if the programme changed since the stored file."""
    from .services import agenda_file_refresh

    conference = Conference.objects.filter(pk=conference_id).first()
    if conference is None:
        return
    agenda_file_refresh(conference, language)


@shared_task(bind=True, name="sessions_app.send_promotion_email", ignore_result=True, **SMTP_RETRY_POLICY)
def send_promotion_email_task(self, *, signup_id: int) -> None:
    """Tell a participant promoted from the waiting list that they have a seat (sent at most once)."""
    from .services import signup_promotion_notify

    signup_promotion_notify(signup_id, final_attempt=self.request.retries >= self.max_retries)
