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


@shared_task(name="logistics.render_payment_sheets")
def render_payment_sheets_task(*, conference_id: int, actor_id: int | None = None) -> int:
    """Render and store the delegations' payment sheets and the finance XLSX of ``conference_id``."""
    from django.contrib.auth import get_user_model

    from conference.models import Conference

    from .services_allowances import payment_sheets_render

    conference = Conference.objects.filter(pk=conference_id).first()
    if conference is None:
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return len(payment_sheets_render(conference, actor=actor))
