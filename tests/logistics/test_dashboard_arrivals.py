"""The organizers' dashboard shows arrivals by day (issue 24 item 18), a chart that logistics adds through
registration.dashboard's extension point, with its numbers as a table."""

from __future__ import annotations

import datetime
import json
import re

import pytest

from logistics.models import TravelPlan
from tests.factories import ConferenceFactory, ParticipantFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def _arriving(conference, day, status="approved"):
    person = ParticipantFactory(conference=conference, status=status)
    TravelPlan.objects.create(participant=person, arrival_date=day)
    return person


def test_dashboard_arrivals_by_day_of_approved_participants(staff_client):
    conference = ConferenceFactory()
    for day, count in ((datetime.date(2023, 7, 9), 2), (datetime.date(2023, 7, 10), 3)):
        for _ in range(count):
            _arriving(conference, day)
    _arriving(conference, datetime.date(2023, 7, 9), status="submitted")  # not approved: not counted
    _arriving(conference, None)  # no arrival date yet
    _arriving(ConferenceFactory(slug="other"), datetime.date(2023, 7, 9))  # another conference

    response = staff_client.get(f"/admin/registration/participant/dashboard/{conference.pk}/")

    extra = response.context["charts"]["extra"]
    assert [(c["key"], c["days"], c["counts"]) for c in extra] == [("arrivals", ["2023-07-09", "2023-07-10"], [2, 3])]
    body = response.content.decode()
    table = body[body.index('id="arrivals-by-day"'):body.index("</table>", body.index('id="arrivals-by-day"'))]
    assert re.findall(r'<time datetime="([\d-]+)">[^<]*</time></th><td>(\d+)</td>', table) == [
        ("2023-07-09", "2"), ("2023-07-10", "3")]
    assert 'id="chart-arrivals"' in body
    embedded = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', body, re.S).group(1)
    assert json.loads(embedded)["extra"][0]["counts"] == [2, 3]


def test_dashboard_arrivals_empty(staff_client):
    conference = ConferenceFactory()
    response = staff_client.get(f"/admin/registration/participant/dashboard/{conference.pk}/")
    assert response.context["charts"]["extra"][0]["days"] == []
    assert "Nothing yet." in response.content.decode()
