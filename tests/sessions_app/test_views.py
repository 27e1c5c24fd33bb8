import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conference.selectors import current_conference
from sessions_app import selectors
from sessions_app.models import SessionSignup
from tests.factories import (
    ConferenceFactory,
    DelegationFactory,
    ParticipantFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    UserFactory,
)

from .conftest import cairo

pytestmark = pytest.mark.django_db


def _build_day(conference, room, count, day=10):
    """``count`` sessions on one day across three rooms, each with two people in roles."""
    rooms = [room] + [RoomFactory(conference=conference, order=i + 2) for i in range(2)]
    sessions = []
    for index in range(count):
        hour, slot = 8 + index // 3, index % 3
        session = SessionFactory(conference=conference, room=rooms[slot], starts_at=cairo(day, hour % 24),
                                 ends_at=cairo(day, hour % 24, 50), title=f"Talk {index}", title_fr=f"Exposé {index}")
        SessionRoleFactory(session=session, role="chair",
                           participant=ParticipantFactory(conference=conference))
        SessionRoleFactory(session=session, role="speaker",
                           participant=ParticipantFactory(conference=conference, delegation=None))
        sessions.append(session)
    return sessions


def test_programme_index_redirects_to_first_day(client, conference):
    response = client.get(reverse("sessions_app:index"))
    assert response.status_code == 302
    assert response.url == reverse("sessions_app:day", args=["2023-07-10"])


def test_day_page_lists_sessions_in_cairo_time_and_people(client, conference, make_session):
    session = make_session(title="Opening ceremony", title_fr="Cérémonie d'ouverture", kind="opening",
                           starts_at=cairo(10, 9), ends_at=cairo(10, 10, 30))
    delegation = DelegationFactory(conference=conference, country="MA")
    SessionRoleFactory(session=session, role="chair",
                       participant=ParticipantFactory(conference=conference, delegation=delegation,
                                                      badge_name="H.E. Nadia <b>Alami</b>"))
    make_session(title="Hidden rehearsal", is_public=False, starts_at=cairo(10, 11), ends_at=cairo(10, 12))
    body = client.get(reverse("sessions_app:day", args=["2023-07-10"])).content.decode()
    assert "Opening ceremony" in body
    assert "09:00" in body and "10:30" in body
    assert "H.E. Nadia &lt;b&gt;Alami&lt;/b&gt;" in body
    assert "Morocco" in body
    assert "Hidden rehearsal" not in body


def test_day_page_in_french_shows_french_title(client, conference, make_session):
    make_session(title="Opening ceremony", title_fr="Cérémonie d'ouverture")
    make_session(title="Only English", starts_at=cairo(10, 11), ends_at=cairo(10, 12))
    client.cookies["accord_language"] = "fr"
    body = client.get(reverse("sessions_app:day", args=["2023-07-10"])).content.decode()
    assert "Cérémonie d&#x27;ouverture" in body
    assert "Only English" in body  # fallback to English


