"""The travel pages' new parts: the manifest and driver sheet PDFs (prepared by the task, served only to the
Logistics group, reused until what they print changes, read back in three languages), the airport page's move and
delay forms, and the read log written by the manifest, airport and focal-point travel pages (one bulk write)."""

import datetime
import importlib
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from pypdf import PdfReader

from conference.models import AuditLog
from logistics.models import TransferRun, TransferSeat, TravelPdf
from logistics.services_travel import transfer_runs_propose
from privacy.models import ReadLog
from tests.factories import ConferenceFactory, DelegationFactory, UserFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def logistician():
    from django.apps import apps

    importlib.import_module("logistics.migrations.0005_logistics_group").create_group(apps, None)
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Logistics"))
    return user


def pdf_text(response) -> str:
    data = b"".join(response.streaming_content)
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def fetch_pdf(client, url, capture):
    """First answer: the "being prepared" page (the task is queued on commit and runs then); second: the PDF."""
    with capture(execute=True) as callbacks:
        pending = client.get(url)
    assert pending.status_code == 202, url
    assert "The PDF is being prepared" in pending.content.decode()
    assert len(callbacks) == 1
    served = client.get(url)
    assert served.status_code == 200, url
    assert served["Content-Type"] == "application/pdf"
    return served


MONTHS = {"en": "July", "fr": "juillet", "ar": "يوليو"}


def test_manifest_pdf_prepared_served_in_three_languages_and_logged(client, conference, travel, logistician,
                                                                    django_capture_on_commit_callbacks):
    client.force_login(logistician)
    page = client.get(reverse("registration:logistics_manifest")).content.decode()
    for language in ("ar", "fr", "en"):
        url = reverse("registration:logistics_manifest_pdf", kwargs={"direction": "inbound", "language": language})
        assert url in page
        ReadLog.objects.all().delete()
        text = pdf_text(fetch_pdf(client, url, django_capture_on_commit_callbacks))
        for expected in ("EK927", "MS5", "TU9701", "Adams", "Diab", "Ford", "16:50", MONTHS[language]):
            assert expected in text, (language, expected)
        # The download is a read of travel data for each person it prints: 7 with a flight, Ford without.
        logged = ReadLog.objects.filter(reader=logistician, kind="travel_hotel", where="download")
        assert logged.count() == 8
    assert TravelPdf.objects.filter(kind="inbound", status="done").count() == 3
    assert AuditLog.objects.filter(action="travel_pdf.request").count() == 3


def test_driver_sheet_pdf_in_three_languages_reused_until_it_changes(client, conference, travel, logistician,
                                                                     django_capture_on_commit_callbacks):
    transfer_runs_propose(conference, actor=travel.organizer)
    run = TransferRun.objects.get(seats__participant=travel.adams)
    client.force_login(logistician)
    runs_page = client.get(reverse("registration:logistics_runs")).content.decode()
    airport_page = client.get(reverse("registration:logistics_airport_run", args=[run.pk])).content.decode()
    for language in ("ar", "fr", "en"):
        url = reverse("registration:logistics_driver_sheet_pdf", kwargs={"run_id": run.pk, "language": language})
        assert url in runs_page and url in airport_page
        text = pdf_text(fetch_pdf(client, url, django_capture_on_commit_callbacks))
        for expected in ("Adams", "Baker", "Hill", "MS5", "+20 100 000 0000", "Hotel Nile", "Minibus",
                         MONTHS[language]):
            assert expected in text, (language, expected)
        assert "Cole" not in text and travel.adams.email not in text
    # Nothing it prints changed: the stored file is served again, no new render.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = client.get(url)
    assert (again.status_code, len(callbacks), TravelPdf.objects.count()) == (200, 0, 3)
    # Hill moves to another run: the English sheet is rendered again and the old file goes.
    spare = TransferRun.objects.create(conference=conference, direction="inbound", airport="SSH",
                                       hotel="Hotel Nile", pickup_at=run.pickup_at + datetime.timedelta(hours=1))
    TransferSeat.objects.filter(participant=travel.hill).update(run=spare)
    text = pdf_text(fetch_pdf(client, url, django_capture_on_commit_callbacks))
    assert "Adams" in text and "Hill" not in text
    assert TravelPdf.objects.filter(run=run, language="en").count() == 1


