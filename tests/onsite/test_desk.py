"""The staff desk: access control, search, print/reprint, photos, scan API, batches, arrivals."""

from __future__ import annotations

import io
import json
import uuid

import pypdf
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from onsite.enums import BatchStatus
from onsite.models import Badge, BadgeBatch, BadgePrint, CheckIn
from onsite.services.badges import badge_code
from registration.enums import ParticipantStatus
from tests.factories import (
    ConferenceFactory,
    DelegationFactory,
    ParticipantFactory,
    StaffFactory,
    UserFactory,
)
from tests.onsite.factories import approved_with_badge

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory(is_superuser=False))
    return client


DESK_PAGES = [
    ("registration:desk", []),
    ("registration:desk_scan", []),
    ("registration:desk_batches", []),
    ("registration:desk_arrivals", []),
]


@pytest.mark.parametrize("name,args", DESK_PAGES)
def test_desk_pages_anonymous_redirected_to_login(client, conference, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name,args", DESK_PAGES)
def test_desk_pages_non_staff_not_found(client, conference, name, args):
    client.force_login(UserFactory())
    assert client.get(reverse(name, args=args)).status_code == 404


def test_desk_participant_pages_non_staff_not_found(client, conference):
    person = approved_with_badge(conference=conference)
    client.force_login(UserFactory())
    for name in ("registration:desk_participant", "registration:desk_photo"):
        assert client.get(reverse(name, args=[person.public_id])).status_code == 404
    assert client.post(reverse("registration:desk_print", args=[person.public_id])).status_code == 404
    assert not BadgePrint.objects.exists()


def test_desk_scan_api_anonymous_forbidden(client, conference):
    person = approved_with_badge(conference=conference)
    response = client.post(
        reverse("registration:desk_scan"),
        data=json.dumps({"code": badge_code(person.badge), "client_id": "a"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not CheckIn.objects.exists()


def test_desk_search_by_latin_arabic_delegation_and_email(staff_client, conference):
    egypt = DelegationFactory(conference=conference, code="EGY", country="EG")
    france = DelegationFactory(conference=conference, code="FRA", country="FR")
    amina = approved_with_badge(conference=conference, delegation=egypt, first_name="Amina", last_name="Haddad", badge_name_ar="أمينة حداد")
    jean = approved_with_badge(conference=conference, delegation=france, first_name="Jean", last_name="Dupont", email="jd@quai.example")
    approved_with_badge(conference=ConferenceFactory(), first_name="Amina", last_name="Elsewhere")

    def found(query):
        response = staff_client.get(reverse("registration:desk"), {"q": query})
        assert response.status_code == 200
        return [p.pk for p in response.context["results"]]

    assert found("amina") == [amina.pk]
    assert found("حداد") == [amina.pk]
    assert found("EGY") == [amina.pk]
    assert found("France") == [jean.pk]
    assert found("quai.example") == [jean.pk]
    assert found("nobody") == []


def test_desk_search_query_count_constant(staff_client, conference):
    approved_with_badge(conference=conference, last_name="Smith")
    staff_client.get(reverse("registration:desk"))  # the conference is kept in the shared cache from the first request on
    with CaptureQueriesContext(connection) as one:
        staff_client.get(reverse("registration:desk"), {"q": "smith"})
    for _ in range(6):
        approved_with_badge(conference=conference, last_name="Smith", delegation=DelegationFactory(conference=conference))
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(reverse("registration:desk"), {"q": "smith"})
    assert len(response.context["results"]) == 7
    assert len(many) == len(one)


def test_desk_print_then_reprint_with_reason(staff_client, conference):
    person = approved_with_badge(conference=conference, badge_name="Printed Person")
    url = reverse("registration:desk_print", args=[person.public_id])

    first = staff_client.post(url)
    refused = staff_client.post(url, {"reason": ""})
    second = staff_client.post(url, {"reason": "Badge damaged"})

    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert "Printed Person" in pypdf.PdfReader(io.BytesIO(first.content)).pages[0].extract_text()
    assert refused.status_code == 302
    assert second.status_code == 200
    badge = Badge.objects.get(participant=person)
    assert badge.printed_count == 2
    assert list(badge.prints.order_by("printed_at").values_list("is_reprint", "reason")) == [
        (False, ""), (True, "Badge damaged")
    ]
    page = staff_client.get(reverse("registration:desk_participant", args=[person.public_id]))
    assert "Badge damaged" in page.content.decode()


def test_desk_reprint_revoking_old_badge(staff_client, conference):
    person = approved_with_badge(conference=conference)
    old_code = badge_code(person.badge)
    url = reverse("registration:desk_print", args=[person.public_id])
    staff_client.post(url)

    staff_client.post(url, {"reason": "Lost", "revoke": "1"})

    scan = staff_client.post(
        reverse("registration:desk_scan"), data=json.dumps({"code": old_code, "client_id": str(uuid.uuid4())}),
        content_type="application/json",
    )
    assert scan.json()["result"] == "revoked"


def test_desk_print_non_approved_refused(staff_client, conference):
    person = ParticipantFactory(conference=conference, status=ParticipantStatus.CANCELLED)
    response = staff_client.post(reverse("registration:desk_print", args=[person.public_id]))
    assert response.status_code == 302
    assert not Badge.objects.filter(participant=person).exists()


def test_desk_participant_other_conference_not_found(staff_client, conference):
    other = approved_with_badge(conference=ConferenceFactory())
    assert staff_client.get(reverse("registration:desk_participant", args=[other.public_id])).status_code == 404


def test_desk_photo_served_to_staff(staff_client, conference):
    person = approved_with_badge(conference=conference)
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), (200, 10, 10)).save(buffer, "JPEG")
    person.photo.save("p.jpg", ContentFile(buffer.getvalue()), save=True)

    response = staff_client.get(reverse("registration:desk_photo", args=[person.public_id]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == buffer.getvalue()


def test_desk_scan_api_checks_in_with_csrf_header(conference):
    staff = StaffFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    page = client.get(reverse("registration:desk_scan"))
    token = page.context["csrf_token"]
    person = approved_with_badge(conference=conference)
    body = json.dumps({"code": badge_code(person.badge), "client_id": str(uuid.uuid4())})

    without = client.post(reverse("registration:desk_scan"), data=body, content_type="application/json")
    ok = client.post(reverse("registration:desk_scan"), data=body, content_type="application/json",
                     HTTP_X_CSRFTOKEN=str(token))
    resend = client.post(reverse("registration:desk_scan"), data=body, content_type="application/json",
                         HTTP_X_CSRFTOKEN=str(token))

    assert without.status_code == 403
    assert ok.json()["result"] == "ok"
    assert resend.json()["result"] == "ok" and resend.json()["duplicate"] is True
    assert CheckIn.objects.count() == 1


def test_desk_scan_api_bad_input(staff_client, conference):
    url = reverse("registration:desk_scan")
    assert staff_client.post(url, data="not json", content_type="application/json").status_code == 400
    assert staff_client.post(url, data=json.dumps({"code": "x"}), content_type="application/json").status_code == 400
    assert not CheckIn.objects.exists()


def test_desk_session_scan_records_attendance(staff_client, conference):
    import datetime

    from django.utils import timezone

    from onsite.models import Attendance
    from sessions_app.models import Session

    person = approved_with_badge(conference=conference)
    start = timezone.now()
    session = Session.objects.create(conference=conference, kind="plenary", title="Plenary",
                                     starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    other = Session.objects.create(conference=ConferenceFactory(), kind="plenary", title="Elsewhere",
                                   starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    body = json.dumps({"code": badge_code(person.badge), "client_id": str(uuid.uuid4())})

    response = staff_client.post(reverse("registration:desk_session_scan", args=[session.pk]), data=body,
                                 content_type="application/json")

    assert response.json()["result"] == "ok"
    assert Attendance.objects.filter(session=session, participant=person).count() == 1
    assert staff_client.get(reverse("registration:desk_session_scan", args=[other.pk])).status_code == 404
    home = staff_client.get(reverse("registration:desk")).content.decode()
    assert reverse("registration:desk_session_scan", args=[session.pk]) in home
    assert reverse("registration:desk_session_scan", args=[other.pk]) not in home


def test_desk_batches_start_poll_download(staff_client, conference, django_capture_on_commit_callbacks):
    delegation = DelegationFactory(conference=conference, code="EGY")
    approved_with_badge(conference=conference, delegation=delegation)
    approved_with_badge(conference=conference, delegation=delegation)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("registration:desk_batches"), {"delegation": "EGY", "layout": "sheet"})

    assert response.status_code == 302
    batch = BadgeBatch.objects.get()
    status = staff_client.get(reverse("registration:desk_batch_status", args=[batch.pk])).json()
    assert (status["status"], status["done"], status["total"]) == (BatchStatus.DONE, 2, 2)
    download = staff_client.get(status["download"])
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert len(pypdf.PdfReader(io.BytesIO(content)).pages) == 1  # two A6 badges on one A4 sheet
    assert batch.requested_by.is_staff and batch.layout == "sheet"


def test_desk_batch_download_other_conference_not_found(staff_client, conference):
    other = BadgeBatch.objects.create(conference=ConferenceFactory(), status=BatchStatus.QUEUED)
    assert staff_client.get(reverse("registration:desk_batch_status", args=[other.pk])).status_code == 404
    assert staff_client.get(reverse("registration:desk_batch_download", args=[other.pk])).status_code == 404


def test_desk_batches_page_query_count_constant(staff_client, conference):
    staff = StaffFactory()
    BadgeBatch.objects.create(conference=conference, requested_by=staff)
    staff_client.get(reverse("registration:desk_batches"))  # the conference is kept in the shared cache from the first request on
    with CaptureQueriesContext(connection) as one:
        staff_client.get(reverse("registration:desk_batches"))
    for _ in range(5):
        BadgeBatch.objects.create(conference=conference, requested_by=StaffFactory(),
                                  delegation=DelegationFactory(conference=conference))
    with CaptureQueriesContext(connection) as many:
        staff_client.get(reverse("registration:desk_batches"))
    assert len(many) == len(one)


def test_desk_arrivals_counts_and_constant_queries(staff_client, conference):
    delegation = DelegationFactory(conference=conference, code="EGY")
    first = approved_with_badge(conference=conference, delegation=delegation)
    first.checked_in_at = first.created_at
    first.save()
    url = reverse("registration:desk_arrivals_json")
    staff_client.get(url)  # the conference is kept in the shared cache from the first request on
    with CaptureQueriesContext(connection) as one:
        staff_client.get(url)
    for index in range(6):
        d = DelegationFactory(conference=conference)
        approved_with_badge(conference=conference, delegation=d, category="expert" if index % 2 else "delegate")
    ParticipantFactory(conference=conference, delegation=delegation, status=ParticipantStatus.SUBMITTED)
    with CaptureQueriesContext(connection) as many:
        data = staff_client.get(url).json()
    assert len(many) == len(one)
    assert (data["approved"], data["checked_in"]) == (7, 1)
    egy = next(row for row in data["delegations"] if row["code"] == "EGY")
    assert (egy["approved"], egy["checked_in"]) == (1, 1)
    assert {row["code"]: row["approved"] for row in data["categories"]} == {"delegate": 4, "expert": 3}
    page = staff_client.get(reverse("registration:desk_arrivals"))
    assert page.status_code == 200 and "desk.js" in page.content.decode()


def test_desk_participant_page_query_count_constant_with_prints(staff_client, conference):
    from onsite.services.badges import badge_print_record

    person = approved_with_badge(conference=conference)
    badge_print_record(person.badge, actor=StaffFactory())
    url = reverse("registration:desk_participant", args=[person.public_id])
    staff_client.get(url)  # the conference is kept in the shared cache from the first request on
    with CaptureQueriesContext(connection) as one:
        staff_client.get(url)
    for index in range(5):
        badge_print_record(person.badge, actor=StaffFactory(), reprint_reason=f"reason {index}")
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url)
    assert response.content.decode().count("reason ") == 5
    assert len(many) == len(one)
