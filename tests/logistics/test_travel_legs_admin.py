"""The participant's flight legs on the admin change page: added, changed and deleted through the travel service
(audit entry, local times in each airport's zone), bad legs refused on their row with nothing saved, the inline
for the logistics role only, and its read in the read log."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from conference.models import AuditLog
from logistics.models import ItineraryLeg
from logistics.services_travel import itinerary_save
from privacy.models import ReadLog
from registration.enums import ParticipantStatus
from tests.admin_form import admin_form_data
from tests.factories import ParticipantFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PREFIX = "itinerary_legs"
LEG = {"direction": "inbound", "carrier": "EgyptAir", "flight_number": "MS 5", "from_airport": "CAI",
       "to_airport": "SSH", "departs_local": "2023-07-09 15:00", "arrives_local": "2023-07-09 16:00"}


def page(client, participant):
    url = reverse("admin:registration_participant_change", args=[participant.pk])
    response = client.get(url)
    assert response.status_code == 200
    return url, response.content.decode()


def with_row(data: dict, index: int, values: dict) -> dict:
    data = dict(data)
    data.update({f"{PREFIX}-{index}-{key}": value for key, value in values.items()})
    return data


def test_organizer_adds_changes_and_deletes_legs_in_local_time(client, conference):
    organizer = StaffFactory()
    participant = ParticipantFactory(conference=conference)
    client.force_login(organizer)
    url, html = page(client, participant)
    assert "Flights (itinerary after approval, local times)" in html
    data = with_row(admin_form_data(html), 0, LEG)
    assert client.post(url, data).status_code == 302
    leg = ItineraryLeg.objects.get(itinerary__participant=participant)
    assert (leg.flight_number, leg.arrives_at.hour) == ("MS5", 13)  # 16:00 in Sharm El Sheikh is 13:00 UTC
    assert AuditLog.objects.filter(action="itinerary.legs", actor=organizer).count() == 1
    ReadLog.objects.all().delete()
    url, html = page(client, participant)
    assert 'value="2023-07-09 16:00"' in html  # shown again in the airport's time
    assert ReadLog.objects.filter(participant=participant, kind="travel_hotel").count() == 1  # one per page
    data = admin_form_data(html)
    data[f"{PREFIX}-0-arrives_local"] = "2023-07-09 16:30"
    assert client.post(url, data).status_code == 302
    assert ItineraryLeg.objects.get(itinerary__participant=participant).arrives_at.minute == 30
    data = admin_form_data(page(client, participant)[1])
    data[f"{PREFIX}-0-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    assert not ItineraryLeg.objects.filter(itinerary__participant=participant).exists()


def test_bad_legs_are_shown_on_their_row_and_nothing_is_saved(client, conference):
    organizer = StaffFactory()
    participant = ParticipantFactory(conference=conference)
    itinerary_save(participant, actor=organizer, organizer=True, legs=[LEG])
    client.force_login(organizer)
    url, html = page(client, participant)
    data = admin_form_data(html)
    data[f"{PREFIX}-0-to_airport"] = "ZZZ"
    response = client.post(url, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was saved: correct the flights marked below." in text
    assert "“ZZZ” is not an airport in Accord&#x27;s list." in text
    # Two legs that overlap, and a local time that does not exist (Cairo moved its clocks 00:00 → 01:00).
    data = with_row(admin_form_data(html), 1, {**LEG, "flight_number": "MS 7", "departs_local": "2023-07-09 15:30",
                                               "arrives_local": "2023-07-09 16:40"})
    data[f"{PREFIX}-TOTAL_FORMS"] = "2"
    text = client.post(url, data).content.decode()
    assert "This flight leaves before the one before it lands." in text
    data = admin_form_data(html)
    data[f"{PREFIX}-0-departs_local"] = "2023-04-28 00:30"
    response = client.post(url, data)
    assert "2023-04-28 00:30 does not exist in Africa/Cairo (the clocks go forward)." in response.content.decode()
    leg = ItineraryLeg.objects.get(itinerary__participant=participant)
    assert (leg.to_airport, leg.flight_number) == ("SSH", "MS5")
    assert AuditLog.objects.filter(action="itinerary.legs").count() == 1  # the set-up only


def test_inline_only_for_the_logistics_role_and_approved_participants(client, conference):
    participant = ParticipantFactory(conference=conference, status=ParticipantStatus.SUBMITTED)
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_participant", "change_participant"]))
    client.force_login(clerk)
    assert "itinerary_legs-TOTAL_FORMS" not in page(client, participant)[1]
    client.force_login(StaffFactory())
    url, html = page(client, participant)
    response = client.post(url, with_row(admin_form_data(html), 0, LEG))
    assert "Travel opens once the participation is approved." in response.content.decode()
    assert not ItineraryLeg.objects.exists()
