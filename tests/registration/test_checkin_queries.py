"""Queries of the desk's scan API: few and constant (the desk's hot path)."""

from __future__ import annotations

import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registration.enums import ParticipantStatus
from registration.services.badges import badge_code, badge_ensure
from tests.factories import ConferenceFactory, ParticipantFactory, StaffFactory

pytestmark = pytest.mark.django_db

#: The badge with its holder, then one write (the first check-in with its scan row, or the scan row alone): 2
#: statements in production, with no transaction block (the user, the conference and the session come from the
#: cache); inside the test's transaction each write gets a SAVEPOINT and its RELEASE (or ROLLBACK TO).
MAX_SCAN_QUERIES = 4


@pytest.fixture
def conference(settings):
    conference = ConferenceFactory(slug="scan-conf")
    settings.ACCORD_DEFAULT_CONFERENCE = "scan-conf"
    return conference


def _approved(conference):
    participant = ParticipantFactory(conference=conference, status=ParticipantStatus.APPROVED)
    badge_ensure(participant)
    return participant


def _scan(client, participant, client_id=None):
    return client.post(
        reverse("registration:desk_scan"), content_type="application/json",
        data=json.dumps({"code": badge_code(participant.badge), "client_id": client_id or str(uuid.uuid4())}),
    )


def test_scan_queries_first_already_and_resend_few(client, conference):
    staff = StaffFactory(is_superuser=False)
    ParticipantFactory(user=staff, conference=conference)  # a staff member who is also a participant
    client.force_login(staff)
    first, second = _approved(conference), _approved(conference)
    _scan(client, first)  # warm-up: the language and the conference are looked up once
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
    assert len(ok) <= MAX_SCAN_QUERIES
    # The staff member's saved language was looked up at login, not on each scan.
    assert not any('AS "preferred_language"' in query["sql"] for query in ok.captured_queries)
    assert len(already) <= MAX_SCAN_QUERIES
    assert len(resend) <= MAX_SCAN_QUERIES + 2  # the rolled-back insert, then the recorded answer
    assert not any(query["sql"].startswith("BEGIN") for query in ok.captured_queries)
