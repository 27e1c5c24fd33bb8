import datetime

import pytest
from django.urls import reverse

from conference.services import AccordError
from sessions_app import services
from sessions_app.models import Session, SessionRole
from sessions_app.validation import LocalTimeError, local_to_utc, role_conflicts, session_problems
from tests.factories import (
    ConferenceFactory,
    ParticipantFactory,
    RoomFactory,
    SessionRoleFactory,
    StaffFactory,
)

from .conftest import cairo

pytestmark = pytest.mark.django_db
CAIRO = ConferenceFactory._meta.model(time_zone="Africa/Cairo").tz


def test_local_to_utc_converts_summer_time():
    assert local_to_utc(datetime.date(2023, 7, 10), datetime.time(9, 0), CAIRO) == datetime.datetime(
        2023, 7, 10, 6, 0, tzinfo=datetime.UTC
    )
    assert local_to_utc(datetime.date(2023, 3, 1), datetime.time(9, 0), CAIRO) == datetime.datetime(
        2023, 3, 1, 7, 0, tzinfo=datetime.UTC
    )


def test_local_to_utc_refuses_skipped_spring_hour():
    with pytest.raises(LocalTimeError, match="does not exist"):
        local_to_utc(datetime.date(2023, 4, 28), datetime.time(0, 30), CAIRO)


def test_local_to_utc_refuses_repeated_autumn_hour():
    with pytest.raises(LocalTimeError, match="happens twice"):
        local_to_utc(datetime.date(2023, 10, 26), datetime.time(23, 15), CAIRO)
    # the hour after the change is unambiguous again
    assert local_to_utc(datetime.date(2023, 10, 27), datetime.time(0, 15), CAIRO).hour == 22


