import pytest
from django.urls import reverse

from cooperation.models import BilateralMeeting
from sessions_app import services
from sessions_app.models import SessionSignup
from tests.factories import DelegationFactory, ParticipantFactory, RoomFactory, StaffFactory

from .conftest import cairo

pytestmark = pytest.mark.django_db


def test_admin_change_form_shows_local_day_and_times(client, make_session):
    session = make_session(starts_at=cairo(12, 16, 45), ends_at=cairo(12, 18))
    client.force_login(StaffFactory())
    response = client.get(reverse("admin:sessions_app_session_change", args=[session.pk]))
    form = response.context["adminform"].form
    assert str(form.initial["day"]) == "2023-07-12"
    assert form.initial["start_time"].strftime("%H:%M") == "16:45"
    assert form.initial["end_time"].strftime("%H:%M") == "18:00"
    assert 'value="16:45"' in response.content.decode()


def _grow(conference, make_session, count, offset):
    delegation_a, delegation_b = DelegationFactory(conference=conference), DelegationFactory(conference=conference)
    for index in range(count):
        room = RoomFactory(conference=conference)
        session = make_session(room=room, signup_required=True, capacity=1,
                               starts_at=cairo(10 + index % 4, 8 + offset), ends_at=cairo(10 + index % 4, 8 + offset, 30))
        for person in ParticipantFactory.create_batch(2, conference=conference):
            services.signup_create(session, participant=person)
        BilateralMeeting.objects.create(conference=conference, requesting=delegation_a, invited=delegation_b,
                                        room=room, starts_at=session.starts_at, ends_at=session.ends_at)
    for language in ("en",):
        services.agenda_file_refresh(conference, language)


#: Queries of each changelist with one row, then with a dozen more (the first request counted as it comes, nothing
#: warmed before): the staff user, the conferences of the filter, the counts and the rows, whatever their number.
#: Each first request also looks up the current conference by its slug (for its time zone, which every page
#: shows and takes times in), which the cache then keeps, hence one query fewer on the second request.
CHANGELIST_QUERIES = {
    "sessions_app_room": (6, 5),
    "sessions_app_sessionsignup": (6, 5),
    "cooperation_bilateralmeeting": (6, 5),
    "sessions_app_agendafile": (7, 6),
    "sessions_app_session": (10, 9),
}


@pytest.mark.parametrize("name", list(CHANGELIST_QUERIES))
def test_admin_changelists_query_count_constant(client, conference, make_session, name, django_assert_num_queries):
    client.force_login(StaffFactory())
    url = reverse(f"admin:{name}_changelist")
    one_row, more_rows = CHANGELIST_QUERIES[name]
    _grow(conference, make_session, 1, 0)
    with django_assert_num_queries(one_row):
        assert client.get(url).status_code == 200
    _grow(conference, make_session, 12, 4)
    with django_assert_num_queries(more_rows):
        assert client.get(url).status_code == 200


def test_admin_cancel_signups_action_promotes(client, conference, make_session, mailoutbox,
                                             django_capture_on_commit_callbacks):
    session = make_session(signup_required=True, capacity=1)
    first, second = ParticipantFactory.create_batch(2, conference=conference)
    signup = services.signup_create(session, participant=first)
    services.signup_create(session, participant=second)
    client.force_login(StaffFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:sessions_app_sessionsignup_changelist"),
                               {"action": "cancel_signups", "_selected_action": [signup.pk]}, follow=True)
    assert "1 person moved from the waiting list to the confirmed sign-ups" in response.content.decode()
    assert list(SessionSignup.objects.values_list("participant", "status")) == [(second.pk, "confirmed")]
    assert [m.to for m in mailoutbox] == [[second.email]]
