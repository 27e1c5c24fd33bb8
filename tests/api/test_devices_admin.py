"""The organizers' admin of devices: made through the service (its own account, audited), the one-time code
shown as a QR code that then enrolls a device, tokens revoked by an action, the changelist's queries."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import Device, DeviceToken
from conference.models import AuditLog
from sessions_app.models import Session
from tests.admin_form import admin_form_data
from tests.api.conftest import enrolled

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, organizer):
    client.force_login(organizer)
    return client


def test_device_added_in_the_admin_goes_through_the_service(admin, conference, organizer):
    door = Session.objects.create(conference=conference, kind="plenary", title="Opening",
                                  starts_at=timezone.now(), ends_at=timezone.now())
    page = admin.get(reverse("admin:api_device_add"))
    data = admin_form_data(page.content.decode())
    data.update(conference=str(conference.pk), name="Hall A door", doors=[str(door.pk)], at_airport="on")

    response = admin.post(reverse("admin:api_device_add"), data)

    assert response.status_code == 302
    device = Device.objects.get()
    assert (device.name, device.at_desk, device.at_airport, list(device.doors.all())) == (
        "Hall A door", True, True, [door])
    assert device.user.get_full_name() == "Hall A door" and device.created_by == organizer
    entry = AuditLog.objects.get(action="api.device_create")
    assert (entry.actor, entry.changes["doors"], entry.changes["points"]) == (organizer, [door.pk], ["desk", "airport"])


def test_enrollment_page_shows_a_qr_code_whose_code_enrolls_the_device_once(admin, conference, organizer):
    device, _row, _token = enrolled(conference, organizer, name="Hotel phone")
    url = reverse("admin:api_device_enroll", args=[device.pk])

    asked = admin.get(url)
    shown = admin.post(url)

    assert asked.status_code == 200 and "Show a new enrollment code" in asked.content.decode()
    html = shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    assert 'src="data:image/svg+xml' in html
    code = re.search(r'<code dir="ltr">(enr_[^<]+)</code>', html).group(1)
    api = APIClient()
    assert api.post("/api/v1/devices/enroll/", {"code": code}, format="json").status_code == 201
    assert api.post("/api/v1/devices/enroll/", {"code": code}, format="json").status_code == 401
    assert DeviceToken.objects.filter(device=device).count() == 2


def test_revoke_action_stops_the_token_on_its_next_call(admin, conference, organizer, device_client):
    device, row, token = enrolled(conference, organizer)
    api = device_client(token)
    assert api.get("/api/v1/devices/me/").status_code == 200

    admin.post(reverse("admin:api_devicetoken_changelist"),
               {"action": "revoke_selected", "_selected_action": [str(row.pk)]})

    assert api.get("/api/v1/devices/me/").status_code == 401
    row.refresh_from_db()
    assert (row.revoked_by, row.revoked_at is not None) == (organizer, True)


@pytest.mark.parametrize("count", [1, 6])
def test_device_changelist_queries(admin, conference, organizer, django_assert_num_queries, count):
    for index in range(count):
        enrolled(conference, organizer, name=f"Device {index}")
    admin.get(reverse("admin:api_device_changelist"))  # warm the session

    # The session and its user (2), the count, the page of devices with their tokens' counts, the conferences
    # of the filter (3).
    with django_assert_num_queries(5):
        response = admin.get(reverse("admin:api_device_changelist"))
    assert response.content.decode().count("Device ") >= count


@pytest.mark.parametrize("count", [1, 6])
def test_token_and_scan_changelists_queries(admin, conference, organizer, device_client, django_assert_num_queries,
                                            count):
    from onsite.services.badges import badge_code
    from tests.onsite.factories import approved_with_badge

    for index in range(count):
        _device, _row, token = enrolled(conference, organizer, name=f"Device {index}")
        person = approved_with_badge(conference=conference)
        device_client(token).post("/api/v1/scans/", {"code": badge_code(person.badge), "nonce": f"n{index}",
                                                     "scanned_at": "2023-07-10T07:00:00Z", "point": "desk"},
                                  format="json")
    admin.get(reverse("admin:api_devicetoken_changelist"))  # warm the session

    # The session and its user (2), the count, the page with each row's device, the conferences of the filter.
    with django_assert_num_queries(5):
        tokens = admin.get(reverse("admin:api_devicetoken_changelist"))
    # The session's user, the conference (time zone), the counts (2), the page with device and participant, the
    # dates of the hierarchy, the conferences of the filter...: the same for one and many scans.
    with django_assert_num_queries(8):
        scans = admin.get(reverse("admin:api_devicescan_changelist"))
    assert tokens.content.decode().count("test phone") == count
    assert scans.content.decode().count('<td class="field-result">ok</td>') == count
