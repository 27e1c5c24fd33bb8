"""Tasks of the stay: e-mail one rooming list sent (queued by ``services_stay.rooming_list_send``), and the
schedule that sends each hotel its changes (Celery beat). Thin: ids in, one service call."""

from __future__ import annotations

from celery import shared_task

from conference.retry import SMTP_RETRY_POLICY


@shared_task(bind=True, name="logistics.send_rooming_list", **SMTP_RETRY_POLICY)
def send_rooming_list_task(self, *, send_id: int) -> bool:
    """E-mail the rooming list ``send_id`` to its hotel, once (a redelivered or retried task sends nothing)."""
    from .services_stay import rooming_list_email_send

    return rooming_list_email_send(send_id, final_attempt=self.request.retries >= self.max_retries)


@shared_task(name="logistics.send_due_rooming_lists")
def send_due_rooming_lists_task() -> int:
    """Send a new rooming list to each hotel on the schedule whose list changed since the last one sent."""
    from .services_stay import rooming_lists_send_due

    return rooming_lists_send_due()
