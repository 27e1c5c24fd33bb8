"""Drops the cached current conference (``selectors.current_conference``) when a conference is saved or deleted.

Dropped at once and again when the transaction commits, so that a request in between, which still read the old
row, does not put it back for long. Connected in ``ConferenceConfig.ready``.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from .selectors import current_conference_key


def on_conference_change(sender, instance, **kwargs) -> None:
    """Any conference saved or deleted: which one is current, and what it holds, may have changed."""
    key = current_conference_key()
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
