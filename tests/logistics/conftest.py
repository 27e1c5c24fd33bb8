"""The travel scenario the manifest, transfer and PDF tests share: arrivals on 9 July 2023 (Cairo is UTC+3, Paris
UTC+2, Tunis UTC+1), at Cairo (CAI) and Sharm El Sheikh (SSH), and two vehicles."""

from types import SimpleNamespace

import pytest

from logistics.models import TravelPlan, Vehicle
from logistics.services_travel import itinerary_save
from tests.factories import ParticipantFactory, StaffFactory


def leg(direction, carrier, number, origin, destination, departs, arrives, reference=""):
    return {"direction": direction, "carrier": carrier, "flight_number": number, "from_airport": origin,
            "to_airport": destination, "departs_local": departs, "arrives_local": arrives,
            "booking_reference": reference}


VIA_CAIRO = [
    leg("inbound", "EgyptAir", "MS 800", "CDG", "CAI", "2023-07-09 09:00", "2023-07-09 13:30", "ABC123"),
    leg("inbound", "EgyptAir", "MS 5", "CAI", "SSH", "2023-07-09 15:00", "2023-07-09 16:00", "ABC123"),
    leg("outbound", "EgyptAir", "MS 6", "SSH", "CAI", "2023-07-14 08:00", "2023-07-14 09:00"),
]


@pytest.fixture
def travel(conference):
    organizer = StaffFactory()

    def person(last_name, legs, *, transfer=True, hotel="Hotel Nile", **extra):
        participant = ParticipantFactory(conference=conference, last_name=last_name, first_name="Ana",
                                         phone="+20 100 000 0000", **extra)
        TravelPlan.objects.create(participant=participant, transfer_needed=transfer, hotel_name=hotel)
        if legs:
            itinerary_save(participant, actor=organizer, legs=legs, organizer=True)
        return participant

    people = SimpleNamespace(
        organizer=organizer,
        adams=person("Adams", VIA_CAIRO),
        baker=person("Baker", VIA_CAIRO),
        hill=person("Hill", VIA_CAIRO),
        cole=person("Cole", [leg("inbound", "Tunisair", "TU 9701", "TUN", "SSH", "2023-07-09 12:00",
                                 "2023-07-09 16:30")]),
        diab=person("Diab", [leg("inbound", "Royal Jordanian", "RJ 501", "AMM", "SSH", "2023-07-09 16:00",
                                 "2023-07-09 16:50")]),
        evans=person("Evans", [leg("inbound", "Emirates", "EK 927", "DXB", "CAI", "2023-07-09 07:30",
                                   "2023-07-09 10:00")]),
        ford=person("Ford", []),  # approved, no flight yet
        gray=person("Gray", [leg("inbound", "EgyptAir", "MS 7", "CAI", "SSH", "2023-07-09 17:10",
                                 "2023-07-09 18:10")], transfer=False),
        minibus=Vehicle.objects.create(conference=conference, name="Minibus", capacity=3, driver_name="Karim",
                                       driver_phone="+20 111"),
        van=Vehicle.objects.create(conference=conference, name="Van", capacity=2),
    )
    return people
