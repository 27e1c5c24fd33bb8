"""Background work of the privacy app: thin tasks that take ids and call one service."""

from __future__ import annotations

from celery import shared_task

from conference.retry import SMTP_RETRY_POLICY


@shared_task(name="privacy.purge_due")
def purge_due_task() -> int:
    """The daily purge (celery beat): every conference's personal data that is past its retention."""
    from .services.purge import purge_all_due

    return purge_all_due()


@shared_task(name="privacy.send_deletion_answer", **SMTP_RETRY_POLICY)
def send_deletion_answer_task(*, request_id: int) -> bool:
    from .services.requests import deletion_answer_send

    return deletion_answer_send(request_id)
