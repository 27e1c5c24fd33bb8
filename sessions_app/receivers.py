"""Drops the programme's cached fingerprint when what the agenda shows is saved or deleted.

The agenda fragments are cached under keys that carry the fingerprint (``sessions_app.views``), and the fingerprint
itself is kept in the shared cache (``selectors.cached_programme_fingerprint``): a save or delete of a session,
room, role, named person, delegation or the conference drops it at once and again when the transaction commits, so
that no request in between puts the old fingerprint back. A save or delete of a conference drops the cached
programme conference (``selectors.programme_conference``) the same way. Connected in ``SessionsAppConfig.ready``.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from .selectors import programme_conference_key, programme_fingerprint_keys

#: What the agenda shows of a person in a role (their printed name and delegation).
PARTICIPANT_AGENDA_FIELDS = frozenset({"first_name", "last_name", "badge_name", "email", "delegation", "organization"})


def _drop_fingerprints(conference_id: int) -> None:
    keys = programme_fingerprint_keys(conference_id)
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def on_conference_change(sender, instance, **kwargs) -> None:
    """A conference saved or deleted: its agenda, and which conference the programme shows, may change."""
    _drop_fingerprints(instance.pk)
    key = programme_conference_key()
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def on_programme_change(sender, instance, **kwargs) -> None:
    """A session, room or delegation saved or deleted: its conference's agenda changes."""
    _drop_fingerprints(instance.conference_id)


def on_role_change(sender, instance, **kwargs) -> None:
    from .models import Session

    conference_id = Session.objects.filter(pk=instance.session_id).values_list("conference_id", flat=True).first()
    if conference_id is not None:
        _drop_fingerprints(conference_id)


def on_participant_change(sender, instance, update_fields=None, **kwargs) -> None:
    """Only people named in a session's roles show on the agenda, and only their names and delegation: a save of
    other fields (a check-in, a registration step) changes nothing there and costs no query here."""
    if update_fields is not None and not PARTICIPANT_AGENDA_FIELDS.intersection(update_fields):
        return
    if instance.session_roles.exists():
        _drop_fingerprints(instance.conference_id)
