"""The public day page and iCal feed are served from a cache keyed on the programme fingerprint."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ParticipantFactory, SessionRoleFactory, UserFactory

from .conftest import cairo
from .test_views import _build_day

pytestmark = pytest.mark.django_db

DAY_URL = reverse("sessions_app:day", args=["2023-07-10"])


def test_day_page_title_change_shows_on_next_request(client, make_session):
    session = make_session(title="Opening plenary", starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    assert "Opening plenary" in client.get(DAY_URL).content.decode()
    session.title = "Opening plenary (moved)"
    session.save()
    body = client.get(DAY_URL).content.decode()
    assert "Opening plenary (moved)" in body


def test_day_page_room_and_person_changes_show_at_once(client, conference, room, make_session):
    session = make_session(title="Panel", starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    speaker = ParticipantFactory(conference=conference, first_name="Amina", last_name="Haddad", delegation=None)
    assert "Amina" not in client.get(DAY_URL).content.decode()
    SessionRoleFactory(session=session, role="speaker", participant=speaker)
    assert "Amina" in client.get(DAY_URL).content.decode()
    speaker.first_name = "Samira"
    speaker.save()
    room.name = "Hall Z"
    room.save()
    body = client.get(DAY_URL).content.decode()
    assert "Samira" in body and "Hall Z" in body


def test_day_page_new_and_hidden_sessions_show_at_once(client, make_session):
    make_session(title="First", starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    client.get(DAY_URL)
    second = make_session(title="Second", starts_at=cairo(10, 11), ends_at=cairo(10, 12))
    assert "Second" in client.get(DAY_URL).content.decode()
    second.is_public = False
    second.save()
    assert "Second" not in client.get(DAY_URL).content.decode()


def test_day_page_cached_per_language_and_filters(client, conference, room, make_session):
    make_session(title="Talk", title_fr="Exposé", kind="plenary", starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    assert "Talk" in client.get(DAY_URL).content.decode()
    assert "Exposé" in client.get(DAY_URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Talk" in client.get(DAY_URL).content.decode()
    assert "Talk" not in client.get(DAY_URL, {"kind": "panel"}).content.decode()
    assert "Talk" in client.get(DAY_URL, {"kind": "plenary"}).content.decode()


def test_day_page_csrf_token_and_user_links_not_shared(client, conference, make_session):
    make_session(title="Talk", starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    anonymous = client.get(DAY_URL).content.decode()
    assert reverse("sessions_app:me") not in anonymous
    user = UserFactory()
    ParticipantFactory(conference=conference, user=user)
    client.force_login(user)
    first = client.get(DAY_URL)
    assert reverse("sessions_app:me") in first.content.decode()
    token = first.cookies.get("csrftoken") or client.cookies.get("csrftoken")
    client.logout()
    other = UserFactory()
    client.force_login(other)
    second = client.get(DAY_URL).content.decode()
    assert 'name="csrfmiddlewaretoken"' in second
    # Each response carries its own (masked) token, never the one rendered for someone else.
    tokens = {line.split('value="')[1].split('"')[0] for line in second.splitlines() if "csrfmiddlewaretoken" in line}
    first_tokens = {
        line.split('value="')[1].split('"')[0] for line in first.content.decode().splitlines()
        if "csrfmiddlewaretoken" in line
    }
    assert tokens and not tokens & first_tokens
    assert token is None or token.value not in second


def test_day_page_warm_cache_queries_small_and_constant(client, conference, room):
    _build_day(conference, room, 3)
    client.get(DAY_URL)
    with CaptureQueriesContext(connection) as few:
        assert "Talk 2" in client.get(DAY_URL).content.decode()
    _build_day(conference, room, 40, day=10)
    client.get(DAY_URL)
    with CaptureQueriesContext(connection) as many:
        assert "Talk 39" in client.get(DAY_URL).content.decode()
    # The conference the programme shows, the programme fingerprint and the day's content come from the cache.
    assert len(few) == len(many) == 0


def test_public_ical_title_change_shows_on_next_request(client, make_session):
    session = make_session(title="Opening plenary", starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    url = reverse("sessions_app:ical_public")
    assert b"Opening plenary" in client.get(url).content
    session.title = "Closing plenary"
    session.save()
    assert b"Closing plenary" in client.get(url).content


def test_day_page_delegation_rename_and_role_removal_show_at_once(client, conference, make_session):
    from tests.factories import DelegationFactory

    delegation = DelegationFactory(conference=conference, country="", organization="Bureau one")
    session = make_session(title="Panel", starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    speaker = ParticipantFactory(conference=conference, first_name="Amina", delegation=delegation)
    role = SessionRoleFactory(session=session, role="speaker", participant=speaker)
    assert "Bureau one" in client.get(DAY_URL).content.decode()
    delegation.organization = "Bureau two"
    delegation.save()
    assert "Bureau two" in client.get(DAY_URL).content.decode()
    role.delete()
    assert "Amina" not in client.get(DAY_URL).content.decode()


def test_day_page_conference_change_shows_at_once(client, conference, make_session):
    make_session(title="Panel", starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    assert client.get(DAY_URL).status_code == 200
    conference.end_date = conference.start_date  # a one-day conference: the second day is gone
    conference.save()
    assert client.get(reverse("sessions_app:day", args=["2023-07-11"])).status_code == 404


def test_programme_conference_cached_and_dropped_when_a_conference_is_saved(conference, settings,
                                                                            django_assert_num_queries):
    """Kept in the shared cache; a saved conference, and one added, show at once (no configured one here: the
    programme shows the latest)."""
    import datetime

    from sessions_app.selectors import programme_conference
    from tests.factories import ConferenceFactory

    settings.ACCORD_DEFAULT_CONFERENCE = "none-configured"
    assert programme_conference().pk == conference.pk
    with django_assert_num_queries(0):
        assert programme_conference().pk == conference.pk
    conference.name = "Renamed conference"
    conference.save()
    assert programme_conference().name == "Renamed conference"
    later = ConferenceFactory(slug="later", start_date=conference.start_date + datetime.timedelta(days=400),
                              end_date=conference.end_date + datetime.timedelta(days=400))
    assert programme_conference().pk == later.pk
    later.delete()
    assert programme_conference().pk == conference.pk


def _form_token(body: str) -> str:
    return body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


def test_anonymous_day_page_each_visitor_own_working_token(conference, make_session):
    from django.test import Client

    make_session(title="Talk", starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_body = first.get(DAY_URL).content.decode()
    response = second.get(DAY_URL)
    second_body = response.content.decode()
    assert "Talk" in second_body
    # The second visitor's token is theirs: the language switcher works with it, and not with the first one's.
    assert _form_token(first_body) != _form_token(second_body)
    switch = reverse("set_language")
    answer = second.post(switch, {"language": "fr", "next": DAY_URL, "csrfmiddlewaretoken": _form_token(second_body)})
    assert answer.status_code == 302
    assert "Programme" in second.get(DAY_URL).content.decode() and 'lang="fr"' in second.get(DAY_URL).content.decode()
    third = Client(enforce_csrf_checks=True)
    third.get(DAY_URL)
    refused = third.post(switch, {"language": "fr", "next": DAY_URL, "csrfmiddlewaretoken": "x" * 32})
    assert refused.status_code == 403


def test_anonymous_day_page_with_a_message_waiting_not_from_the_whole_page_cache(client, make_session):
    from django.contrib.messages.storage.cookie import CookieStorage

    make_session(title="Talk", starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    client.get(DAY_URL)  # the day's content is now kept
    # A message for this visitor (e.g. "You have signed out."), in the messages cookie.
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.http import HttpRequest

    storage = CookieStorage(HttpRequest())
    encoded = storage._encode([Message(constants.SUCCESS, "You have signed out.")])
    client.cookies[CookieStorage.cookie_name] = encoded
    assert "You have signed out." in client.get(DAY_URL).content.decode()


def test_day_content_fragment_served_from_the_cache(client, make_session, django_assert_num_queries):
    """The day's content is kept under the programme fingerprint: a change that sends no signal (a bulk update)
    does not show while the fingerprint is kept; a save through Django changes the fingerprint and shows."""
    from sessions_app.models import Session

    session = make_session(title="Opening plenary", starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    assert "Opening plenary" in client.get(DAY_URL).content.decode()
    Session.objects.filter(pk=session.pk).update(title="Changed behind the cache")
    with django_assert_num_queries(0):  # the conference and the content from the cache: no sessions read
        body = client.get(DAY_URL).content.decode()
    assert "Opening plenary" in body and "Changed behind the cache" not in body
    session.refresh_from_db()
    session.title = "Saved through Django"
    session.save()
    assert "Saved through Django" in client.get(DAY_URL).content.decode()


# --- the programme fingerprint, kept in the shared cache -------------------------------------------------------------


def _fingerprint_cached(conference, language="en") -> bool:
    from django.core.cache import cache

    from sessions_app.selectors import programme_fingerprint_key

    return cache.get(programme_fingerprint_key(conference.pk, language)) is not None


def test_fingerprint_cached_and_equal_to_the_fresh_one(conference, make_session):
    from sessions_app.selectors import cached_programme_fingerprint, programme_fingerprint

    make_session()
    value = cached_programme_fingerprint(conference, "fr")
    assert value == programme_fingerprint(conference, "fr")
    assert value != cached_programme_fingerprint(conference, "ar")
    with CaptureQueriesContext(connection) as queries:
        assert cached_programme_fingerprint(conference, "fr") == value
    assert len(queries) == 0


@pytest.mark.parametrize("change", ["session", "room", "role", "speaker", "delegation", "conference", "delete"])
def test_fingerprint_dropped_in_every_language_when_the_programme_changes(conference, room, make_session, change):
    from sessions_app.selectors import cached_programme_fingerprint, programme_fingerprint
    from tests.factories import DelegationFactory

    delegation = DelegationFactory(conference=conference)
    session = make_session()
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
    assert not any(_fingerprint_cached(conference, language) for language in ("en", "fr", "ar"))
    assert cached_programme_fingerprint(conference, "en") != before


def test_fingerprint_kept_when_a_participant_saves_other_fields(conference, make_session):
    from sessions_app.selectors import cached_programme_fingerprint

    speaker = ParticipantFactory(conference=conference)
    SessionRoleFactory(session=make_session(), participant=speaker)
    other = ParticipantFactory(conference=conference)
    cached_programme_fingerprint(conference, "en")
    with CaptureQueriesContext(connection) as queries:
        speaker.dietary_needs = "Vegetarian"
        speaker.save(update_fields=["dietary_needs", "updated_at"])
    assert len(queries) == 1  # the update itself: no look-up of their roles
    assert _fingerprint_cached(conference)
    other.last_name = "Renamed"
    other.save()  # not named in any role
    assert _fingerprint_cached(conference)


def test_fingerprint_dropped_again_at_commit(conference, make_session, django_capture_on_commit_callbacks):
    """A request that recomputed the old fingerprint before the change committed does not keep it."""
    from django.core.cache import cache
    from django.db import transaction

    from sessions_app.selectors import programme_fingerprint_key

    session = make_session()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            session.title = "Renamed"
            session.save()
            cache.set(programme_fingerprint_key(conference.pk, "en"), "stale", 60)  # another request, meanwhile
            assert _fingerprint_cached(conference)
    assert not _fingerprint_cached(conference)