def test_session_problems_room_double_booked(make_session, conference, room):
    make_session(title="Opening", starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    clash = Session(conference=conference, room=room, kind="panel", title="Panel",
                    starts_at=cairo(10, 9, 30), ends_at=cairo(10, 11))
    problems = session_problems(clash)
    assert problems == [("room", "Hall A is already booked from 2023-07-10 09:00 to 10:00 for “Opening”.")]
    adjacent = Session(conference=conference, room=room, kind="panel", title="Panel",
                       starts_at=cairo(10, 10), ends_at=cairo(10, 11))
    assert session_problems(adjacent) == []


def test_session_problems_outside_conference_dates(conference, room):
    late = Session(conference=conference, room=room, kind="panel", title="Late", starts_at=cairo(14, 9),
                   ends_at=cairo(14, 10))
    [(field, message)] = session_problems(late)
    assert field == "starts_at"
    assert "within the conference dates, 2023-07-10 to 2023-07-13" in message
    # 01:00 local on the 10th is 22:00 UTC on the 9th: inside the conference in local time
    early_local = Session(conference=conference, room=room, kind="panel", title="Early",
                          starts_at=cairo(10, 1), ends_at=cairo(10, 2))
    assert session_problems(early_local) == []


def test_session_problems_end_before_start(conference, room):
    backwards = Session(conference=conference, room=room, kind="panel", title="x", starts_at=cairo(10, 11),
                        ends_at=cairo(10, 10))
    assert session_problems(backwards) == [("ends_at", "The session must end after it starts.")]


def test_role_conflicts_person_in_two_overlapping_sessions(make_session, conference):
    other_room = RoomFactory(conference=conference, name="Hall B")
    first = make_session(title="Morning panel", starts_at=cairo(10, 9), ends_at=cairo(10, 10, 30))
    second = make_session(room=other_room, starts_at=cairo(10, 10), ends_at=cairo(10, 11))
    person = ParticipantFactory(conference=conference, badge_name="Amina Haddad")
    SessionRoleFactory(session=first, participant=person, role="chair")
    assert role_conflicts(second, [person.pk]) == [
        "Amina Haddad already has a role in “Morning panel” at the same time (2023-07-10 09:00–10:30)."
    ]
    with pytest.raises(AccordError, match="Amina Haddad already has a role"):
        services.session_role_add(second, participant=person, role="speaker", actor=None)
    assert not SessionRole.objects.filter(session=second).exists()


def test_session_save_refuses_moving_into_a_clash_of_roles(make_session, conference):
    other_room = RoomFactory(conference=conference, name="Hall B")
    first = make_session(starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    second = make_session(room=other_room, starts_at=cairo(10, 11), ends_at=cairo(10, 12))
    person = ParticipantFactory(conference=conference)
    SessionRoleFactory(session=first, participant=person)
    SessionRoleFactory(session=second, participant=person)
    second.starts_at = cairo(10, 9, 30)
    with pytest.raises(AccordError, match="already has a role"):
        services.session_save(second, actor=None)
    second.refresh_from_db()
    assert second.starts_at == cairo(10, 11)


def _admin_post(conference, room, **overrides):
    data = {
        "conference": conference.pk, "kind": "panel", "is_public": "on", "title": "Panel on smuggling",
        "title_fr": "Table ronde", "title_ar": "حلقة نقاش", "description": "", "description_fr": "",
        "description_ar": "", "day": "2023-07-11", "start_time": "14:00", "end_time": "15:30", "room": room.pk,
        "capacity": "", "interpretation_languages": ["ar", "fr"],
        "roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0", "roles-MIN_NUM_FORMS": "0", "roles-MAX_NUM_FORMS": "1000",
        "signups-TOTAL_FORMS": "0", "signups-INITIAL_FORMS": "0", "signups-MIN_NUM_FORMS": "0",
        "signups-MAX_NUM_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_admin_add_session_converts_local_time(client, conference, room, django_capture_on_commit_callbacks):
    client.force_login(StaffFactory())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("admin:sessions_app_session_add"), _admin_post(conference, room))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    session = Session.objects.get(title="Panel on smuggling")
    assert session.starts_at == datetime.datetime(2023, 7, 11, 11, 0, tzinfo=datetime.UTC)
    assert session.ends_at == datetime.datetime(2023, 7, 11, 12, 30, tzinfo=datetime.UTC)
    assert session.interpretation_languages == ["ar", "fr"]
    assert len(callbacks) >= 1  # the agenda re-render is queued on commit


def test_admin_add_session_with_role_conflict_refused(client, conference, room, make_session):
    person = ParticipantFactory(conference=conference, badge_name="Omar Said")
    busy = make_session(title="Working group", room=RoomFactory(conference=conference, name="Hall C"),
                        starts_at=cairo(11, 14, 30), ends_at=cairo(11, 16))
    SessionRoleFactory(session=busy, participant=person)
    client.force_login(StaffFactory())
    data = _admin_post(conference, room, **{
        "roles-TOTAL_FORMS": "1", "roles-0-participant": person.pk, "roles-0-role": "panelist", "roles-0-order": "0",
    })
    response = client.post(reverse("admin:sessions_app_session_add"), data)
    assert response.status_code == 200
    assert "Omar Said already has a role in “Working group”" in response.content.decode()
    assert not Session.objects.filter(title="Panel on smuggling").exists()


@pytest.mark.parametrize(
    ("dates", "day", "start", "end", "field", "message"),
    [
        (("2023-04-27", "2023-04-29"), "2023-04-28", "00:30", "02:00", "start_time", "does not exist"),
        (("2023-10-25", "2023-10-27"), "2023-10-26", "22:00", "23:30", "end_time", "happens twice"),
        (("2023-07-10", "2023-07-13"), "2023-07-11", "15:00", "14:00", "end_time", "must end after it starts"),
        (("2023-07-10", "2023-07-13"), "2023-07-15", "09:00", "10:00", "day", "within the conference dates"),
    ],
)
def test_admin_session_form_refuses_bad_times(client, dates, day, start, end, field, message):
    conference = ConferenceFactory(start_date=datetime.date.fromisoformat(dates[0]),
                                   end_date=datetime.date.fromisoformat(dates[1]))
    room = RoomFactory(conference=conference)
    client.force_login(StaffFactory())
    response = client.post(
        reverse("admin:sessions_app_session_add"),
        _admin_post(conference, room, day=day, start_time=start, end_time=end),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    assert not Session.objects.exists()


def test_admin_change_capacity_below_confirmed_refused(client, conference, room, make_session):
    session = make_session(capacity=5, signup_required=True, starts_at=cairo(11, 14), ends_at=cairo(11, 15, 30))
    for participant in ParticipantFactory.create_batch(3, conference=conference):
        services.signup_create(session, participant=participant)
    client.force_login(StaffFactory())
    data = _admin_post(conference, room, title=session.title, capacity="2", signup_required="on")
    response = client.post(reverse("admin:sessions_app_session_change", args=[session.pk]), data)
    assert response.status_code == 200
    assert "cannot be lower than the 3 confirmed sign-ups" in " ".join(response.context["adminform"].form.errors["capacity"])
    session.refresh_from_db()
    assert session.capacity == 5


def test_admin_changelist_shows_cairo_times_with_constant_queries(client, conference, room, make_session,
                                                                  django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(StaffFactory())
    make_session(title="First", starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("admin:sessions_app_session_changelist"))
    assert ">09:00<" in response.content.decode()
    for hour in range(10, 22):
        make_session(starts_at=cairo(11, hour), ends_at=cairo(11, hour, 50))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("admin:sessions_app_session_changelist"))
    # The first request also reads the current conference into the shared cache.
    assert (len(few), len(many)) == (10, 9)


def test_day_grid_staff_only_and_constant_queries(client, conference, room, make_session):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("sessions_app:grid", args=["2023-07-10"])
    assert client.get(url).status_code == 302  # to the admin login
    make_session(title="Opening", starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    client.force_login(StaffFactory())
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    body = response.content.decode()
    assert "Opening" in body and "grid-row: 2 / 6" in body  # grid starts 09:00; 09:00–10:00 spans four 15-min rows
    other = RoomFactory(conference=conference, name="Hall B", order=2)
    for hour in range(10, 18):
        make_session(room=other, starts_at=cairo(10, hour), ends_at=cairo(10, hour, 45))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    # The first request also reads the current conference into the shared cache.
    assert (len(few), len(many)) == (4, 3)
