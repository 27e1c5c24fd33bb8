"""logistics' reactions to registration's signals (connected in apps.py)."""

from __future__ import annotations


def on_participant_approved(sender, *, participant_id: int, **kwargs) -> None:
    """Flow 3: an approved participant who asked for a visa letter gets it issued (and e-mailed) by a task."""
    from .services import visa_letter_queue_issue

    visa_letter_queue_issue(participant_id)
