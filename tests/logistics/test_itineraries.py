"""Itineraries: legs checked (airports, local times in each airport's zone, order), saved in UTC, the travel lock
and change requests, funding, the travel agency's CSV, and the windows other apps read."""

import datetime

import pytest

from conference.models import AuditLog
from conference.services import AccordError
from logistics.airports import airport, airports
from logistics.models import DelegationFunding, Itinerary, ItineraryChangeRequest, ItineraryLeg
from logistics.selectors import stay_windows
from logistics.selectors_travel import effective_funding
from logistics.services_travel import (
    ItineraryError,
    change_request_decide,
    delegation_funding_set,
    itineraries_import_csv,
    itinerary_save,
    participant_funding_set,
    travel_lock_set,
)
from registration.enums import ParticipantStatus
from tests.factories import ParticipantFactory, StaffFactory

from .conftest import VIA_CAIRO, leg

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def test_airport_list_has_the_conference_airports_with_valid_zones():
    assert airport("ssh").tz == "Africa/Cairo"
    assert airport(" CAI ").city == "Cairo"
    assert airport("CDG").tz == "Europe/Paris"
    assert airport("XXX") is None
    assert len(airports()) > 250
    for place in airports().values():
        assert len(place.iata) == 3 and place.iata.isupper()
        place.zone  # noqa: B018 - raises for a zone the tz database does not know


def test_itinerary_save_stores_utc_from_each_airports_zone(conference):
    participant = ParticipantFactory(conference=conference)
    itinerary_save(participant, actor=StaffFactory(), legs=VIA_CAIRO, organizer=True, booked_by="organizers",
                   ticket_status="booked", visa_status="applied")
    legs = list(ItineraryLeg.objects.filter(itinerary__participant=participant))
    assert [(leg.flight_number, leg.from_airport, leg.to_airport) for leg in legs] == [
        ("MS800", "CDG", "CAI"), ("MS5", "CAI", "SSH"), ("MS6", "SSH", "CAI")]
    # 09:00 in Paris (UTC+2), 13:30 in Cairo (UTC+3) in July.
    assert (legs[0].departs_at, legs[0].arrives_at) == (datetime.datetime(2023, 7, 9, 7, 0, tzinfo=UTC),
                                                      datetime.datetime(2023, 7, 9, 10, 30, tzinfo=UTC))
    itinerary = Itinerary.objects.get(participant=participant)
    assert (itinerary.booked_by, itinerary.ticket_status, itinerary.visa_status) == ("organizers", "booked",
                                                                                    "applied")
    assert AuditLog.objects.filter(action="itinerary.legs").count() == 1
    # The windows other apps read come from the legs now: landing at SSH, take-off home.
    assert stay_windows(conference, [participant.pk])[participant.pk] == (
        datetime.datetime(2023, 7, 9, 13, 0, tzinfo=UTC), datetime.datetime(2023, 7, 14, 5, 0, tzinfo=UTC))


@pytest.mark.parametrize(("legs", "expected"), [
    ([leg("inbound", "EgyptAir", "MS 5", "CAI", "XYZ", "2023-07-09 15:00", "2023-07-09 16:00")],
     ["Row 1, to (airport): “XYZ” is not an airport in Accord's list."]),
    ([leg("inbound", "EgyptAir", "MS 5", "CAI", "SSH", "2023-07-09 15:00", "2023-07-09 14:00")],
     ["Row 1, arrival: The arrival is before the departure."]),
    # Paris skips 02:00-03:00 on 26 March 2023; Cairo repeats 23:00-24:00 on 26 October 2023.
    ([leg("inbound", "Air France", "AF 500", "CDG", "CAI", "2023-03-26 02:30", "2023-03-26 08:00")],
     ["Row 1, departure: 2023-03-26 02:30 does not exist in Europe/Paris (the clocks go forward)."]),
    ([leg("outbound", "Air France", "AF 501", "CAI", "CDG", "2023-10-26 23:30", "2023-10-27 04:00")],
     ["Row 1, departure: 2023-10-26 23:30 happens twice in Africa/Cairo (the clocks go back): give another time."]),
    ([leg("inbound", "EgyptAir", "MS 800", "CDG", "CAI", "2023-07-09 09:00", "2023-07-09 13:30"),
      leg("inbound", "EgyptAir", "MS 5", "CAI", "SSH", "2023-07-09 13:00", "2023-07-09 14:00")],
     ["Row 2, departure: This flight leaves before the one before it lands."]),
    ([leg("inbound", "EgyptAir", "12345678", "CAI", "SSH", "2023-07-09 13:00", "2023-07-09 14:00")],
     ["Row 1, flight number: Give the airline code and the number, for example MS 778."]),
])
def test_itinerary_save_refuses_bad_legs_and_saves_nothing(conference, legs, expected):
    participant = ParticipantFactory(conference=conference)
    with pytest.raises(ItineraryError) as error:
        itinerary_save(participant, actor=StaffFactory(), legs=legs, organizer=True)
    assert [str(problem) for problem in error.value.problems] == expected
    assert not ItineraryLeg.objects.exists()


