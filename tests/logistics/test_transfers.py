"""The arrival manifest and the transfer runs, on the shared travel scenario (``conftest.travel``), with exact
expectations; query counts independent of the number of participants."""

import datetime

import pytest

from conference.services import AccordError
from logistics.models import TransferRun, TransferSeat, TravelPlan
from logistics.selectors_travel import manifest, run_counts
from logistics.services_travel import (
    flight_delay,
    itinerary_save,
    manifest_print_record,
    transfer_run_confirm,
    transfer_runs_propose,
    transfer_seat_mark,
    transfer_seat_move,
)
from tests.factories import ParticipantFactory

from .conftest import leg

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def flat(result):
    """The manifest as (day, hour, airport, flight, local time, [(name, change)])."""
    return [
        (day.day.isoformat(), f"{hour.hour:%H:%M}", group.code, flight.flight_number, f"{flight.local_time:%H:%M}",
         [(line.participant.last_name, line.change) for line in flight.lines])
        for day in result.days for hour in day.hours for group in hour.airports for flight in group.flights
    ]


def test_arrival_manifest_by_day_hour_airport_and_flight(conference, travel, django_assert_num_queries):
    with django_assert_num_queries(3):
        result = manifest(conference)
    assert flat(result) == [
        ("2023-07-09", "10:00", "CAI", "EK927", "10:00", [("Evans", "")]),
        ("2023-07-09", "16:00", "SSH", "MS5", "16:00", [("Adams", ""), ("Baker", ""), ("Hill", "")]),
        ("2023-07-09", "16:00", "SSH", "TU9701", "16:30", [("Cole", "")]),
        ("2023-07-09", "16:00", "SSH", "RJ501", "16:50", [("Diab", "")]),
        ("2023-07-09", "18:00", "SSH", "MS7", "18:10", [("Gray", "")]),
    ]
    assert [p.last_name for p in result.without_flight] == ["Ford"]
    departures = manifest(conference, direction="outbound")
    assert flat(departures) == [("2023-07-14", "08:00", "SSH", "MS6", "08:00",
                                 [("Adams", ""), ("Baker", ""), ("Hill", "")])]


def test_manifest_marks_what_changed_since_the_last_print(conference, travel):
    first = manifest(conference)
    manifest_print_record(conference, kind="inbound", actor=travel.organizer, snapshot=first.snapshot)
    itinerary_save(travel.cole, actor=travel.organizer, organizer=True, legs=[
        leg("inbound", "Tunisair", "TU 9701", "TUN", "SSH", "2023-07-09 12:00", "2023-07-09 17:05")])
    itinerary_save(travel.ford, actor=travel.organizer, organizer=True, legs=[
        leg("inbound", "EgyptAir", "MS 7", "CAI", "SSH", "2023-07-09 17:10", "2023-07-09 18:10")])
    itinerary_save(travel.evans, actor=travel.organizer, organizer=True, legs=[
        leg("outbound", "Emirates", "EK 928", "CAI", "DXB", "2023-07-14 12:00", "2023-07-14 16:30")])
    result = manifest(conference)
    changes = {line.participant.last_name: line.change for day in result.days for hour in day.hours
               for group in hour.airports for flight in group.flights for line in flight.lines}
    assert changes == {"Adams": "", "Baker": "", "Hill": "", "Cole": "changed", "Diab": "", "Gray": "",
                       "Ford": "new"}
    assert result.dropped == [travel.evans.pk]  # no flight to the conference any more
    assert [p.last_name for p in result.without_flight] == ["Evans"]


def test_runs_proposed_within_the_window_under_capacity(conference, travel, django_assert_num_queries):
    transfer_runs_propose(conference, actor=travel.organizer)
    with django_assert_num_queries(13):  # again: the proposed runs replaced
        transfer_runs_propose(conference, actor=travel.organizer)
    runs = [(run.airport, run.pickup_at, run.vehicle.name if run.vehicle else None,
             sorted(seat.participant.last_name for seat in run.seats.all()))
            for run in TransferRun.objects.order_by("pickup_at").prefetch_related("seats__participant")]
    # Cairo is UTC+3: Evans lands at CAI at 10:00 (pickup 10:30); at SSH 16:00 three land on MS 5 (the minibus
    # seats 3, the largest), Cole at 16:30 and Diab at 16:50 (within 45 minutes of 16:30) share the van, picked up
    # 30 minutes after the last landing; Gray asked for no transfer.
    assert runs == [
        ("CAI", datetime.datetime(2023, 7, 9, 7, 30, tzinfo=UTC), "Van", ["Evans"]),
        ("SSH", datetime.datetime(2023, 7, 9, 13, 30, tzinfo=UTC), "Minibus", ["Adams", "Baker", "Hill"]),
        ("SSH", datetime.datetime(2023, 7, 9, 14, 20, tzinfo=UTC), "Van", ["Cole", "Diab"]),
    ]


