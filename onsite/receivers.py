"""onsite's reactions to registration's signals (connected in apps.py): the badge follows the decision."""

from __future__ import annotations


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
