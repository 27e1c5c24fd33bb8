"""Read caches shared by every web worker (the Django cache: Redis with real services), dropped on change.

What the busiest pages read on every request but rarely changes lives here: the conference the public pages
show, the programme fingerprint the cached agenda fragments are keyed on, and the logged-in user's row (read by
the authentication backends on every request of a logged-in user). A save or delete of what they hold
(``post_save``/``post_delete``, connected in ``ConferenceConfig.ready``) drops the entry at once and again when
the transaction commits, so that no request in between puts the old state back. Writes that bypass signals
(``QuerySet.update``) are caught by the short lifetime of each entry.

The current conference, read on nearly every request, is also kept in each worker process's memory for
``LOCAL_SECONDS`` (one Redis round trip and one unpickling less a request; each caller gets its own copy). A change
shows at once in the process that made it, and in the other processes within ``LOCAL_SECONDS``.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

#: Upper bound on how stale an entry can be after a write that sends no signal.
CACHE_SECONDS = 60
_MISSING = object()


def conference_key(kind: str) -> str:
    """The conference the pages show depends on the ACCORD_DEFAULT_CONFERENCE setting too."""
    return f"accord:conference:{kind}:{settings.ACCORD_DEFAULT_CONFERENCE}"


def user_key(user_id) -> str:
    return f"accord:user:{user_id}"


def fingerprint_key(conference_id: int, language: str) -> str:
    return f"accord:programme-fingerprint:{conference_id}:{language}"


def fingerprint_keys(conference_id: int) -> list[str]:
    return [fingerprint_key(conference_id, code) for code, _name in settings.LANGUAGES]


#: How long a worker process keeps an entry read with ``local=True`` in its own memory.
LOCAL_SECONDS = 2.0
#: {full cache key: (monotonic deadline, value)}; the full key carries the cache's prefix and version.
_local: dict[str, tuple[float, object]] = {}


def cached(key: str, compute: Callable[[], T], seconds: int = CACHE_SECONDS, *, local: bool = False) -> T:
    """``compute()``, kept under ``key`` for ``seconds`` (None is cached too). ``local``: also kept in this
    process for ``LOCAL_SECONDS``, each caller getting a copy (a model instance one request changes must not
    change under another)."""
    if local:
        full_key = cache.make_key(key)
        entry = _local.get(full_key)
        if entry is not None and entry[0] > time.monotonic():
            return copy.copy(entry[1])
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, seconds)
    if local:
        _local[full_key] = (time.monotonic() + LOCAL_SECONDS, value)
        return copy.copy(value)
    return value


def _forget(keys) -> None:
    for key in keys:
        _local.pop(cache.make_key(key), None)
    cache.delete_many(keys)


def drop(*keys: str) -> None:
    """Forget ``keys`` now and once more when the current transaction commits."""
    _forget(keys)
    transaction.on_commit(lambda: _forget(keys))


# --- signal receivers (connected in ConferenceConfig.ready) --------------------------------------------------------


def on_conference_change(sender, instance, **kwargs) -> None:
    drop(conference_key("current"), conference_key("programme"), *fingerprint_keys(instance.pk))


def on_user_change(sender, instance, **kwargs) -> None:
    """A user saved (password, staff status, active flag, last login) or deleted: read their row again."""
    drop(user_key(instance.pk))


def on_programme_change(sender, instance, **kwargs) -> None:
    """A session, room or delegation saved or deleted: its conference's agenda changes."""
    drop(*fingerprint_keys(instance.conference_id))


def on_role_change(sender, instance, **kwargs) -> None:
    from sessions_app.models import Session

    conference_id = Session.objects.filter(pk=instance.session_id).values_list("conference_id", flat=True).first()
    if conference_id is not None:
        drop(*fingerprint_keys(conference_id))


#: What the agenda shows of a person in a role (their printed name and delegation).
PARTICIPANT_AGENDA_FIELDS = frozenset({"first_name", "last_name", "badge_name", "email", "delegation", "organization"})


def on_participant_change(sender, instance, update_fields=None, **kwargs) -> None:
    """Only people named in a session's roles show on the agenda, and only their names and delegation: a save of
    other fields (a check-in, a registration step) changes nothing there and costs no query here."""
    if update_fields is not None and not PARTICIPANT_AGENDA_FIELDS.intersection(update_fields):
        return
    if instance.session_roles.exists():
        drop(*fingerprint_keys(instance.conference_id))
