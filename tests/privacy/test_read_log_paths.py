"""The read log is written by each path that shows or hands out sensitive data, a photo or travel: the admin's
participant page (travel, passport data), the exports (CSV and XLSX, passport columns masked unless the exporting
user is a visa officer, read back with csv and openpyxl), the visa letter's download at the desk."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from privacy.models import ReadLog
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _organizer(*codenames):
    user = UserFactory(username=f"{'-'.join(codenames) or 'plain'}@example.org", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(
        codename__in=["view_participant", "change_participant", *codenames]))
    return user


def _reads():
    return sorted(ReadLog.objects.values_list("reader__username", "kind", "what", "where"))


def _export(client, user, participant, fmt):
    client.force_login(user)
    response = client.post(reverse("admin:registration_participant_changelist"),
                           {"action": f"export_{fmt}", "_selected_action": [participant.pk]})
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        rows = [[cell if cell is not None else "" for cell in row]
                for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    return dict(zip(rows[0], rows[1], strict=True))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_masks_passport_data_for_an_organizer_and_logs_the_travel_read(client, traveller, fmt):
    organizer = _organizer()
    row = _export(client, organizer, traveller, fmt)

    assert (row["Passport number"], row["Passport expiry"], row["Passport issued by"]) == ("(hidden)",) * 3
    assert "A1234567" not in str(row)
    assert row["Arrival"].startswith("2023-07-09")
    assert _reads() == [(organizer.username, "travel_hotel", "travel", "export")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_shows_passport_data_to_the_visa_officer_and_logs_it(client, traveller, fmt):
    officer = _organizer("view_traveldocument")
    row = _export(client, officer, traveller, fmt)

    assert (row["Passport number"], row["Passport issued by"]) == ("A1234567", "EG")
    assert str(row["Passport expiry"]).startswith("2030-01-01")
    assert _reads() == [(officer.username, "sensitive", "travel_document", "export"),
                        (officer.username, "travel_hotel", "travel", "export")]


def test_admin_participant_page_logs_travel_and_passport_reads(client, traveller):
    officer = StaffFactory(username="officer@example.org")
    client.force_login(officer)
    url = reverse("admin:registration_participant_change", args=[traveller.pk])

    assert client.get(url).status_code == 200

    assert _reads() == [("officer@example.org", "sensitive", "travel_document", "admin"),
                        ("officer@example.org", "travel_hotel", "travel", "admin")]


def test_admin_participant_page_without_passport_permission_logs_only_travel(client, traveller):
    organizer = _organizer("view_travelplan")
    client.force_login(organizer)
    assert client.get(reverse("admin:registration_participant_change", args=[traveller.pk])).status_code == 200
    assert _reads() == [(organizer.username, "travel_hotel", "travel", "admin")]
    # Without the travel permission the inline is not shown, and nothing is read.
    ReadLog.objects.all().delete()
    client.force_login(_organizer())
    assert client.get(reverse("admin:registration_participant_change", args=[traveller.pk])).status_code == 200
    assert _reads() == []


def test_desk_visa_letter_download_is_logged_the_owners_own_is_not(client, traveller):
    officer = StaffFactory(username="officer@example.org")
    client.force_login(officer)
    assert client.get(reverse("registration:desk_visa_letter", args=[traveller.public_id])).status_code == 200
    assert _reads() == [("officer@example.org", "sensitive", "visa_letter", "download")]

    traveller.user = UserFactory(username="owner@example.org", email=traveller.email)
    traveller.save(update_fields=["user"])
    client.force_login(traveller.user)
    assert client.get(reverse("registration:register_visa_letter")).status_code == 200
    assert len(_reads()) == 1


def test_refused_download_writes_no_read(client, traveller):
    client.force_login(_organizer())
    assert client.get(reverse("registration:desk_visa_letter", args=[traveller.public_id])).status_code == 404
    assert _reads() == []
