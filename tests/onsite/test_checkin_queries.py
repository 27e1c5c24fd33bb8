"""Queries of the desk's scan API: few and constant (the desk's hot path)."""

from __future__ import annotations

import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onsite.services.badges import badge_code
from tests.factories import ParticipantFactory, StaffFactory
from tests.onsite.factories import approved_with_badge

pytestmark = pytest.mark.django_db

#: The logged-in user (the conference comes from the shared cache), then one transaction (a SAVEPOINT inside the
#: test's): the badge with its holder's row locked, the first check-in, the scan row; "already" writes the scan row
#: only, then reads the staff who checked them in (for the answer); a resend's scan row is refused by its client id
#: (rolled back), then the recorded answer is read.
OK_QUERIES, ALREADY_QUERIES, RESEND_QUERIES = 6, 6, 7

def _scan(client, participant, client_id=None):
    return client.post(
        reverse("registration:desk_scan"), content_type="application/json",
        data=json.dumps({"code": badge_code(participant.badge), "client_id": client_id or str(uuid.uuid4())}),
    )


def test_scan_queries_first_already_and_resend_few(client, conference):
    staff = StaffFactory(is_superuser=False)
    ParticipantFactory(user=staff, conference=conference)  # a staff member who is also a participant
    client.force_login(staff)
    first, second = approved_with_badge(conference=conference), approved_with_badge(conference=conference)
    _scan(client, first)  # the first request of the session
    with CaptureQueriesContext(connection) as ok:
        assert _scan(client, second).json()["result"] == "ok"
    client_id = str(uuid.uuid4())
    with CaptureQueriesContext(connection) as already:
        assert _scan(client, second, client_id).json()["result"] == "already"
    with CaptureQueriesContext(connection) as resend:
        response = _scan(client, second, client_id).json()
    assert response["result"] == "already" and response["duplicate"] is True
    for label, captured in (("ok", ok), ("already", already), ("resend", resend)):
        print(label, len(captured))
        for query in captured.captured_queries:
            print("   ", query["sql"][:160])
    assert len(ok) == OK_QUERIES
    # The staff member's saved language was looked up at login, not on each scan.
    assert not any('AS "preferred_language"' in query["sql"] for query in ok.captured_queries)
    assert len(already) == ALREADY_QUERIES
    assert len(resend) == RESEND_QUERIES


#: A door scan: the logged-in user, the session (its conference is the cached current one), the badge with its
#: holder, the attendance looked up by session and holder, then inserted (SAVEPOINT, INSERT, RELEASE); "already"
#: and a resend find the attendance and write nothing.
DOOR_OK_QUERIES, DOOR_ALREADY_QUERIES, DOOR_RESEND_QUERIES = 7, 4, 4


def test_door_scan_queries_first_already_and_resend_few(client, conference):
    from sessions_app.models import Session
    from tests.factories import SessionFactory

    staff = StaffFactory(is_superuser=False)
    client.force_login(staff)
    session = SessionFactory(conference=conference)
    first, second = approved_with_badge(conference=conference), approved_with_badge(conference=conference)
    url = reverse("registration:desk_session_scan", args=[session.pk])

    def door(participant, client_id):
        return client.post(url, content_type="application/json",
                           data=json.dumps({"code": badge_code(participant.badge), "client_id": client_id})).json()

    door(first, str(uuid.uuid4()))  # the first request of the session
    client_id = str(uuid.uuid4())
    with CaptureQueriesContext(connection) as ok:
        assert door(second, client_id)["result"] == "ok"
    with CaptureQueriesContext(connection) as already:
        assert door(second, str(uuid.uuid4()))["result"] == "already"
    with CaptureQueriesContext(connection) as resend:
        answer = door(second, client_id)
    assert answer["result"] == "ok" and answer["duplicate"] is True
    assert Session.objects.get(pk=session.pk).attendance.count() == 2
    assert (len(ok), len(already), len(resend)) == (DOOR_OK_QUERIES, DOOR_ALREADY_QUERIES, DOOR_RESEND_QUERIES)
