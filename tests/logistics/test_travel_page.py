"""The travel page after approval: the participant's own, a focal point's for a member of their delegation only,
bad legs refused with every problem and nothing saved, and requests once travel is locked."""

import pytest
from django.urls import reverse

from logistics.models import ItineraryChangeRequest, ItineraryLeg
from logistics.services_travel import travel_lock_set
from registration.enums import ParticipantStatus
from tests.factories import DelegationFactory, ParticipantFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def post_data(*legs, booked_by="self", visa_status="pending"):
    data = {"booked_by": booked_by, "visa_status": visa_status, "legs-TOTAL_FORMS": str(len(legs) + 1),
            "legs-INITIAL_FORMS": "0", "legs-MIN_NUM_FORMS": "0", "legs-MAX_NUM_FORMS": "8"}
    for index, leg in enumerate(legs):
        data.update({f"legs-{index}-{key}": value for key, value in leg.items()})
    return data


LEG = {"direction": "inbound", "carrier": "EgyptAir", "flight_number": "MS 5", "from_airport": "cai",
       "to_airport": "SSH", "departs_local": "2023-07-09 15:00", "arrives_local": "2023-07-09T16:00"}


def test_own_travel_saves_legs_in_utc(client, conference):
    user = UserFactory()
    participant = ParticipantFactory(conference=conference, user=user, email=user.email)
    client.force_login(user)
    url = reverse("registration:logistics_own_travel")
    assert "Flight 1" in client.get(url).content.decode()
    response = client.post(url, post_data(LEG))
    assert response.status_code == 302
    leg = ItineraryLeg.objects.get(itinerary__participant=participant)
    assert (leg.from_airport, leg.arrives_at.hour) == ("CAI", 13)  # 16:00 in Sharm El Sheikh is 13:00 UTC
    assert "2023-07-09 16:00" in client.get(url).content.decode()  # shown again in the airport's time


def test_own_travel_bad_leg_lists_problems_and_saves_nothing(client, conference):
    user = UserFactory()
    ParticipantFactory(conference=conference, user=user, email=user.email)
    client.force_login(user)
    response = client.post(reverse("registration:logistics_own_travel"),
                           post_data({**LEG, "to_airport": "ZZZ"}, {**LEG, "arrives_local": "2023-07-09 14:00"}))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Row 1, to (airport): “ZZZ” is not an airport in Accord&#x27;s list." in text
    assert "Row 2, arrival: The arrival is before the departure." in text
    assert not ItineraryLeg.objects.exists()


def test_own_travel_404_before_approval(client, conference):
    user = UserFactory()
    ParticipantFactory(conference=conference, user=user, email=user.email, status=ParticipantStatus.SUBMITTED)
    client.force_login(user)
    assert client.get(reverse("registration:logistics_own_travel")).status_code == 404


def test_after_the_lock_the_page_sends_a_request(client, conference):
    user = UserFactory()
    participant = ParticipantFactory(conference=conference, user=user, email=user.email)
    travel_lock_set(conference, actor=StaffFactory(), locked=True)
    client.force_login(user)
    response = client.post(reverse("registration:logistics_own_travel"), post_data(LEG), follow=True)
    assert "the change was sent to the organizers" in response.content.decode()
    assert not ItineraryLeg.objects.exists()
    assert ItineraryChangeRequest.objects.get(itinerary__participant=participant).status == "pending"


def test_focal_point_fills_a_members_travel_of_their_delegation_only(client, conference):
    focal = UserFactory()
    delegation = DelegationFactory(conference=conference)
    delegation.focal_points.add(focal)
    member = ParticipantFactory(conference=conference, delegation=delegation)
    stranger = ParticipantFactory(conference=conference)
    client.force_login(focal)
    url = reverse("registration:logistics_member_travel", args=[delegation.code, member.public_id])
    portal = client.get(reverse("registration:delegation", args=[delegation.code])).content.decode()
    assert url in portal  # the portal's member table links it (templates/logistics/includes/)
    assert client.post(url, post_data(LEG)).status_code == 302
    assert ItineraryLeg.objects.filter(itinerary__participant=member).count() == 1
    other = reverse("registration:logistics_member_travel", args=[delegation.code, stranger.public_id])
    assert client.get(other).status_code == 404
    assert client.get(reverse("registration:logistics_member_travel",
                              args=[stranger.delegation.code, stranger.public_id])).status_code == 404
