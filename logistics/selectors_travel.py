"""Reads of the travel logistics: each participant's arrival and departure (from the legs), the manifest, the
people who need a transfer, the runs with their seats. Each list is a fixed number of queries, whatever the
number of participants (``bench/logistics.py`` measures them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from conference.models import Conference
from privacy.enums import ReadWhere, RetentionKind
from privacy.services.reads import record_read
from registration.enums import ParticipantStatus
from registration.models import Participant

from .models import (
    DelegationFunding,
    Itinerary,
    ItineraryLeg,
    ManifestPrint,
    TransferRun,
    TransferSeat,
    TravelPlan,
)
from .models.itinerary import LegDirection
from .models.transfers import SeatState


def travel_read_record(participants, *, reader, where: str = ReadWhere.ADMIN) -> int:
    """The travel data of ``participants`` was shown to ``reader``: one bulk write to the read log (none without
    a reader or without people)."""
    participants = list(participants)
    if reader is None or not participants:
        return 0
    return record_read(participants, reader=reader, kind=RetentionKind.TRAVEL_HOTEL, what="travel", where=where)


def effective_funding(participant: Participant) -> str:
    """``funded``, ``self`` or ``""`` (not decided): the participant's own choice, else their delegation's."""
    own = Itinerary.objects.filter(participant=participant).values_list("funding", flat=True).first()
    if own:
        return own
    if participant.delegation_id:
        return DelegationFunding.objects.filter(delegation_id=participant.delegation_id).values_list(
            "funding", flat=True).first() or ""
    return ""


def endpoint_legs(conference: Conference, *, direction: str, participant_ids=None) -> dict[int, ItineraryLeg]:
    """For each approved participant with legs that way: the arrival (their last flight to the conference) or the
    departure (their first flight home), with the participant and delegation. One query."""
    legs = ItineraryLeg.objects.filter(
        direction=direction, itinerary__participant__conference=conference,
        itinerary__participant__status=ParticipantStatus.APPROVED,
    ).select_related("itinerary__participant__delegation")
    if participant_ids is not None:
        legs = legs.filter(itinerary__participant_id__in=list(participant_ids))
    # The itinerary's last landing (or first take-off) that way: DISTINCT ON where the database has it
    # (PostgreSQL), else a correlated subquery (the embedded SQLite mode; about 3x slower). One query either way.
    order = "-arrives_at" if direction == LegDirection.INBOUND else "departs_at"
    if connections[legs.db].features.can_distinct_on_fields:
        legs = legs.order_by("itinerary_id", order, "-pk").distinct("itinerary_id")
    else:
        same_way = ItineraryLeg.objects.filter(itinerary=OuterRef("itinerary"), direction=direction)
        legs = legs.filter(pk=Subquery(same_way.order_by(order, "-pk").values("pk")[:1]))
    return {leg.itinerary.participant_id: leg for leg in legs}


def leg_time(leg: ItineraryLeg, direction: str) -> datetime.datetime:
    """When the leg touches the conference's end: landing of an arrival, take-off of a departure (UTC)."""
    return leg.arrives_at if direction == LegDirection.INBOUND else leg.departs_at


def leg_airport(leg: ItineraryLeg, direction: str) -> str:
    return leg.to_airport if direction == LegDirection.INBOUND else leg.from_airport


def line_signature(leg: ItineraryLeg, direction: str) -> str:
    return f"{leg.flight_number}|{leg_airport(leg, direction)}|{leg_time(leg, direction).isoformat()}"


# The manifest ------------------------------------------------------------------------------------------


@dataclass
class ManifestLine:
    participant: Participant
    leg: ItineraryLeg
    change: str  # "" (as printed), "new" (not on the last print) or "changed"


@dataclass
class ManifestFlight:
    flight_number: str
    carrier: str
    other_airport: str  # where it comes from (arrivals) or goes to (departures)
    local_time: datetime.datetime
    lines: list[ManifestLine] = field(default_factory=list)


@dataclass
class ManifestAirport:
    code: str
    flights: list[ManifestFlight] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(flight.lines) for flight in self.flights)


@dataclass
class ManifestHour:
    hour: datetime.datetime  # local, on the hour
    airports: list[ManifestAirport] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(group.count for group in self.airports)


@dataclass
class ManifestDay:
    day: datetime.date
    hours: list[ManifestHour] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(hour.count for hour in self.hours)


@dataclass
class Manifest:
    direction: str
    days: list[ManifestDay]
    without_flight: list[Participant]
    dropped: list[int]  # on the last print, no longer on the manifest
    last_print: ManifestPrint | None
    snapshot: dict[str, str]

    @property
    def count(self) -> int:
        return sum(day.count for day in self.days)