def test_runs_query_count_independent_of_participants(conference, travel, django_assert_num_queries):
    for number in range(20):
        person = ParticipantFactory(conference=conference, last_name=f"Extra{number}")
        TravelPlan.objects.create(participant=person, transfer_needed=True, hotel_name="Hotel Nile")
        itinerary_save(person, actor=travel.organizer, organizer=True, legs=[
            leg("inbound", "EgyptAir", "MS 5", "CAI", "SSH", "2023-07-09 15:00", "2023-07-09 16:00")])
    transfer_runs_propose(conference, actor=travel.organizer)
    with django_assert_num_queries(13):
        transfer_runs_propose(conference, actor=travel.organizer)
    with django_assert_num_queries(3):
        manifest(conference)


def test_a_new_proposal_keeps_confirmed_runs(conference, travel):
    transfer_runs_propose(conference, actor=travel.organizer)
    cairo = TransferRun.objects.get(airport="CAI")
    transfer_run_confirm(cairo, actor=travel.organizer, vehicle=travel.minibus)
    transfer_runs_propose(conference, actor=travel.organizer)
    assert TransferRun.objects.count() == 3
    assert TransferSeat.objects.get(participant=travel.evans).run == cairo
    with pytest.raises(AccordError, match="seats 2"):
        transfer_run_confirm(TransferRun.objects.get(airport="SSH", seats__participant=travel.adams),
                             actor=travel.organizer, vehicle=travel.van)


def test_marking_picked_up_and_no_show_updates_the_counts(conference, travel):
    transfer_runs_propose(conference, actor=travel.organizer)
    run = TransferRun.objects.get(seats__participant=travel.adams)
    seats = {seat.participant.last_name: seat for seat in run.seats.select_related("participant")}
    transfer_seat_mark(seats["Adams"], actor=travel.organizer, state="picked_up")
    transfer_seat_mark(seats["Baker"], actor=travel.organizer, state="no_show")
    assert run_counts(run) == {"planned": 1, "picked_up": 1, "no_show": 1, "total": 3}
    with pytest.raises(AccordError):
        transfer_seat_mark(seats["Hill"], actor=travel.organizer, state="lost")


def test_delayed_flight_moves_its_people_to_a_later_run(conference, travel):
    transfer_runs_propose(conference, actor=travel.organizer)
    moved = flight_delay(conference, actor=travel.organizer, flight_number="ms 5", day=datetime.date(2023, 7, 9),
                         arrives_local=datetime.datetime(2023, 7, 9, 16, 40))
    assert moved == 3
    later = TransferRun.objects.get(seats__participant=travel.adams)
    # Landing 16:40 Cairo: the van's run at 17:20 is full (Cole, Diab), so a new run at 17:10 waits for a vehicle.
    assert (later.pickup_at, later.vehicle, later.seats.count()) == (
        datetime.datetime(2023, 7, 9, 14, 10, tzinfo=UTC), None, 3)
    flat_manifest = flat(manifest(conference))
    assert ("2023-07-09", "16:00", "SSH", "MS5", "16:40", [("Adams", ""), ("Baker", ""), ("Hill", "")]) in flat_manifest


def test_delayed_flight_joins_a_later_run_with_room(conference, travel):
    transfer_runs_propose(conference, actor=travel.organizer)
    evans_run = TransferRun.objects.get(airport="CAI")
    # Evans's flight lands 20 minutes late: the run at 10:30 picks up at 10:30 < 10:20 + 30, so a new run.
    assert flight_delay(conference, actor=travel.organizer, flight_number="EK927", day=datetime.date(2023, 7, 9),
                        arrives_local=datetime.datetime(2023, 7, 9, 10, 20)) == 1
    seat = TransferSeat.objects.get(participant=travel.evans)
    assert seat.run != evans_run and seat.run.pickup_at == datetime.datetime(2023, 7, 9, 7, 50, tzinfo=UTC)
    with pytest.raises(AccordError, match="No flight"):
        flight_delay(conference, actor=travel.organizer, flight_number="XX1", day=datetime.date(2023, 7, 9),
                     arrives_local=datetime.datetime(2023, 7, 9, 10, 20))


def test_moving_a_person_needs_a_run_from_the_same_airport_with_room(conference, travel):
    transfer_runs_propose(conference, actor=travel.organizer)
    adams = TransferSeat.objects.get(participant=travel.adams)
    van_run = TransferRun.objects.get(seats__participant=travel.cole)
    cairo = TransferRun.objects.get(airport="CAI")
    with pytest.raises(AccordError, match="same airport"):
        transfer_seat_move(adams, cairo, actor=travel.organizer)
    with pytest.raises(AccordError, match="full"):
        transfer_seat_move(adams, van_run, actor=travel.organizer)
