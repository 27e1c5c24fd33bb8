"""Tasks for invitations: sending. Thin: JSON ids in, one service call; duplicates send nothing."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from ..services.invitations import invitation_send


@shared_task(
    bind=True,
    name="registration.send_invitation",
    autoretry_for=(SMTPException, ConnectionError, OSError),
    retry_backoff=settings.ACCORD_INVITATION_RETRY_BACKOFF,
    retry_backoff_max=settings.ACCORD_INVITATION_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=6,
)
def send_invitation_task(self, *, invitation_id: int, generation: int) -> bool:
    """Send invitation ``invitation_id`` for send request ``generation`` (at most once per generation).

    No token travels through the broker: the service draws it while holding the row lock.
    """
    return invitation_send(
        invitation_id, generation=generation, final_attempt=self.request.retries >= self.max_retries
    )
