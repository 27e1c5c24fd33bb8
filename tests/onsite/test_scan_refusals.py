"""One badge-code resolver (onsite.services.checkin.resolve_code) for the desk check-in and the door attendance:
each refusal (malformed or forged code, revoked badge, another conference's badge, a participant not approved)
gets the same clear answer through both endpoints, and neither records anything for it."""

from __future__ import annotations

import datetime
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from onsite.enums import CheckInResult
from onsite.models import Attendance, Badge, CheckIn
from onsite.services.badges import badge_code, badge_revoke
from registration.enums import ParticipantStatus
from sessions_app.models import Session
from tests.factories import ConferenceFactory, StaffFactory
from tests.onsite.factories import approved_with_badge

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return StaffFactory(is_superuser=False)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def door(conference):
    start = timezone.now()
    return Session.objects.create(conference=conference, kind="plenary", title="Plenary",
                                  starts_at=start, ends_at=start + datetime.timedelta(hours=1))


def _code(case: str, conference, staff) -> tuple[str, str]:
    """A code for ``case`` and the message both endpoints must answer with."""
    if case == "malformed":
        return "not an accord badge", "Invalid code: not an Accord badge, or damaged. Search the participant by name."
    if case == "forged":
        person = approved_with_badge(conference=conference)
        return badge_code(person.badge)[:-3] + "xyz", (
            "Invalid code: not an Accord badge, or damaged. Search the participant by name."
        )
    if case == "unsigned token":
        person = approved_with_badge(conference=conference)
        return Badge.objects.get(participant=person).token, (
            "Invalid code: not an Accord badge, or damaged. Search the participant by name."
        )
    if case == "revoked":
        person = approved_with_badge(conference=conference, first_name="Amira", last_name="Haddad", badge_name="")
        old = badge_code(person.badge)
        badge_revoke(person, actor=staff, reason="lost")
        return old, f"This badge of {person.printed_name} was revoked: do not admit, ask for the new badge."
    if case in {"other conference", "other conference, revoked"}:
        elsewhere = ConferenceFactory(slug="elsewhere", short_name="ELSE", name="Elsewhere meeting")
        person = approved_with_badge(conference=elsewhere)
        code = badge_code(person.badge)
        if case == "other conference, revoked":
            badge_revoke(person, actor=staff, reason="lost")
        return code, f"This badge belongs to another conference ({elsewhere})."
    if case == "not approved":
        person = approved_with_badge(conference=conference, first_name="Karim", last_name="Saleh", badge_name="")
        person.status = ParticipantStatus.CANCELLED
        person.save(update_fields=["status"])
        return badge_code(person.badge), f"{person.printed_name} is not approved (Cancelled)."
    raise AssertionError(case)


CASES = {
    "malformed": CheckInResult.INVALID,
    "forged": CheckInResult.INVALID,
    "unsigned token": CheckInResult.INVALID,
    "revoked": CheckInResult.REVOKED,
    "other conference": CheckInResult.OTHER_CONFERENCE,
    "other conference, revoked": CheckInResult.OTHER_CONFERENCE,
    "not approved": CheckInResult.NOT_APPROVED,
}


def _scan(client, url: str, code: str) -> dict:
    response = client.post(url, data=json.dumps({"code": code, "client_id": str(uuid.uuid4())}),
                           content_type="application/json")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("endpoint", ["desk", "door"])
def test_scan_refusal_same_answer_at_the_desk_and_the_door(staff_client, staff, conference, door, case, endpoint):
    code, message = _code(case, conference, staff)
    url = (reverse("registration:desk_scan") if endpoint == "desk"
           else reverse("registration:desk_session_scan", args=[door.pk]))

    answer = _scan(staff_client, url, code)

    assert (answer["result"], answer["ok"], answer["message"]) == (CASES[case], False, message)
    if CASES[case] in {CheckInResult.INVALID, CheckInResult.OTHER_CONFERENCE}:
        assert answer["participant"] is None  # nothing about an unknown code or another conference's person
    assert not Attendance.objects.exists()
    assert not CheckIn.objects.filter(result=CheckInResult.OK).exists()


@pytest.mark.parametrize("case", list(CASES))
def test_scan_refusal_desk_and_door_agree_on_one_code(staff_client, staff, conference, door, case):
    code, _message = _code(case, conference, staff)
    desk = _scan(staff_client, reverse("registration:desk_scan"), code)
    at_door = _scan(staff_client, reverse("registration:desk_session_scan", args=[door.pk]), code)
    assert {key: desk[key] for key in ("result", "ok", "message", "participant")} == {
        key: at_door[key] for key in ("result", "ok", "message", "participant")
    }
    # The desk keeps its refusals in its scan log (without another conference's person); the door keeps none.
    scan = CheckIn.objects.get()
    assert scan.result == CASES[case]
    assert scan.participant_id is None or scan.participant.conference_id == conference.pk
    assert not Attendance.objects.exists()