def manifest(conference: Conference, *, direction: str = LegDirection.INBOUND, reader=None) -> Manifest:
    """Who lands (or takes off) when, per day and hour in the conference's zone, by airport and flight, each line
    marked new or changed since the last print; the approved participants with no flight that way yet. Three
    queries; with ``reader`` (a page shows it), one more: the read log of everyone listed."""
    zone = conference.tz
    legs = endpoint_legs(conference, direction=direction)
    last_print = ManifestPrint.objects.filter(conference=conference, kind=direction).first()
    before = last_print.snapshot if last_print else {}
    without = list(
        Participant.objects.filter(conference=conference, status=ParticipantStatus.APPROVED)
        .exclude(pk__in=list(legs)).select_related("delegation").order_by("last_name", "first_name", "pk")
    )
    days: dict[datetime.date, dict[datetime.datetime, dict[str, dict[tuple, ManifestFlight]]]] = {}
    snapshot = {}
    ordered = sorted(legs.items(), key=lambda pair: (leg_time(pair[1], direction), pair[1].flight_number,
                                                     pair[1].itinerary.participant.last_name, pair[0]))
    for participant_id, leg in ordered:
        participant = leg.itinerary.participant
        local = timezone.localtime(leg_time(leg, direction), zone)
        signature = line_signature(leg, direction)
        snapshot[str(participant_id)] = signature
        if not last_print:
            change = ""
        elif str(participant_id) not in before:
            change = "new"
        else:
            change = "" if before[str(participant_id)] == signature else "changed"
        hour = local.replace(minute=0, second=0, microsecond=0)
        flights = days.setdefault(local.date(), {}).setdefault(hour, {}).setdefault(leg_airport(leg, direction), {})
        key = (leg.flight_number, local)
        if key not in flights:
            other = leg.from_airport if direction == LegDirection.INBOUND else leg.to_airport
            flights[key] = ManifestFlight(leg.flight_number, leg.carrier, other, local)
        flights[key].lines.append(ManifestLine(participant, leg, change))
    result = [
        ManifestDay(day, [
            ManifestHour(hour, [ManifestAirport(code, list(flights.values()))
                                for code, flights in sorted(airports.items())])
            for hour, airports in sorted(hours.items())
        ])
        for day, hours in sorted(days.items())
    ]
    dropped = sorted(int(pid) for pid in before if pid not in snapshot)
    travel_read_record([leg.itinerary.participant for leg in legs.values()] + without, reader=reader)
    return Manifest(direction, result, without, dropped, last_print, snapshot)


# Transfers ---------------------------------------------------------------------------------------------


@dataclass
class Traveller:
    participant_id: int
    airport: str
    hotel: str
    flight: str
    at: datetime.datetime  # landing (inbound) or take-off (outbound), UTC


def travellers_needing_transfer(conference: Conference, *, direction: str):
    """The approved participants who asked for an airport transfer and have a flight that way, with their hotel
    (the travel step's hotel name). Two queries."""
    legs = endpoint_legs(conference, direction=direction)
    plans = dict(TravelPlan.objects.filter(participant__conference=conference, transfer_needed=True,
                                           participant_id__in=list(legs)).values_list("participant_id", "hotel_name"))
    return [
        Traveller(participant_id=pid, airport=leg_airport(leg, direction), hotel=plans[pid].strip(),
                  flight=leg.flight_number, at=leg_time(leg, direction))
        for pid, leg in legs.items() if pid in plans
    ]


def runs_with_counts(conference: Conference, *, direction: str | None = None):
    """The conference's runs in time order with their vehicle and seat counts (one query)."""
    runs = TransferRun.objects.filter(conference=conference).select_related("vehicle").annotate(
        seats_total=Count("seats"),
        seats_picked_up=Count("seats", filter=Q(seats__state=SeatState.PICKED_UP)),
        seats_no_show=Count("seats", filter=Q(seats__state=SeatState.NO_SHOW)),
    ).order_by("pickup_at", "pk")
    if direction:
        runs = runs.filter(direction=direction)
    return runs


def run_counts(run: TransferRun) -> dict[str, int]:
    counts = {state: 0 for state in SeatState.values}
    for state, number in TransferSeat.objects.filter(run=run).order_by().values("state").annotate(
            n=Count("pk")).values_list("state", "n"):
        counts[state] = number
    counts["total"] = sum(counts[state] for state in SeatState.values)
    return counts


def run_with_seats(conference: Conference, run_id: int, *, reader=None) -> TransferRun | None:
    """One run of ``conference`` with its seats, their participants, delegations and travel plans (3 queries);
    with ``reader`` (a page shows them), one more: the read log of the people on the run."""
    run = (
        TransferRun.objects.filter(conference=conference, pk=run_id).select_related("vehicle", "conference")
        .prefetch_related(Prefetch("seats", queryset=TransferSeat.objects.select_related(
            "participant__delegation", "participant__travel_plan").order_by("lands_at", "participant__last_name")))
        .first()
    )
    if run is not None:
        travel_read_record([seat.participant for seat in run.seats.all()], reader=reader)
    return run


def move_targets(run: TransferRun) -> list[TransferRun]:
    """The other runs of ``run``'s conference from the same airport, the same way, in time order, each with
    ``seats_total`` and ``seats_free`` (``None``: no vehicle yet, no limit): where the airport page may move a
    person. One query."""
    runs = list(runs_with_counts(run.conference, direction=run.direction).filter(airport=run.airport)
                .exclude(pk=run.pk))
    for other in runs:
        other.seats_free = other.vehicle.capacity - other.seats_total if other.vehicle else None
    return runs


def itinerary_for(participant: Participant, *, reader=None, where: str = ReadWhere.PORTAL):
    """(itinerary or None, its legs in time order, the pending change request or None): three queries at most;
    with ``reader`` (someone else's travel page, a focal point's), one more: the read log."""
    from .models import ItineraryChangeRequest
    from .models.itinerary import ChangeRequestStatus

    itinerary = Itinerary.objects.filter(participant=participant).first()
    travel_read_record([participant], reader=reader, where=where)
    if itinerary is None:
        return None, [], None
    legs = list(itinerary.legs.order_by("departs_at"))
    pending = ItineraryChangeRequest.objects.filter(itinerary=itinerary, status=ChangeRequestStatus.PENDING).first()
    return itinerary, legs, pending


def last_change_decision(itinerary: Itinerary):
    """The itinerary's last accepted or declined change request, or None (one query)."""
    from .models import ItineraryChangeRequest
    from .models.itinerary import ChangeRequestStatus

    return (ItineraryChangeRequest.objects.filter(itinerary=itinerary).exclude(status=ChangeRequestStatus.PENDING)
            .order_by("-decided_at", "-pk").first())
