import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conference.models import AuditLog, Conference, Delegation
from conference.selectors import current_conference
from conference.services import audit_record
from registration.models import Participant
from tests.factories import (
    ConferenceFactory,
    DelegationFactory,
    ParticipantFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def _count_queries(client, url):
    current_conference()  # the time-zone middleware reads it on a first request, then from the shared cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def _populate(conference, delegations, per_delegation):
    for i in range(delegations):
        delegation = DelegationFactory(conference=conference, code=f"D{i:03d}", country="", organization=f"Org {i}")
        for j in range(per_delegation):
            ParticipantFactory(
                conference=conference,
                delegation=delegation,
                status=["approved", "submitted", "rejected"][j % 3],
                category=["delegate", "expert", "head"][j % 3],
                gender=["female", "male", ""][j % 3],
                checked_in_at=datetime.datetime(2023, 7, 10, 8, tzinfo=datetime.UTC) if j % 2 else None,
            )


def test_delegation_changelist_queries_constant_with_one_and_many(staff_client):
    small = ConferenceFactory()
    _populate(small, 1, 1)
    few, response = _count_queries(staff_client, "/admin/conference/delegation/")
    assert "Org 0" in response.content.decode()
    big = ConferenceFactory()
    _populate(big, 30, 4)
    many, response = _count_queries(staff_client, "/admin/conference/delegation/")
    assert Delegation.objects.count() == 31
    assert few == many
    # The annotated participant count is shown per row.
    delegation = Delegation.objects.get(conference=big, code="D005")
    assert delegation.participants.count() == 4
    assert response.context["cl"].result_list.get(pk=delegation.pk).participant_total == 4


def test_delegation_changelist_searches_arabic_organization(staff_client):
    conference = ConferenceFactory()
    DelegationFactory(conference=conference, code="LAS", country="", organization="League of Arab States",
                      organization_ar="جامعة الدول العربية", kind="regional_body")
    DelegationFactory(conference=conference, code="AU", country="", organization="African Union")
    response = staff_client.get("/admin/conference/delegation/", {"q": "جامعة"})
    codes = [d.code for d in response.context["cl"].result_list]
    assert codes == ["LAS"]


def test_delegation_change_page_lists_members_read_only(staff_client):
    participant = ParticipantFactory(first_name="Amina", last_name="Mansour")
    url = f"/admin/conference/delegation/{participant.delegation_id}/change/"
    response = staff_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Amina Mansour" in body
    assert "participants-TOTAL_FORMS" in body


def test_delegation_admin_rejects_missing_country_and_organization(staff_client):
    conference = ConferenceFactory()
    response = staff_client.post("/admin/conference/delegation/add/", {
        "conference": conference.pk, "code": "XX", "kind": "observer", "country": "", "organization": "",
        "seat_quota": 3, "category_quotas": "{}",
        "participants-TOTAL_FORMS": 0, "participants-INITIAL_FORMS": 0,
    })
    assert response.status_code == 200
    assert "Give the delegation a country or an organization name." in response.content.decode()
    assert not Delegation.objects.filter(code="XX").exists()


def test_delegation_admin_rejects_head_from_other_delegation(staff_client):
    delegation = DelegationFactory()
    outsider = ParticipantFactory(conference=delegation.conference)
    response = staff_client.post(f"/admin/conference/delegation/{delegation.pk}/change/", {
        "conference": delegation.conference_id, "code": delegation.code, "kind": delegation.kind,
        "country": "EG", "organization": "", "seat_quota": 5, "category_quotas": "{}", "head": outsider.pk,
        "participants-TOTAL_FORMS": 0, "participants-INITIAL_FORMS": 0,
    })
    assert response.status_code == 200
    assert "must be a member of this delegation" in response.content.decode()
    delegation.refresh_from_db()
    assert delegation.head_id is None


def test_conference_admin_rejects_registration_closing_before_opening(staff_client):
    response = staff_client.post("/admin/conference/conference/add/", {
        "slug": "bad", "short_name": "Bad", "name": "Bad dates", "start_date": "2023-07-13",
        "end_date": "2023-07-10", "time_zone": "Africa/Cairo", "languages": ["en"], "badge_format": "a6",
        "registration_opens_at_0": "2023-05-01", "registration_opens_at_1": "09:00",
        "registration_closes_at_0": "2023-04-01", "registration_closes_at_1": "09:00",
        "partners-TOTAL_FORMS": 0, "partners-INITIAL_FORMS": 0,
    })
    assert response.status_code == 200
    body = response.content.decode()
    assert "The last day cannot be before the first day." in body
    assert "Registration must close after it opens." in body
    assert not Conference.objects.filter(slug="bad").exists()


def test_conference_change_form_and_changelist_link_dashboard(staff_client):
    conference = ConferenceFactory()
    dashboard = f"/admin/registration/participant/dashboard/{conference.pk}/"
    assert dashboard in staff_client.get("/admin/conference/conference/").content.decode()
    assert dashboard in staff_client.get(f"/admin/conference/conference/{conference.pk}/change/").content.decode()


def test_dashboard_former_address_redirects_to_participant_admin(staff_client):
    conference = ConferenceFactory()
    response = staff_client.get(f"/admin/conference/conference/{conference.pk}/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/registration/participant/dashboard/{conference.pk}/"
    followed = staff_client.get(response["Location"])
    assert followed.status_code == 200
    assert followed.context["conference"] == conference


def test_conference_changelist_queries_constant(staff_client):
    ConferenceFactory()
    few, _ = _count_queries(staff_client, "/admin/conference/conference/")
    for _ in range(10):
        ConferenceFactory()
    many, _ = _count_queries(staff_client, "/admin/conference/conference/")
    assert few == many


def test_auditlog_admin_is_read_only_and_constant_queries(staff_client):
    conference = ConferenceFactory()
    actor = UserFactory()
    audit_record(actor=actor, action="participant.approve", target=conference, conference=conference)
    few, response = _count_queries(staff_client, "/admin/conference/auditlog/")
    for i in range(20):
        audit_record(actor=UserFactory(), action=f"action.{i}", target=conference, conference=conference)
    many, _ = _count_queries(staff_client, "/admin/conference/auditlog/")
    assert few == many
    entry = AuditLog.objects.first()
    assert staff_client.get("/admin/conference/auditlog/add/").status_code == 403
    assert staff_client.get(f"/admin/conference/auditlog/{entry.pk}/delete/").status_code == 403
    response = staff_client.post(f"/admin/conference/auditlog/{entry.pk}/change/", {"action": "forged"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "action.19"


def test_dashboard_counts_per_delegation_category_status_gender(staff_client):
    conference = ConferenceFactory()
    _populate(conference, 2, 3)
    ParticipantFactory(conference=conference, delegation=None, status="approved", category="media", gender="male")
    ParticipantFactory(status="approved")  # another conference: not counted
    response = staff_client.get(f"/admin/registration/participant/dashboard/{conference.pk}/")
    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts["totals"] == {"total": 7, "approved": 3, "checked_in": 2, "without_delegation": 1}
    per_delegation = {d.code: (d.total, d.approved, d.checked_in) for d in counts["delegations"]}
    assert per_delegation == {"D000": (3, 1, 1), "D001": (3, 1, 1)}
    categories = {row["value"]: row["count"] for row in counts["categories"]}
    assert (categories["delegate"], categories["expert"], categories["head"], categories["media"]) == (2, 2, 2, 1)
    statuses = {row["value"]: row["count"] for row in counts["statuses"]}
    assert statuses == {"invited": 0, "submitted": 2, "approved": 3, "rejected": 2, "cancelled": 0}
    genders = {row["value"]: row["count"] for row in counts["genders"]}
    assert genders == {"female": 2, "male": 3, "undisclosed": 0, "": 2}
    body = response.content.decode()
    assert 'data-count="checked_in">2<' in body


def test_dashboard_queries_constant_with_few_and_many_participants(staff_client):
    conference = ConferenceFactory()
    _populate(conference, 1, 1)
    url = f"/admin/registration/participant/dashboard/{conference.pk}/"
    few, _ = _count_queries(staff_client, url)
    _populate_more = [DelegationFactory(conference=conference, code=f"M{i}") for i in range(15)]
    for delegation in _populate_more:
        for _ in range(5):
            ParticipantFactory(conference=conference, delegation=delegation)
    many, response = _count_queries(staff_client, url)
    assert response.context["counts"]["totals"]["total"] == 76
    assert few == many


def test_dashboard_staff_only(client):
    conference = ConferenceFactory()
    url = f"/admin/registration/participant/dashboard/{conference.pk}/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302


def test_dashboard_needs_permission_to_view_participants(client):
    conference = ConferenceFactory()
    url = f"/admin/registration/participant/dashboard/{conference.pk}/"
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 403


def test_dashboard_missing_conference_is_404(staff_client):
    assert staff_client.get("/admin/registration/participant/dashboard/999999/").status_code == 404


def test_delegation_change_page_queries_constant_with_one_and_many_members(staff_client):
    one = ParticipantFactory().delegation
    few, _ = _count_queries(staff_client, f"/admin/conference/delegation/{one.pk}/change/")
    many_delegation = DelegationFactory()
    for _ in range(25):
        ParticipantFactory(conference=many_delegation.conference, delegation=many_delegation)
    many, response = _count_queries(staff_client, f"/admin/conference/delegation/{many_delegation.pk}/change/")
    links = response.content.decode().count('class="inlineviewlink"')
    assert links == (25 if admin.site.is_registered(Participant) else 0)
    assert few == many
