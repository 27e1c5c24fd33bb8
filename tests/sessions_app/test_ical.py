import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from conference.selectors import current_conference
from sessions_app import services
from sessions_app.models import PersonalFeed
from tests.factories import (
    ConferenceFactory,
    ParticipantFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
)

from .conftest import cairo

pytestmark = pytest.mark.django_db


def _events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_public_feed_has_utc_times_stable_uids_and_localized_summary(client, conference, make_session):
    session = make_session(title="Opening", title_fr="Ouverture", starts_at=cairo(10, 9), ends_at=cairo(10, 10, 30),
                           description="Welcome")
    SessionRoleFactory(session=session, role="chair", participant=ParticipantFactory(conference=conference,
                                                                                     badge_name="Leila Mansour"))
    make_session(title="Internal", is_public=False, starts_at=cairo(11, 9), ends_at=cairo(11, 10))
    SessionFactory(conference=ConferenceFactory(slug="other"), title="Elsewhere")
    events = _events(client.get(reverse("sessions_app:ical_public"), {"lang": "fr"}))
    assert list(events) == [f"session-{session.pk}@127.0.0.1"]
    event = events[f"session-{session.pk}@127.0.0.1"]
    assert str(event["SUMMARY"]) == "Ouverture"
    assert event.decoded("DTSTART") == datetime.datetime(2023, 7, 10, 6, 0, tzinfo=datetime.UTC)
    assert event.decoded("DTEND") == datetime.datetime(2023, 7, 10, 7, 30, tzinfo=datetime.UTC)
    assert b"DTSTART:20230710T060000Z" in event.to_ical()
    assert str(event["LOCATION"]) == "Salle A"
    assert "Leila Mansour" in str(event["DESCRIPTION"])
    assert "DTSTAMP" in event
    # the UID does not change from one download to the next
    again = _events(client.get(reverse("sessions_app:ical_public"), {"lang": "en"}))
    assert str(again[f"session-{session.pk}@127.0.0.1"]["SUMMARY"]) == "Opening"


def test_public_feed_query_count_constant(client, conference, room):
    url = reverse("sessions_app:ical_public")
    hall_b = RoomFactory(conference=conference)

    def add(n, day):
        for i in range(n):
            session = SessionFactory(conference=conference, room=[room, hall_b][i % 2],
                                     starts_at=cairo(day, 8 + i // 2), ends_at=cairo(day, 8 + i // 2, 45))
            SessionRoleFactory(session=session)

    add(3, 10)
    with CaptureQueriesContext(connection) as few:
        assert len(_events(client.get(url))) == 3
    add(30, 11)
    add(10, 12)
    with CaptureQueriesContext(connection) as many:
        assert len(_events(client.get(url))) == 43
    # The first request also reads the programme's conference and the current one (for its time zone, in the
    # middleware) into the shared cache.
    assert (len(few), len(many)) == (7, 5)


def test_personal_feed_has_own_sessions_only_in_preferred_language(client, conference, make_session):
    mine = make_session(title="Workshop", title_ar="ورشة", signup_required=True, capacity=1)
    chaired = make_session(title="Chaired", title_ar="جلسة", starts_at=cairo(11, 9), ends_at=cairo(11, 10))
    waiting = make_session(title="Full", signup_required=True, capacity=1, starts_at=cairo(12, 9),
                           ends_at=cairo(12, 10))
    make_session(title="Not mine", starts_at=cairo(13, 9), ends_at=cairo(13, 10))
    me = ParticipantFactory(conference=conference, preferred_language="ar")
    someone = ParticipantFactory(conference=conference)
    services.signup_create(mine, participant=me)
    services.signup_create(waiting, participant=someone)
    services.signup_create(waiting, participant=me)
    SessionRoleFactory(session=chaired, participant=me, role="chair")
    token = services.feed_rotate(me, actor=None)
    other_token = services.feed_rotate(someone, actor=None)

    events = _events(client.get(reverse("sessions_app:ical_personal", args=[token])))
    summaries = {str(event["SUMMARY"]): str(event.get("STATUS")) for event in events.values()}
    assert set(summaries) == {"ورشة", "جلسة", "Full (قائمة الانتظار)"}  # "(waiting list)" in Arabic
    assert summaries["Full (قائمة الانتظار)"] == "TENTATIVE"
    other = _events(client.get(reverse("sessions_app:ical_personal", args=[other_token])))
    assert {str(e["SUMMARY"]) for e in other.values()} == {"Full"}


def test_personal_feed_unknown_or_revoked_token_is_404(client, conference):
    me = ParticipantFactory(conference=conference)
    old = services.feed_rotate(me, actor=None)
    new = services.feed_rotate(me, actor=None)
    assert client.get(reverse("sessions_app:ical_personal", args=[old])).status_code == 404
    assert client.get(reverse("sessions_app:ical_personal", args=[new])).status_code == 200
    services.feed_revoke(me, actor=None)
    assert client.get(reverse("sessions_app:ical_personal", args=[new])).status_code == 404
    assert client.get("/programme/ical/" + "x" * 43 + ".ics").status_code == 404


def test_personal_feed_query_count_constant(client, conference, room):
    me = ParticipantFactory(conference=conference)
    token = services.feed_rotate(me, actor=None)
    url = reverse("sessions_app:ical_personal", args=[token])

    def add(n, day):
        for i in range(n):
            session = SessionFactory(conference=conference, room=room, signup_required=True,
                                     starts_at=cairo(day, 6 + i // 2, 30 * (i % 2)),
                                     ends_at=cairo(day, 6 + i // 2, 30 * (i % 2) + 25))
            SessionRoleFactory(session=session)
            services.signup_create(session, participant=me)

    add(2, 10)
    current_conference()  # the time-zone middleware reads it on a first request, then from the shared cache
    with CaptureQueriesContext(connection) as few:
        assert len(_events(client.get(url))) == 2
    add(30, 11)
    with CaptureQueriesContext(connection) as many:
        assert len(_events(client.get(url))) == 32
    assert len(few) == len(many)


def test_my_agenda_creates_shows_once_and_resets_link(client, conference):
    from tests.factories import UserFactory

    user = UserFactory()
    me = ParticipantFactory(conference=conference, user=user, email=user.email)
    client.force_login(user)
    response = client.post(reverse("sessions_app:me"), {"action": "rotate"})
    feed_url = response.context["feed_url"]
    assert feed_url.startswith("http://testserver/programme/ical/") and feed_url.endswith(".ics")
    assert client.get(feed_url).status_code == 200
    body = client.get(reverse("sessions_app:me")).content.decode()
    assert feed_url not in body and "Reset link" in body
    response = client.post(reverse("sessions_app:me"), {"action": "rotate"})
    assert client.get(feed_url).status_code == 404
    assert client.get(response.context["feed_url"]).status_code == 200
    client.post(reverse("sessions_app:me"), {"action": "revoke"})
    assert client.get(response.context["feed_url"]).status_code == 404
    assert not PersonalFeed.objects.filter(participant=me).exists()