def test_itinerary_save_refused_before_approval(conference):
    participant = ParticipantFactory(conference=conference, status=ParticipantStatus.SUBMITTED)
    with pytest.raises(AccordError, match="once the participation is approved"):
        itinerary_save(participant, actor=StaffFactory(), legs=VIA_CAIRO)
    assert not ItineraryLeg.objects.exists()


def test_after_the_lock_a_change_is_a_request_the_organizers_accept(conference):
    participant = ParticipantFactory(conference=conference)
    organizer = StaffFactory()
    itinerary_save(participant, actor=participant.user or organizer, legs=VIA_CAIRO[:2])
    travel_lock_set(conference, actor=organizer, locked=True)
    request = itinerary_save(participant, actor=organizer, legs=VIA_CAIRO)  # not as organizer: a request
    assert isinstance(request, ItineraryChangeRequest)
    assert ItineraryLeg.objects.filter(itinerary__participant=participant).count() == 2
    change_request_decide(request, actor=organizer, accept=True)
    assert ItineraryLeg.objects.filter(itinerary__participant=participant).count() == 3
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("accepted", organizer)
    # An organizer's own correction applies at once, locked or not.
    itinerary_save(participant, actor=organizer, legs=VIA_CAIRO[:1], organizer=True)
    assert ItineraryLeg.objects.filter(itinerary__participant=participant).count() == 1


def test_funding_of_a_delegation_and_a_participants_own(conference):
    participant = ParticipantFactory(conference=conference)
    organizer = StaffFactory()
    assert effective_funding(participant) == ""
    delegation_funding_set(participant.delegation, actor=organizer, funding="funded")
    assert effective_funding(participant) == "funded"
    participant_funding_set(participant, actor=organizer, funding="self")
    assert effective_funding(participant) == "self"
    assert DelegationFunding.objects.get().funding == "funded"
    assert set(AuditLog.objects.values_list("action", flat=True)) >= {"delegation.funding", "itinerary.funding"}


CSV_HEADER = "email,direction,carrier,flight_number,from_airport,to_airport,departs_local,arrives_local," \
             "booking_reference\n"


def test_agency_csv_all_or_nothing_with_a_report_per_row(conference):
    first = ParticipantFactory(conference=conference, email="one@example.org")
    ParticipantFactory(conference=conference, email="two@example.org")
    good = CSV_HEADER + (
        "one@example.org,inbound,EgyptAir,MS 800,CDG,CAI,2023-07-09 09:00,2023-07-09 13:30,ABC\n"
        "two@example.org,inbound,EgyptAir,MS 5,CAI,SSH,2023-07-09 15:00,2023-07-09 16:00,DEF\n"
    )
    bad = good + "nobody@example.org,inbound,EgyptAir,MS 5,CAI,SSH,2023-07-09 15:00,2023-07-09 16:00,\n" \
                 "two@example.org,outbound,EgyptAir,MS 6,SSH,QQQ,2023-07-14 08:00,2023-07-14 09:00,\n"
    report = itineraries_import_csv(conference, bad, actor=StaffFactory())
    assert [str(problem) for problem in report.problems] == [
        "Row 4, email: No participant of this conference has this e-mail.",
        "Row 5, to (airport): “QQQ” is not an airport in Accord's list.",
    ]
    assert not ItineraryLeg.objects.exists()
    report = itineraries_import_csv(conference, good, actor=StaffFactory())
    assert (report.ok, report.rows, report.participants) == (True, 2, 2)
    assert ItineraryLeg.objects.get(itinerary__participant=first).booking_reference == "ABC"
    assert Itinerary.objects.get(participant=first).ticket_status == "issued"