def test_pdfs_404_without_the_role_for_foreign_runs_and_unknown_languages(client, conference, travel,
                                                                           logistician):
    transfer_runs_propose(conference, actor=travel.organizer)
    run = TransferRun.objects.get(seats__participant=travel.adams)
    foreign = TransferRun.objects.create(conference=ConferenceFactory(), direction="inbound", airport="SSH",
                                         pickup_at=run.pickup_at)
    sheet = reverse("registration:logistics_driver_sheet_pdf", kwargs={"run_id": run.pk, "language": "en"})
    manifest = reverse("registration:logistics_manifest_pdf", kwargs={"direction": "inbound", "language": "en"})
    for user in (UserFactory(is_staff=True), UserFactory()):
        client.force_login(user)
        assert client.get(sheet).status_code == 404
        assert client.get(manifest).status_code == 404
    client.force_login(logistician)
    for url in (reverse("registration:logistics_driver_sheet_pdf", kwargs={"run_id": foreign.pk, "language": "en"}),
                reverse("registration:logistics_driver_sheet_pdf", kwargs={"run_id": run.pk, "language": "de"}),
                reverse("registration:logistics_manifest_pdf", kwargs={"direction": "sideways", "language": "en"}),
                reverse("registration:logistics_manifest_pdf", kwargs={"direction": "inbound", "language": "de"})):
        assert client.get(url).status_code == 404, url
    assert not TravelPdf.objects.exists()


def test_airport_page_moves_a_person_refuses_a_full_run_and_foreign_ids(client, conference, travel, logistician):
    transfer_runs_propose(conference, actor=travel.organizer)
    minibus_run = TransferRun.objects.get(seats__participant=travel.adams)  # full: 3 seats, 3 people
    van_run = TransferRun.objects.get(seats__participant=travel.cole)  # full: 2 seats, 2 people
    spare = TransferRun.objects.create(conference=conference, direction="inbound", airport="SSH", hotel="Hotel Nile",
                                       pickup_at=van_run.pickup_at + datetime.timedelta(hours=1))
    adams = TransferSeat.objects.get(participant=travel.adams)
    client.force_login(logistician)
    url = reverse("registration:logistics_airport_move", args=[minibus_run.pk])
    page = client.get(reverse("registration:logistics_airport_run", args=[minibus_run.pk])).content.decode()
    assert "Move to another run" in page and "full" in page and "no vehicle yet" in page
    refused = client.post(url, {"seat": adams.pk, "run": van_run.pk}, follow=True)
    assert "This run is full." in refused.content.decode()
    assert TransferSeat.objects.get(pk=adams.pk).run == minibus_run
    moved = client.post(url, {"seat": adams.pk, "run": spare.pk}, follow=True)
    assert "moved to the run of 18:20" in moved.content.decode()  # Cairo time
    assert TransferSeat.objects.get(pk=adams.pk).run == spare
    entry = AuditLog.objects.get(action="transfer.move")
    assert (entry.actor, entry.changes) == (logistician, {"run": spare.pk})
    # A run of another conference, a seat that is not on this run: 404, nothing moves.
    foreign = TransferRun.objects.create(conference=ConferenceFactory(), direction="inbound", airport="SSH",
                                         pickup_at=spare.pickup_at)
    baker = TransferSeat.objects.get(participant=travel.baker)
    assert client.post(url, {"seat": baker.pk, "run": foreign.pk}).status_code == 404
    cole = TransferSeat.objects.get(participant=travel.cole)
    assert client.post(url, {"seat": cole.pk, "run": spare.pk}).status_code == 404
    assert client.get(url).status_code == 405
    client.force_login(UserFactory(is_staff=True))
    assert client.post(url, {"seat": baker.pk, "run": spare.pk}).status_code == 404
    assert TransferSeat.objects.get(pk=baker.pk).run == minibus_run


def test_airport_page_records_a_delay_and_moves_its_people(client, conference, travel, logistician):
    transfer_runs_propose(conference, actor=travel.organizer)
    run = TransferRun.objects.get(seats__participant=travel.adams)
    client.force_login(logistician)
    url = reverse("registration:logistics_airport_delay", args=[run.pk])
    bad = client.post(url, {"flight": "MS5", "arrives_local": "tomorrow"}, follow=True)
    assert "Give the new local date and time of landing" in bad.content.decode()
    assert client.post(url, {"flight": "TU9701", "arrives_local": "2023-07-09T16:40"}).status_code == 404
    response = client.post(url, {"flight": "MS5", "arrives_local": "2023-07-09T16:40"}, follow=True)
    assert "Flight MS5 delayed: 3 people moved to a later run." in response.content.decode()
    later = TransferRun.objects.get(seats__participant=travel.adams)
    assert later != run and later.pickup_at == datetime.datetime(2023, 7, 9, 14, 10, tzinfo=UTC)
    assert AuditLog.objects.get(action="flight.delay").actor == logistician