def test_day_page_filters_by_kind_room_and_language(client, conference, room, make_session):
    hall_b = RoomFactory(conference=conference, name="Hall B", interpretation_languages=["en"])
    make_session(title="Panel A", kind="panel", starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    make_session(title="Group B", kind="working_group", room=hall_b, starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    make_session(title="Panel B french", kind="panel", room=hall_b, interpretation_languages=["fr"],
                 starts_at=cairo(10, 11), ends_at=cairo(10, 12))
    url = reverse("sessions_app:day", args=["2023-07-10"])

    def titles(params):
        body = client.get(url, params).content.decode()
        return {t for t in ("Panel A", "Group B", "Panel B french") if t in body}

    assert titles({"kind": "panel"}) == {"Panel A", "Panel B french"}
    assert titles({"room": hall_b.pk}) == {"Group B", "Panel B french"}
    assert titles({"lang": "ar"}) == {"Panel A"}  # the room's languages apply when the session sets none
    assert titles({"lang": "fr", "kind": "panel"}) == {"Panel A", "Panel B french"}
    assert titles({"kind": "nonsense"}) == {"Panel A", "Group B", "Panel B french"}  # bad filter ignored


def test_day_page_outside_conference_or_malformed_is_404(client, conference):
    assert client.get(reverse("sessions_app:day", args=["2023-07-09"])).status_code == 404
    assert client.get("/programme/day/2023-13-45/").status_code == 404


def test_day_page_query_count_constant(client, conference, room):
    url = reverse("sessions_app:day", args=["2023-07-10"])
    _build_day(conference, room, 3)
    selectors.programme_conference()  # kept in the shared cache from the first request on
    current_conference()  # the time-zone middleware reads it on a first request, then from the shared cache
    with CaptureQueriesContext(connection) as few:
        assert "Talk 2" in client.get(url).content.decode()
    _build_day(conference, room, 40, day=10)
    with CaptureQueriesContext(connection) as many:
        assert "Talk 39" in client.get(url).content.decode()
    assert len(few) == len(many)


def test_session_page_shows_description_and_roles(client, conference, make_session):
    session = make_session(title="Panel", description="About <script>x</script> smuggling", kind="panel",
                           title_ar="حلقة نقاش", description_ar="وصف")
    SessionRoleFactory(session=session, role="moderator", participant=ParticipantFactory(
        conference=conference, badge_name="Karim Benali"))
    body = client.get(reverse("sessions_app:session", args=[session.pk])).content.decode()
    assert "About &lt;script&gt;x&lt;/script&gt; smuggling" in body
    assert "Moderator" in body and "Karim Benali" in body
    client.cookies["accord_language"] = "ar"
    body = client.get(reverse("sessions_app:session", args=[session.pk])).content.decode()
    assert 'dir="rtl"' in body and "حلقة نقاش" in body and "وصف" in body


def test_session_page_unknown_hidden_or_foreign_is_404(client, conference, make_session):
    hidden = make_session(is_public=False)
    other = SessionFactory(conference=ConferenceFactory(slug="other"))
    assert client.get(reverse("sessions_app:session", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("sessions_app:session", args=[other.pk])).status_code == 404
    assert client.get(reverse("sessions_app:session", args=[999999])).status_code == 404


def _participant_user(conference, **kwargs):
    user = UserFactory()
    participant = ParticipantFactory(conference=conference, user=user, email=user.email, **kwargs)
    return user, participant


def test_signup_view_confirms_then_waitlists(client, conference, make_session):
    session = make_session(signup_required=True, capacity=1)
    first_user, first = _participant_user(conference)
    second_user, second = _participant_user(conference)
    client.force_login(first_user)
    response = client.post(reverse("sessions_app:signup", args=[session.pk]), follow=True)
    assert "You are signed up for this session." in response.content.decode()
    client.force_login(second_user)
    response = client.post(reverse("sessions_app:signup", args=[session.pk]), follow=True)
    body = response.content.decode()
    assert "you are on the waiting list" in body and "position 1" in body
    assert list(SessionSignup.objects.order_by("id").values_list("participant", "status")) == [
        (first.pk, "confirmed"), (second.pk, "waitlisted")]


def test_signup_view_refuses_twice_unapproved_and_strangers(client, conference, make_session):
    session = make_session(signup_required=True, capacity=10)
    user, participant = _participant_user(conference)
    client.force_login(user)
    client.post(reverse("sessions_app:signup", args=[session.pk]))
    response = client.post(reverse("sessions_app:signup", args=[session.pk]), follow=True)
    assert "You have already signed up for this session." in response.content.decode()
    pending_user, _ = _participant_user(conference, status="submitted")
    client.force_login(pending_user)
    response = client.post(reverse("sessions_app:signup", args=[session.pk]), follow=True)
    assert "once your registration has been approved" in response.content.decode()
    stranger = UserFactory()
    ParticipantFactory(conference=ConferenceFactory(slug="elsewhere"), user=stranger, email=stranger.email)
    client.force_login(stranger)
    response = client.post(reverse("sessions_app:signup", args=[session.pk]), follow=True)
    assert "You are not registered for this conference." in response.content.decode()
    assert SessionSignup.objects.count() == 1


def test_signup_view_needs_login_and_post(client, conference, make_session):
    session = make_session(signup_required=True)
    response = client.post(reverse("sessions_app:signup", args=[session.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    user, _ = _participant_user(conference)
    client.force_login(user)
    assert client.get(reverse("sessions_app:signup", args=[session.pk])).status_code == 405
    assert not SessionSignup.objects.exists()


def test_cancel_view_promotes_waitlisted_with_email(client, conference, make_session, mailoutbox,
                                                    django_capture_on_commit_callbacks):
    session = make_session(signup_required=True, capacity=1, title="Panel", title_fr="Table ronde")
    user, first = _participant_user(conference)
    other_user, second = _participant_user(conference, preferred_language="fr")
    client.force_login(user)
    client.post(reverse("sessions_app:signup", args=[session.pk]))
    client.force_login(other_user)
    client.post(reverse("sessions_app:signup", args=[session.pk]))
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sessions_app:cancel", args=[session.pk]), {"next": "me"})
    assert response.url == reverse("sessions_app:me")
    assert list(SessionSignup.objects.values_list("participant", "status")) == [(second.pk, "confirmed")]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [second.email]
    assert "Table ronde" in mailoutbox[0].subject


def test_my_agenda_lists_signups_with_position_and_roles(client, conference, make_session):
    full = make_session(title="Full workshop", signup_required=True, capacity=1)
    open_session = make_session(title="Open panel", signup_required=True, starts_at=cairo(11, 9),
                                ends_at=cairo(11, 10))
    chaired = make_session(title="Chaired session", starts_at=cairo(12, 9), ends_at=cairo(12, 10))
    from sessions_app import services

    for participant in ParticipantFactory.create_batch(2, conference=conference):
        services.signup_create(full, participant=participant)
    user, participant = _participant_user(conference)
    services.signup_create(full, participant=participant)
    services.signup_create(open_session, participant=participant)
    SessionRoleFactory(session=chaired, participant=participant, role="chair")
    client.force_login(user)
    body = client.get(reverse("sessions_app:me")).content.decode()
    assert "Full workshop" in body and "Waiting list, position 2" in body
    assert "Open panel" in body and "Confirmed" in body
    assert "Chaired session" in body and "Chair" in body


def test_my_agenda_query_count_constant(client, conference, room):
    from sessions_app import services

    user, participant = _participant_user(conference)
    client.force_login(user)
    sessions = _build_day(conference, room, 40)
    for session in sessions[:2]:
        session.signup_required = True
        session.save()
        services.signup_create(session, participant=participant)
    selectors.programme_conference()  # kept in the shared cache from the first request on
    current_conference()  # the time-zone middleware reads it on a first request, then from the shared cache
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("sessions_app:me"))
    for session in sessions[2:]:
        session.signup_required = True
        session.save()
        services.signup_create(session, participant=participant)
    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse("sessions_app:me")).content.decode()
    assert "Talk 39" in body
    assert len(few) == len(many)
