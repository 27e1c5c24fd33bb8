"""The shared read caches (conference.caching): filled once, dropped when what they hold changes."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from conference import caching
from conference.selectors import current_conference
from sessions_app.selectors import cached_programme_fingerprint, programme_fingerprint
from tests.factories import (
    ConferenceFactory,
    DelegationFactory,
    ParticipantFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference(settings):
    settings.ACCORD_DEFAULT_CONFERENCE = "cached-conf"
    return ConferenceFactory(slug="cached-conf", name="Before")


def _cached(conference, language="en") -> bool:
    return cache.get(caching.fingerprint_key(conference.pk, language)) is not None


def test_current_conference_cached_then_dropped_on_save(conference):
    assert current_conference().name == "Before"
    with CaptureQueriesContext(connection) as queries:
        assert current_conference().pk == conference.pk
    assert len(queries) == 0
    conference.name = "After"
    conference.save()
    assert current_conference().name == "After"


def test_current_conference_follows_the_setting(conference, settings):
    other = ConferenceFactory(slug="other-conf")
    assert current_conference().pk == conference.pk
    settings.ACCORD_DEFAULT_CONFERENCE = "other-conf"
    assert current_conference().pk == other.pk


def test_fingerprint_cached_and_equal_to_the_fresh_one(conference):
    SessionFactory(conference=conference)
    value = cached_programme_fingerprint(conference, "fr")
    assert value == programme_fingerprint(conference, "fr")
    assert value != cached_programme_fingerprint(conference, "ar")
    with CaptureQueriesContext(connection) as queries:
        assert cached_programme_fingerprint(conference, "fr") == value
    assert len(queries) == 0


@pytest.mark.parametrize("change", ["session", "room", "role", "speaker", "delegation", "conference", "delete"])
def test_fingerprint_dropped_in_every_language_when_the_programme_changes(conference, change):
    delegation = DelegationFactory(conference=conference)
    room = RoomFactory(conference=conference)
    session = SessionFactory(conference=conference, room=room)
    speaker = ParticipantFactory(conference=conference, delegation=delegation)
    role = SessionRoleFactory(session=session, participant=speaker)
    for language in ("en", "fr", "ar"):
        cached_programme_fingerprint(conference, language)
    before = programme_fingerprint(conference, "en")
    if change == "session":
        session.title = "Renamed"
        session.save()
    elif change == "room":
        room.name = "Hall Z"
        room.save()
    elif change == "role":
        role.role = "moderator"
        role.save()
    elif change == "speaker":
        speaker.last_name = "Renamed"
        speaker.save(update_fields=["last_name", "updated_at"])
    elif change == "delegation":
        delegation.organization = "Renamed"
        delegation.save()
    elif change == "conference":
        conference.name = "Renamed"
        conference.save()
    else:
        speaker.delete()
    assert not any(_cached(conference, language) for language in ("en", "fr", "ar"))
    assert cached_programme_fingerprint(conference, "en") != before


def test_fingerprint_kept_when_a_participant_saves_other_fields(conference):
    session = SessionFactory(conference=conference)
    speaker = ParticipantFactory(conference=conference)
    SessionRoleFactory(session=session, participant=speaker)
    other = ParticipantFactory(conference=conference)
    cached_programme_fingerprint(conference, "en")
    with CaptureQueriesContext(connection) as queries:
        speaker.dietary_needs = "Vegetarian"
        speaker.save(update_fields=["dietary_needs", "updated_at"])
    assert len(queries) == 1  # the update itself: no look-up of their roles
    assert _cached(conference)
    other.last_name = "Renamed"
    other.save()  # not named in any role
    assert _cached(conference)


def test_fingerprint_dropped_again_at_commit(conference, django_capture_on_commit_callbacks):
    """A request that recomputed the old fingerprint before the change committed does not keep it."""
    session = SessionFactory(conference=conference)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            session.title = "Renamed"
            session.save()
            cache.set(caching.fingerprint_key(conference.pk, "en"), "stale", 60)  # another request, meanwhile
            assert _cached(conference)
    assert not _cached(conference)


def test_redis_cache_client_reused():
    from django.conf import settings

    if "RedisCache" not in settings.CACHES["default"]["BACKEND"]:
        pytest.skip("not the Redis cache")
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    cache.set("accord-test-key", {"a": 1}, 30)
    assert cache.get("accord-test-key") == {"a": 1}
    cache.delete("accord-test-key")


def test_logged_in_user_read_from_cache_and_dropped_on_save(client, conference):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from tests.factories import StaffFactory

    staff = StaffFactory(is_superuser=False)
    client.force_login(staff)
    desk = reverse("registration:desk")
    assert client.get(desk).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(desk).status_code == 200
    assert not any('FROM "auth_user"' in query["sql"] for query in queries.captured_queries)
    # Staff status removed in the admin: refused on the very next request.
    staff.is_staff = False
    staff.save()
    assert client.get(desk).status_code == 404
    # Deactivated: logged out at once.
    staff.is_active = False
    staff.save()
    assert client.get(desk).status_code == 302
    # A changed password ends the other sessions.
    other = get_user_model().objects.create_user("other@example.org", "other@example.org", "old-secret-123")
    other.is_staff = True
    other.save()
    client.force_login(other)
    assert client.get(desk).status_code == 200
    other.set_password("new-secret-456")
    other.save()
    assert client.get(desk).status_code == 302


def test_current_conference_kept_in_the_process_for_a_moment_as_copies(conference, monkeypatch):
    """Each worker keeps the current conference for LOCAL_SECONDS on top of the shared cache: no Redis round trip,
    each caller its own copy; a change made elsewhere (another process: here the row and the shared entry changed
    behind this process's back) shows once the moment is over, a save in this process at once."""
    import time

    first = current_conference()
    first.name = "Changed in one request only"
    gets = []
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: gets.append(args) or caching._MISSING)
    second = current_conference()
    assert second.name == "Before" and second is not first and gets == []
    monkeypatch.undo()

    type(conference).objects.filter(pk=conference.pk).update(name="Elsewhere")
    cache.delete(caching.conference_key("current"))
    assert current_conference().name == "Before"
    later = time.monotonic() + caching.LOCAL_SECONDS + 0.1
    monkeypatch.setattr(caching.time, "monotonic", lambda: later)
    assert current_conference().name == "Elsewhere"

    conference.refresh_from_db()
    conference.name = "Saved here"
    conference.save()
    assert current_conference().name == "Saved here"