def test_pages_write_one_bulk_read_of_the_people_shown(client, conference, travel, logistician,
                                                       django_assert_num_queries):
    transfer_runs_propose(conference, actor=travel.organizer)
    run = TransferRun.objects.get(seats__participant=travel.adams)
    client.force_login(logistician)
    url = reverse("registration:logistics_airport_run", args=[run.pk])
    client.get(url)
    ReadLog.objects.all().delete()
    # session, user, permissions, the run, its seats (with people and plans), the read log, the counts, the
    # other runs
    with django_assert_num_queries(8):
        client.get(url)
    assert sorted(ReadLog.objects.filter(where="admin").values_list("participant__last_name", flat=True)) == [
        "Adams", "Baker", "Hill"]
    ReadLog.objects.all().delete()
    client.get(reverse("registration:logistics_manifest") + "?direction=outbound")
    # The departures: Adams, Baker and Hill fly home, the five others have no flight home yet.
    assert ReadLog.objects.filter(reader=logistician, kind="travel_hotel", what="travel").count() == 8
    ReadLog.objects.all().delete()
    client.get(reverse("registration:logistics_runs"))  # counts only: nobody is named
    assert not ReadLog.objects.exists()


def test_runs_page_query_count_does_not_grow_with_runs(client, conference, travel, logistician,
                                                       django_assert_num_queries):
    client.force_login(logistician)
    url = reverse("registration:logistics_runs")
    TransferRun.objects.create(conference=conference, direction="inbound", airport="SSH",
                               pickup_at=datetime.datetime(2023, 7, 9, 12, tzinfo=UTC))
    client.get(url)
    with django_assert_num_queries(4):  # session, user, permissions, the runs with their counts
        client.get(url)
    transfer_runs_propose(conference, actor=travel.organizer)
    with django_assert_num_queries(4):
        assert "SSH" in client.get(url).content.decode()


def test_focal_points_travel_page_logs_the_read_in_the_portal(client, conference):
    from logistics.services_travel import itinerary_save
    from tests.factories import ParticipantFactory

    focal = UserFactory()
    delegation = DelegationFactory(conference=conference)
    delegation.focal_points.add(focal)
    member = ParticipantFactory(conference=conference, delegation=delegation)
    itinerary_save(member, actor=focal, legs=[])
    client.force_login(focal)
    url = reverse("registration:logistics_member_travel", args=[delegation.code, member.public_id])
    assert client.get(url).status_code == 200
    entry = ReadLog.objects.get()
    assert (entry.participant, entry.reader, entry.kind, entry.where) == (member, focal, "travel_hotel", "portal")
    own = UserFactory()
    ParticipantFactory(conference=conference, user=own, email=own.email)
    client.force_login(own)
    assert client.get(reverse("registration:logistics_own_travel")).status_code == 200
    assert ReadLog.objects.count() == 1  # one's own travel is not someone else's read


def test_travel_page_says_what_is_asked_the_lock_and_the_change_request(client, conference, settings):
    from logistics.models import ItineraryChangeRequest
    from logistics.services_travel import change_request_decide, itinerary_save, travel_lock_set
    from tests.factories import ParticipantFactory, StaffFactory

    user = UserFactory()
    participant = ParticipantFactory(conference=conference, user=user, email=user.email)
    organizer = StaffFactory()
    client.force_login(user)
    url = reverse("registration:logistics_own_travel")
    status_page = client.get(reverse("registration:register")).content.decode()
    assert url in status_page and "give your flights, who books the ticket" in status_page
    text = client.get(url).content.decode()
    for expected in ("What is asked now", "Flights:", "the three-letter codes of the airports",
                     "Who books the ticket:", "Ticket status:</strong> Requested.", "requested, then booked",
                     "Visa status:</strong> not given yet.", "Once travel is locked, a change becomes a request"):
        assert expected in text, expected
    travel_lock_set(conference, actor=organizer, locked=True)
    leg = {"direction": "inbound", "carrier": "EgyptAir", "flight_number": "MS 5", "from_airport": "CAI",
           "to_airport": "SSH", "departs_local": "2023-07-09 15:00", "arrives_local": "2023-07-09 16:00"}
    itinerary_save(participant, actor=user, legs=[leg], visa_status="applied")
    text = client.get(url).content.decode()
    assert "Travel is locked" in text and "goes to them as a change request" in text
    assert "(1 flight) waits for the organizers' decision. Saving again replaces it." in text
    change_request_decide(ItineraryChangeRequest.objects.get(), actor=organizer, accept=False)
    text = client.get(url).content.decode()
    assert "was declined on" in text and "waits for the organizers" not in text
    # In the participant's language: the statuses come from the catalogs (French here).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Demandé" in client.get(url).content.decode()
