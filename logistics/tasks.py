"""Tasks for visa letters: issue one (queued by the approval), e-mail one. Thin: ids in, one service call.
The names keep their ``registration.`` prefix so that messages queued before the move still find their task."""

from __future__ import annotations

import logging

from celery import shared_task

from conference.retry import SMTP_RETRY_POLICY
from registration.models import Participant

logger = logging.getLogger(__name__)


@shared_task(name="registration.issue_visa_letter")
def issue_visa_letter_task(participant_id: int, *, reissue: bool = False, actor_id: int | None = None) -> bool:
    """Issue the letter of ``participant_id`` unless it already has one (a second run sends nothing); with
    ``reissue`` (the admin action, by ``actor_id``) issue it again."""
    from django.contrib.auth import get_user_model

    from conference.services import AccordError

    from .services import visa_letter_issue

    participant = Participant.objects.filter(pk=participant_id).first()
    if participant is None:
        return False
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        visa_letter_issue(participant, actor=actor, reissue=reissue)
    except AccordError as exc:
        logger.warning("visa letter for participant %s not issued: %s", participant_id, exc)
        return False
    return True


@shared_task(bind=True, name="registration.send_visa_letter", **SMTP_RETRY_POLICY)
def send_visa_letter_task(self, *, participant_id: int) -> bool:
    """E-mail the stored visa letter of ``participant_id`` with the PDF attached, once per issue (a redelivered
    or retried task sends nothing more)."""
    from .services import visa_letter_send

    return visa_letter_send(participant_id, final_attempt=self.request.retries >= self.max_retries)


from .tasks_stay import send_due_rooming_lists_task, send_rooming_list_task  # noqa: E402,F401 - autodiscovered here
from .tasks_travel import render_travel_pdf_task  # noqa: E402,F401 - autodiscovered here
