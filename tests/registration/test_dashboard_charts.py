"""The organizers' dashboard charts (issue 24 item 18): their data, the tables that repeat it, a strict CSP."""

from __future__ import annotations

import datetime
import json
import re

import pytest

from conference.selectors import current_conference
from registration.models import Participant
from tests.factories import ConferenceFactory, DelegationFactory, ParticipantFactory, StaffFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def _registered(conference, when: datetime.datetime, **kwargs) -> Participant:
    person = ParticipantFactory(conference=conference, **kwargs)
    Participant.objects.filter(pk=person.pk).update(created_at=when)
    return person


def _url(conference) -> str:
    return f"/admin/registration/participant/dashboard/{conference.pk}/"


def test_dashboard_charts_data_days_in_conference_zone_cumulative_by_status(staff_client):
    conference = ConferenceFactory(time_zone="Africa/Cairo")
    egypt = DelegationFactory(conference=conference, code="EGY")
    tunisia = DelegationFactory(conference=conference, code="TUN", country="TN")
    # 22:30 UTC on 1 July is already 2 July in Cairo (UTC+3 in summer 2023)
    _registered(conference, datetime.datetime(2023, 7, 1, 22, 30, tzinfo=UTC), delegation=egypt, status="approved",
                category="head", gender="male")
    _registered(conference, datetime.datetime(2023, 7, 1, 10, 0, tzinfo=UTC), delegation=egypt, status="submitted",
                category="delegate", gender="female")
    _registered(conference, datetime.datetime(2023, 7, 3, 9, 0, tzinfo=UTC), delegation=tunisia, status="approved",
                category="delegate", gender="female")
    _registered(conference, datetime.datetime(2023, 7, 3, 9, 5, tzinfo=UTC), delegation=None, status="rejected",
                category="media", gender="")
    ParticipantFactory(status="approved")  # another conference

    response = staff_client.get(_url(conference))

    charts = response.context["charts"]
    assert charts["registrations"]["days"] == ["2023-07-01", "2023-07-02", "2023-07-03"]
    series = {s["value"]: s["counts"] for s in charts["registrations"]["statuses"]}
    assert series == {"invited": [0, 0, 0], "submitted": [1, 1, 1], "approved": [0, 1, 2], "rejected": [0, 0, 1],
                      "cancelled": [0, 0, 0]}
    assert charts["delegations"]["labels"] == ["EGY", "TUN", "Without delegation"]
    cells = {c["value"]: c["counts"] for c in charts["delegations"]["categories"]}
    assert (cells["head"], cells["delegate"], cells["media"]) == ([1, 0, 0], [1, 1, 0], [0, 0, 1])
    assert {g["value"]: g["count"] for g in charts["genders"]} == {"female": 2, "male": 1, "undisclosed": 0, "": 1}

    body = response.content.decode()
    # the same numbers as tables
    table = body[body.index('id="registrations-over-time"'):body.index("</table>", body.index('id="registrations-over-time"'))]
    rows = re.findall(r'<time datetime="([\d-]+)">.*?</th>((?:<td>\d+</td>)+)', table)
    assert [(day, re.findall(r"\d+", cells_html)) for day, cells_html in rows] == [
        ("2023-07-01", ["0", "1", "0", "0", "0"]), ("2023-07-02", ["0", "1", "1", "0", "0"]),
        ("2023-07-03", ["0", "1", "2", "1", "0"]),
    ]
    assert 'id="delegation-category"' in body
    # the data travels as JSON in the page, the chart library and our script as static files
    embedded = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', body, re.S).group(1)
    assert json.loads(embedded)["registrations"]["days"] == charts["registrations"]["days"]
    assert "/static/vendor/chartjs/chart.umd.min.js" in body and "/static/js/dashboard.js" in body
    for tag in re.findall(r"<script\b[^>]*>", body):
        assert "src=" in tag or 'type="application/json"' in tag, f"inline script {tag}"


def test_dashboard_charts_empty_conference(staff_client):
    conference = ConferenceFactory()
    response = staff_client.get(_url(conference))
    charts = response.context["charts"]
    assert charts["registrations"]["days"] == [] and charts["delegations"]["labels"] == []
    assert "No registrations yet." in response.content.decode()


@pytest.mark.parametrize("delegations,per_delegation", [(1, 1), (12, 5)])
def test_dashboard_with_charts_query_count(staff_client, django_assert_num_queries, delegations, per_delegation):
    conference = ConferenceFactory()
    for i in range(delegations):
        delegation = DelegationFactory(conference=conference, code=f"Q{i:02d}")
        for _ in range(per_delegation):
            ParticipantFactory(conference=conference, delegation=delegation)
    current_conference()  # the time-zone middleware's read, then from the shared cache
    # session, user, conference, the dashboard's counts (delegations, totals, three groupings), the charts' two
    # and logistics' arrivals by day, the registration questions' counts per choice (one query without questions)
    with django_assert_num_queries(11):
        response = staff_client.get(_url(conference))
    assert response.status_code == 200
    assert len(response.context["charts"]["delegations"]["labels"]) == delegations
