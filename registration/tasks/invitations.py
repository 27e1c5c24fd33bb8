"""Tasks for invitations: sending. Thin: JSON ids in, one service call; duplicates send nothing."""

from __future__ import annotations

from celery import shared_task

from conference.retry import SMTP_RETRY_POLICY


@shared_task(bind=True, name="registration.send_invitation", **SMTP_RETRY_POLICY)
def send_invitation_task(self, *, invitation_id: int, generation: int) -> bool:
    """Send invitation ``invitation_id`` for send request ``generation`` (at most once per generation).

    No token travels through the broker: the service derives it from the send's claim, under the row lock.
    """
    from ..services.invitations import invitation_send

    return invitation_send(
        invitation_id, generation=generation, final_attempt=self.request.retries >= self.max_retries
    )
