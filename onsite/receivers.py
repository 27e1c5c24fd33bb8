"""onsite's reactions to registration's signals (connected in apps.py): the badge follows the decision."""

from __future__ import annotations


def on_participant_approved(sender, *, participant_id: int, **kwargs) -> None:
    """An approved participant gets a badge (random token) at once, and its PDF is pre-rendered for the desk."""
    from .services.badges import badge_create_for_approved, badge_prerender_queue

    if badge_create_for_approved(participant_id):
        badge_prerender_queue(participant_id)


def on_participant_changed(sender, *, participant_id: int, **kwargs) -> None:
    """An approved participant's data changed: the pre-rendered badge is brought up to date."""
    from .services.badges import badge_prerender_queue

    badge_prerender_queue(participant_id)
