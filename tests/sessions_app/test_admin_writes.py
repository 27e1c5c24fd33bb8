"""The programme admin writes through the services: session roles edited inline (the role services' checks, lock
and audit entries), rooms and sessions saved and deleted with their audit entries, a room with sessions kept."""

import pytest
from django.urls import reverse

from conference.models import AuditLog
from conference.services import AccordError
from sessions_app import services
from sessions_app.models import Room, Session, SessionRole
from tests.admin_form import admin_form_data
from tests.factories import ParticipantFactory, RoomFactory, SessionRoleFactory, StaffFactory

from .conftest import cairo

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = StaffFactory()
    client.force_login(user)
    return user


def _change_data(client, name: str, pk: int) -> dict:
    response = client.get(reverse(f"admin:sessions_app_{name}_change", args=[pk]))
    assert response.status_code == 200
    return admin_form_data(response.content.decode())


def _actions(prefix: str) -> list[tuple[str, dict]]:
    return [(entry.action, entry.changes) for entry in AuditLog.objects.filter(action__startswith=prefix).order_by("pk")]


def test_role_inline_add_goes_through_the_service_with_its_audit_entry(client, staff, make_session, conference):
    session = make_session(title="Opening", starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    person = ParticipantFactory(conference=conference)
    data = _change_data(client, "session", session.pk)
    data.update({"roles-0-participant": str(person.pk), "roles-0-role": "chair", "roles-0-order": "1"})

    response = client.post(reverse("admin:sessions_app_session_change", args=[session.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(SessionRole.objects.values_list("session", "participant", "role", "order")) == [
        (session.pk, person.pk, "chair", 1)
    ]
    assert _actions("session_role.") == [("session_role.added", {"session": session.pk, "role": "chair"})]
    entry = AuditLog.objects.get(action="session_role.added")
    assert (entry.actor, entry.conference, entry.object_id) == (staff, conference, str(person.pk))
    assert not AuditLog.objects.filter(action="session.changed").exists()  # the session itself did not change


def test_role_inline_add_breaking_the_service_rule_is_refused_with_a_message(client, staff, make_session, conference):
    other_room = RoomFactory(conference=conference, name="Hall B")
    busy = make_session(title="Morning panel", starts_at=cairo(10, 9), ends_at=cairo(10, 10, 30))
    session = make_session(room=other_room, title="Side event", starts_at=cairo(10, 10), ends_at=cairo(10, 11))
    person = ParticipantFactory(conference=conference, badge_name="Amina Haddad")
    SessionRoleFactory(session=busy, participant=person, role="chair")
    data = _change_data(client, "session", session.pk)
    data.update({"roles-0-participant": str(person.pk), "roles-0-role": "speaker", "roles-0-order": "0"})

    response = client.post(reverse("admin:sessions_app_session_change", args=[session.pk]), data)

    assert response.status_code == 200
    assert "Amina Haddad already has a role in “Morning panel” at the same time" in response.content.decode()
    assert not SessionRole.objects.filter(session=session).exists()
    assert not AuditLog.objects.exists()
    # The service keeps the same rule for every caller, under its lock.
    with pytest.raises(AccordError, match="Amina Haddad already has a role"):
        services.session_role_add(session, participant=person, role="speaker", actor=staff)
    assert not SessionRole.objects.filter(session=session).exists()


def test_role_inline_change_and_delete_go_through_the_services(client, staff, make_session, conference):
    session = make_session(title="Panel")
    keep, drop = ParticipantFactory(conference=conference), ParticipantFactory(conference=conference)
    kept = SessionRoleFactory(session=session, participant=keep, role="speaker", order=1)
    dropped = SessionRoleFactory(session=session, participant=drop, role="panelist", order=2)
    data = _change_data(client, "session", session.pk)
    rows = {data[f"roles-{index}-id"]: index for index in range(2)}
    data[f"roles-{rows[str(kept.pk)]}-role"] = "moderator"
    data[f"roles-{rows[str(dropped.pk)]}-DELETE"] = "on"

    response = client.post(reverse("admin:sessions_app_session_change", args=[session.pk]), data)

    assert response.status_code == 302
    assert list(SessionRole.objects.values_list("participant", "role")) == [(keep.pk, "moderator")]
    assert _actions("session_role.") == [
        ("session_role.removed", {"session": session.pk, "role": "panelist"}),
        ("session_role.changed", {"session": session.pk,
                                  "before": {"participant": keep.pk, "role": "speaker", "order": 1},
                                  "after": {"participant": keep.pk, "role": "moderator", "order": 1}}),
    ]


def test_session_admin_edit_and_delete_are_audited(client, staff, make_session):
    session = make_session(title="Opening", capacity=50)
    data = _change_data(client, "session", session.pk)
    data["title"] = "Opening ceremony"
    data["capacity"] = "60"

    assert client.post(reverse("admin:sessions_app_session_change", args=[session.pk]), data).status_code == 302
    assert _actions("session.") == [("session.changed", {"title": ["Opening", "Opening ceremony"], "capacity": [50, 60]})]

    response = client.post(reverse("admin:sessions_app_session_delete", args=[session.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Session.objects.filter(pk=session.pk).exists()
    assert [action for action, _changes in _actions("session.")] == ["session.changed", "session.deleted"]


def test_room_admin_edit_is_audited(client, staff, room):
    data = _change_data(client, "room", room.pk)
    data["capacity"] = "40"

    assert client.post(reverse("admin:sessions_app_room_change", args=[room.pk]), data).status_code == 302

    assert _actions("room.") == [("room.changed", {"capacity": [100, 40]})]


def test_room_with_sessions_is_not_deleted_then_deleted_once_empty(client, staff, room, make_session):
    session = make_session(room=room)
    url = reverse("admin:sessions_app_room_delete", args=[room.pk])

    refused = client.post(url, {"post": "yes"})

    assert refused.status_code == 200
    assert "Cannot delete room" in refused.content.decode() or "protected" in refused.content.decode()
    assert Room.objects.filter(pk=room.pk).exists()
    with pytest.raises(AccordError, match="Hall A cannot be deleted: 1 session takes place in it"):
        services.room_delete(room, actor=staff)
    assert Room.objects.filter(pk=room.pk).exists()
    assert not AuditLog.objects.filter(action="room.deleted").exists()

    services.session_delete(session, actor=staff)
    deleted = client.post(url, {"post": "yes"})

    assert deleted.status_code == 302
    assert not Room.objects.filter(pk=room.pk).exists()
    entry = AuditLog.objects.get(action="room.deleted")
    assert (entry.actor, entry.object_repr, entry.changes) == (staff, "Hall A", {"name": "Hall A"})


def test_room_delete_action_refuses_all_when_one_room_has_sessions(client, staff, conference, room, make_session):
    empty = RoomFactory(conference=conference, name="Hall C")
    make_session(room=room)
    with pytest.raises(AccordError):
        services.room_delete(room, actor=staff)
    response = client.post(reverse("admin:sessions_app_room_changelist"),
                           {"action": "delete_selected", "_selected_action": [room.pk, empty.pk], "post": "yes"})
    assert response.status_code == 200  # the admin lists what protects the room and deletes nothing
    assert set(Room.objects.values_list("name", flat=True)) == {"Hall A", "Hall C"}
    assert not AuditLog.objects.filter(action="room.deleted").exists()
