"""onsite's reactions to registration's signals (connected in apps.py): the badge follows the decision; and to a
new Celery pool process: it warms the badge renderer up."""

from __future__ import annotations

import logging
import time

logger = logging.getLogger(__name__)


def on_participant_approved(sender, *, participant_id: int, **kwargs) -> None:
    """An approved participant gets a badge (random token) at once, and its PDF is pre-rendered for the desk."""
    from .services.badges import badge_create_for_approved
    from .tasks import badge_prerender_task

    if badge_create_for_approved(participant_id):
        badge_prerender_task.delay_on_commit(participant_id=participant_id)


def on_participant_changed(sender, *, participant_id: int, **kwargs) -> None:
    """An approved participant's data changed: the pre-rendered badge is brought up to date."""
    from .tasks import badge_prerender_task

    badge_prerender_task.delay_on_commit(participant_id=participant_id)


def on_worker_process_init(sender=None, **kwargs) -> bool:
    """A Celery pool process started: lay out a sample badge (``settings.ACCORD_PDF_WARMUP``), so that its first
    batch chunk does not also load the fonts. A failure is logged, never fatal: the first real render would then
    load them. Returns whether it warmed up."""
    from django.conf import settings

    from .rendering import warm_up

    if not settings.ACCORD_PDF_WARMUP:
        return False
    start = time.perf_counter()
    try:
        pages = warm_up()
    except Exception:
        logger.exception("badge renderer warm-up failed")
        return False
    logger.info("badge renderer warmed up: %d sample pages in %.2f s", pages, time.perf_counter() - start)
    return True
