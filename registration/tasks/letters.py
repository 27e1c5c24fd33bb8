"""Tasks for visa letters: issue one (queued by the approval), e-mail one. Thin: ids in, one service call."""

from __future__ import annotations

import logging

from celery import shared_task

from conference.mail import SMTP_RETRY_POLICY
from conference.services import AccordError

from ..models import Participant
from ..services.letters import visa_letter_issue, visa_letter_send

logger = logging.getLogger(__name__)


@shared_task(name="registration.issue_visa_letter")
def issue_visa_letter_task(participant_id: int) -> bool:
    """Issue the letter of ``participant_id`` unless it already has one (a second run sends nothing)."""
    participant = Participant.objects.filter(pk=participant_id).first()
    if participant is None:
        return False
    try:
        visa_letter_issue(participant, actor=None)
    except AccordError as exc:
        logger.warning("visa letter for participant %s not issued: %s", participant_id, exc)
        return False
    return True


@shared_task(name="registration.send_visa_letter", **SMTP_RETRY_POLICY)
def send_visa_letter_task(*, participant_id: int) -> bool:
    """E-mail the stored visa letter of ``participant_id`` with the PDF attached."""
    return visa_letter_send(participant_id)
