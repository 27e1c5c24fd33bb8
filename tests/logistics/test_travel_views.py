"""The logistics team's travel pages: who may see them (the Logistics group; other staff and everyone else get
404), the manifest page and its prints, the runs page, the airport page's marks and counts."""

import importlib
import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from logistics.models import ManifestPrint, TransferRun, TransferSeat
from logistics.services_travel import transfer_runs_propose
from tests.factories import ConferenceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logistician():
    # A transactional test run earlier flushes what the data migration made: make it again the same way.
    from django.apps import apps

    importlib.import_module("logistics.migrations.0005_logistics_group").create_group(apps, None)
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Logistics"))
    return user


def test_logistics_group_has_logistics_permissions_but_not_passport_data(logistician):
    assert logistician.has_perm("logistics.change_transferseat")
    assert logistician.has_perm("logistics.change_itineraryleg")
    assert not logistician.has_perm("logistics.view_traveldocument")


def test_pages_404_for_staff_without_the_role_and_for_participants(client, conference, travel):
    transfer_runs_propose(conference, actor=travel.organizer)
    run = TransferRun.objects.first()
    urls = [reverse("registration:logistics_manifest"), reverse("registration:logistics_runs"),
            reverse("registration:logistics_airport_run", args=[run.pk]),
            reverse("registration:logistics_airport_run_counts", args=[run.pk])]
    for user in (UserFactory(is_staff=True), UserFactory()):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, url


def test_manifest_page_lists_arrivals_and_records_a_print(client, conference, travel, logistician,
                                                          django_assert_num_queries):
    client.force_login(logistician)
    url = reverse("registration:logistics_manifest")
    client.get(url)
    with django_assert_num_queries(7):  # session, user, the user's permissions, the manifest's 3, the read log
        page = client.get(url)
    text = page.content.decode()
    for expected in ("EK927", "MS5", "TU9701", "Adams", "Evans", "Ford", "16:50"):
        assert expected in text, expected
    assert "Gray" in text
    response = client.post(url, {"direction": "inbound"})
    assert response.status_code == 302
    printed = ManifestPrint.objects.get()
    assert (printed.kind, printed.printed_by, len(printed.snapshot)) == ("inbound", logistician, 7)
    assert "Changes since the print" in client.get(url).content.decode()


def test_runs_page_proposes_runs(client, conference, travel, logistician):
    client.force_login(logistician)
    response = client.post(reverse("registration:logistics_runs"), {"direction": "inbound"}, follow=True)
    assert "3 runs proposed." in response.content.decode()
    assert TransferRun.objects.count() == 3


def test_airport_page_marks_seats_and_counts(client, conference, travel, logistician):
    transfer_runs_propose(conference, actor=travel.organizer)
    run = TransferRun.objects.get(seats__participant=travel.adams)
    seat = TransferSeat.objects.get(participant=travel.adams)
    client.force_login(logistician)
    url = reverse("registration:logistics_airport_run", args=[run.pk])
    page = client.get(url).content.decode()
    assert "Adams" in page and "Cole" not in page
    answer = client.post(url, json.dumps({"seat": seat.pk, "state": "picked_up"}), content_type="application/json")
    assert answer.json() == {"seat": seat.pk, "state": "picked_up",
                             "counts": {"planned": 2, "picked_up": 1, "no_show": 0, "total": 3}}
    baker = TransferSeat.objects.get(participant=travel.baker)
    client.post(url, {"seat": baker.pk, "state": "no_show"})  # without JavaScript
    counts = client.get(reverse("registration:logistics_airport_run_counts", args=[run.pk])).json()
    assert counts["counts"] == {"planned": 1, "picked_up": 1, "no_show": 1, "total": 3}
    bad = client.post(url, json.dumps({"seat": seat.pk, "state": "lost"}), content_type="application/json")
    assert bad.status_code == 400
    # A seat of another run, and a run of another conference: 404.
    cole = TransferSeat.objects.get(participant=travel.cole)
    assert client.post(url, json.dumps({"seat": cole.pk, "state": "no_show"}),
                       content_type="application/json").status_code == 404
    other = TransferRun.objects.create(conference=ConferenceFactory(), direction="inbound", airport="CAI",
                                       pickup_at=run.pickup_at)
    assert client.get(reverse("registration:logistics_airport_run", args=[other.pk])).status_code == 404
    assert TransferSeat.objects.get(participant=travel.cole).state == "planned"


def test_import_page_reports_every_bad_row_and_saves_nothing(client, conference, logistician):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from logistics.models import ItineraryLeg
    from tests.factories import ParticipantFactory

    ParticipantFactory(conference=conference, email="one@example.org")
    header = "email,direction,carrier,flight_number,from_airport,to_airport,departs_local,arrives_local," \
             "booking_reference\n"
    good = "one@example.org,inbound,EgyptAir,MS 5,CAI,SSH,2023-07-09 15:00,2023-07-09 16:00,ABC\n"
    bad = "one@example.org,outbound,EgyptAir,MS 6,SSH,CAI,2023-07-14 08:00,2023-07-14 07:00,\n"
    client.force_login(logistician)
    url = reverse("registration:logistics_import")
    response = client.post(url, {"file": SimpleUploadedFile("f.csv", (header + good + bad).encode())})
    assert response.status_code == 400
    assert "Row 3, arrival: The arrival is before the departure." in response.content.decode()
    assert not ItineraryLeg.objects.exists()
    response = client.post(url, {"file": SimpleUploadedFile("f.csv", (header + good).encode())}, follow=True)
    assert "1 participant&#x27;s flights imported." in response.content.decode()
    assert ItineraryLeg.objects.count() == 1
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 404
