"""Writes of the travel logistics: funding, itineraries and their legs, the travel lock and change requests, the
travel agency's CSV import, manifest prints, vehicles and transfer runs.

* ``participant_funding_set`` / ``delegation_funding_set``: who pays (audited).
* ``itinerary_save(participant, *, actor, legs, organizer=False, **fields)``: the legs (local times, as entered)
  checked all together (``ItineraryError`` lists every problem by row and field, nothing saved), then all legs
  replaced. Once the conference's travel is locked a participant or focal point gets a change request instead,
  which an organizer accepts (``change_request_accept``) or declines.
* ``itineraries_import_csv(conference, text, *, actor)``: the travel agency's file, all or nothing.
* ``manifest_print_record``: what the manifest said when printed (the next one marks what changed).
* ``transfer_runs_propose``, ``transfer_seat_mark``, ``transfer_seat_move``, ``flight_delay``: the transfers.
* ``travel_pdf_request`` / ``travel_pdf_render``: the stored manifest and driver sheet PDFs (a task renders them,
  reused while what they print is the same); ``travel_pdf_read_record``: their downloads in the read log.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.models import Conference, Delegation
from conference.services import AccordError, audit_record
from privacy.enums import ReadWhere, RetentionKind
from privacy.services.reads import record_read
from registration.enums import ParticipantStatus
from registration.models import Participant

from .airports import LocalTimeError, airport, local_to_utc
from .models import (
    DelegationFunding,
    Itinerary,
    ItineraryChangeRequest,
    ItineraryLeg,
    ManifestPrint,
    TransferRun,
    TransferSeat,
    TravelPdf,
    TravelPlan,
    TravelSettings,
    Vehicle,
)
from .models.itinerary import BookedBy, ChangeRequestStatus, Funding, LegDirection, TicketStatus, VisaStatus
from .models.transfers import RunStatus, SeatState
from .models.travel_pdfs import TravelPdfKind, TravelPdfStatus
from .selectors_travel import Traveller, travellers_needing_transfer

FLIGHT_NUMBER = re.compile(r"^[A-Z0-9]{2}[A-Z]?\s?\d{1,4}[A-Z]?$")
LOCAL_FORMAT = "%Y-%m-%d %H:%M"
ITINERARY_FIELDS = {
    "booked_by": BookedBy.values, "ticket_status": TicketStatus.values, "visa_status": VisaStatus.values,
    "funding": ["", *Funding.values],
}
#: From landing to leaving the airport (immigration, bags): an arrival run's pickup is its last landing plus this.
PICKUP_AFTER_LANDING = datetime.timedelta(minutes=30)
#: Departure runs leave the hotel this long before the first flight of the run.
PICKUP_BEFORE_DEPARTURE = datetime.timedelta(hours=3)


@dataclass
class LegProblem:
    row: int  # 1-based: the leg's position (or the CSV's line)
    field: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, %(field)s: %(message)s") % {"row": self.row, "field": self.field,
                                                           "message": self.message}


class ItineraryError(AccordError):
    """Bad legs: every problem found, by row and field. Nothing was saved."""

    def __init__(self, problems: list[LegProblem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


@dataclass
class CheckedLeg:
    direction: str
    carrier: str
    flight_number: str
    from_airport: str
    to_airport: str
    departs_at: datetime.datetime
    arrives_at: datetime.datetime
    booking_reference: str = ""

    def as_model(self, itinerary: Itinerary) -> ItineraryLeg:
        return ItineraryLeg(itinerary=itinerary, **self.__dict__)

    def summary(self) -> str:
        return (f"{self.direction} {self.carrier} {self.flight_number} {self.from_airport}-{self.to_airport} "
                f"{self.departs_at.isoformat()}-{self.arrives_at.isoformat()} {self.booking_reference}".strip())


@dataclass
class LegsCheck:
    legs: list[CheckedLeg] = field(default_factory=list)
    problems: list[LegProblem] = field(default_factory=list)


def parse_local(value: Any) -> datetime.datetime | None:
    """A local date and time as entered (``YYYY-MM-DD HH:MM``, or with a ``T`` as a datetime-local input sends
    it), naive; ``None`` when it is not one."""
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    try:
        return datetime.datetime.strptime(str(value or "").strip().replace("T", " "), LOCAL_FORMAT)
    except ValueError:
        return None


def legs_check(raw_legs: list[dict[str, Any]], *, first_row: int = 1) -> LegsCheck:
    """Check legs given with local times (``departs_local`` / ``arrives_local``: naive datetimes or
    ``YYYY-MM-DD HH:MM`` in the from and to airport's zone). Returns the legs in UTC and every problem: an unknown
    airport, a malformed flight number, a local time that does not exist or is ambiguous, an arrival before the
    departure, legs that overlap, a flight home before a flight to the conference."""
    result = LegsCheck()
    for index, raw in enumerate(raw_legs):
        row = first_row + index
        problems = []
        direction = str(raw.get("direction") or "").strip().lower()
        if direction not in LegDirection.values:
            problems.append(LegProblem(row, _("direction"), _("Choose to the conference or home.")))
        carrier = str(raw.get("carrier") or "").strip()
        if not carrier:
            problems.append(LegProblem(row, _("carrier"), _("This field is required.")))
        number = re.sub(r"\s+", "", str(raw.get("flight_number") or "").upper())
        if not FLIGHT_NUMBER.match(number):
            problems.append(LegProblem(row, _("flight number"),
                                       _("Give the airline code and the number, for example MS 778.")))
        times = {}
        for key, code_key, label, time_label in (
            ("departs_local", "from_airport", _("from (airport)"), _("departure")),
            ("arrives_local", "to_airport", _("to (airport)"), _("arrival")),
        ):
            place = airport(str(raw.get(code_key) or ""))
            if place is None:
                problems.append(LegProblem(row, label, _("“%(code)s” is not an airport in Accord's list.") % {
                    "code": str(raw.get(code_key) or "").strip().upper()}))
                continue
            times[code_key] = place.iata
            local = parse_local(raw.get(key))
            if local is None:
                problems.append(LegProblem(row, time_label, _("Give the local date and time (YYYY-MM-DD HH:MM).")))
                continue
            try:
                times[key] = local_to_utc(local, place.zone)
            except LocalTimeError as exc:
                problems.append(LegProblem(row, time_label, str(exc)))
        if times.get("from_airport") and times.get("from_airport") == times.get("to_airport"):
            problems.append(LegProblem(row, _("to (airport)"), _("A flight lands at another airport than it leaves.")))
        if "departs_local" in times and "arrives_local" in times and times["arrives_local"] <= times["departs_local"]:
            problems.append(LegProblem(row, _("arrival"), _("The arrival is before the departure.")))
        result.problems.extend(problems)
        if not problems:
            result.legs.append(CheckedLeg(
                direction=direction, carrier=carrier, flight_number=number, from_airport=times["from_airport"],
                to_airport=times["to_airport"], departs_at=times["departs_local"], arrives_at=times["arrives_local"],
                booking_reference=str(raw.get("booking_reference") or "").strip()[:20],
            ))
    if not result.problems:
        ordered = sorted(enumerate(result.legs), key=lambda pair: pair[1].departs_at)
        for (_i, earlier), (index, later) in zip(ordered, ordered[1:], strict=False):
            if later.departs_at < earlier.arrives_at:
                result.problems.append(LegProblem(first_row + index, _("departure"),
                                                  _("This flight leaves before the one before it lands.")))
            if earlier.direction == LegDirection.OUTBOUND and later.direction == LegDirection.INBOUND:
                result.problems.append(LegProblem(first_row + index, _("direction"),
                                                  _("A flight to the conference comes after a flight home.")))
        result.legs = [leg for _i, leg in ordered]
    return result


# Funding ------------------------------------------------------------------------------------------------


def participant_funding_set(participant: Participant, *, actor, funding: str) -> Itinerary:
    """Mark ``participant`` funded, self-funded or (``""``) as their delegation."""
    if funding not in ITINERARY_FIELDS["funding"]:
        raise AccordError(_("Unknown funding."))
    with transaction.atomic():
        itinerary, _created = Itinerary.objects.select_for_update().get_or_create(participant=participant)
        if itinerary.funding != funding:
            audit_record(actor=actor, action="itinerary.funding", target=participant,
                         conference=participant.conference, changes={"funding": [itinerary.funding, funding]})
            itinerary.funding = funding
            itinerary.save(update_fields=["funding", "updated_at"])
    return itinerary


def delegation_funding_set(delegation: Delegation, *, actor, funding: str) -> DelegationFunding:
    """Mark a whole delegation funded or self-funded (its members' own choice overrides it)."""
    if funding not in Funding.values:
        raise AccordError(_("Unknown funding."))
    with transaction.atomic():
        row, _created = DelegationFunding.objects.select_for_update().get_or_create(
            delegation=delegation, defaults={"funding": funding})
        before = None if _created else row.funding
        if row.funding != funding or _created:
            row.funding = funding
            row.save(update_fields=["funding", "updated_at"])
            audit_record(actor=actor, action="delegation.funding", target=delegation,
                         conference=delegation.conference, changes={"funding": [before, funding]})
    return row


# Itineraries --------------------------------------------------------------------------------------------


def travel_locked(conference: Conference) -> bool:
    return TravelSettings.objects.filter(conference=conference, locked_at__isnull=False).exists()


def travel_lock_set(conference: Conference, *, actor, locked: bool,
                    transfer_window_minutes: int | None = None) -> TravelSettings:
    """Lock (or unlock) travel: while locked, participants' and focal points' changes are requests. With
    ``transfer_window_minutes`` (1 to 240) the run proposal's grouping window changes too."""
    if transfer_window_minutes is not None and not 1 <= int(transfer_window_minutes) <= 240:
        raise AccordError(_("The grouping window is between 1 and 240 minutes."))
    with transaction.atomic():
        settings_row, _created = TravelSettings.objects.select_for_update().get_or_create(conference=conference)
        if bool(settings_row.locked_at) != locked:
            settings_row.locked_at = timezone.now() if locked else None
            settings_row.save(update_fields=["locked_at"])
            audit_record(actor=actor, action="travel.lock" if locked else "travel.unlock", target=conference,
                         conference=conference, changes={"locked": locked})
        if transfer_window_minutes is not None and settings_row.transfer_window_minutes != transfer_window_minutes:
            audit_record(actor=actor, action="travel.transfer_window", target=conference, conference=conference,
                         changes={"transfer_window_minutes": [settings_row.transfer_window_minutes,
                                                              transfer_window_minutes]})
            settings_row.transfer_window_minutes = transfer_window_minutes
            settings_row.save(update_fields=["transfer_window_minutes"])
    return settings_row


def _check_fields(fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name not in ITINERARY_FIELDS or value not in ITINERARY_FIELDS[name]:
            raise AccordError(_("Unknown value for %(field)s.") % {"field": name})


def _replace_legs(itinerary: Itinerary, legs: list[CheckedLeg], *, actor, action: str) -> None:
    before = [CheckedLeg(**{k: getattr(leg, k) for k in CheckedLeg.__dataclass_fields__}).summary()
              for leg in itinerary.legs.all()]
    after = [leg.summary() for leg in legs]
    if before == after:
        return
    itinerary.legs.all().delete()
    ItineraryLeg.objects.bulk_create([leg.as_model(itinerary) for leg in legs])
    itinerary.save(update_fields=["updated_at"])
    audit_record(actor=actor, action=action, target=itinerary.participant,
                 conference=itinerary.participant.conference, changes={"legs": [before, after]})


def itinerary_save(participant: Participant, *, actor, legs: list[dict[str, Any]], organizer: bool = False,
                   note: str = "", **fields: Any) -> Itinerary | ItineraryChangeRequest:
    """Save ``participant``'s legs (all replaced) and ``fields`` (booked_by, ticket_status, visa_status, funding
    for organizers). Raises ``ItineraryError`` for bad legs, ``AccordError`` when the participant is not
    approved. When travel is locked and ``organizer`` is false, nothing changes: a pending change request is
    recorded (replacing an earlier pending one) and returned."""
    if participant.status != ParticipantStatus.APPROVED:
        raise AccordError(_("Travel opens once the participation is approved."))
    if not organizer:
        fields.pop("funding", None)
        fields.pop("ticket_status", None)
    _check_fields(fields)
    checked = legs_check(legs)
    if checked.problems:
        raise ItineraryError(checked.problems)
    with transaction.atomic():
        itinerary, _created = Itinerary.objects.select_for_update().get_or_create(participant=participant)
        if not organizer and travel_locked(participant.conference):
            itinerary.change_requests.filter(status=ChangeRequestStatus.PENDING).delete()
            request = ItineraryChangeRequest.objects.create(
                itinerary=itinerary, legs=[_jsonable_leg(raw) for raw in legs], note=note,
                requested_by=actor if getattr(actor, "pk", None) else None)
            audit_record(actor=actor, action="itinerary.change_request", target=participant,
                         conference=participant.conference, changes={"legs": [leg.summary() for leg in checked.legs]})
            return request
        changes = {name: [getattr(itinerary, name), value] for name, value in fields.items()
                   if getattr(itinerary, name) != value}
        if changes:
            for name, value in fields.items():
                setattr(itinerary, name, value)
            itinerary.save(update_fields=[*fields, "updated_at"])
            audit_record(actor=actor, action="itinerary.update", target=participant,
                         conference=participant.conference, changes=changes)
        _replace_legs(itinerary, checked.legs, actor=actor, action="itinerary.legs")
    return itinerary


def _jsonable_leg(raw: dict[str, Any]) -> dict[str, str]:
    out = {}
    for key, value in raw.items():
        out[key] = value.strftime(LOCAL_FORMAT) if isinstance(value, datetime.datetime) else str(value or "")
    return out


def change_request_decide(request: ItineraryChangeRequest, *, actor, accept: bool) -> ItineraryChangeRequest:
    """Accept (the proposed legs replace the itinerary's, checked again) or decline a pending change request."""
    with transaction.atomic():
        request = ItineraryChangeRequest.objects.select_for_update().select_related(
            "itinerary__participant__conference").get(pk=request.pk)
        if request.status != ChangeRequestStatus.PENDING:
            raise AccordError(_("This request was already decided."))
        if accept:
            checked = legs_check(request.legs)
            if checked.problems:
                raise ItineraryError(checked.problems)
            _replace_legs(request.itinerary, checked.legs, actor=actor, action="itinerary.legs")
        request.status = ChangeRequestStatus.ACCEPTED if accept else ChangeRequestStatus.DECLINED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(actor=actor, action="itinerary.change_request_" + request.status,
                     target=request.itinerary.participant, conference=request.itinerary.participant.conference,
                     changes={"request": request.pk})
    return request


CSV_COLUMNS = ("email", "direction", "carrier", "flight_number", "from_airport", "to_airport", "departs_local",
               "arrives_local", "booking_reference")


@dataclass
class ImportReport:
    rows: int = 0
    participants: int = 0
    problems: list[LegProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def itineraries_import_csv(conference: Conference, text: str, *, actor) -> ImportReport:
    """The travel agency's CSV (``CSV_COLUMNS``, one leg a row, local times): every row checked, and the legs of
    each participant named replaced only when no row has a problem (the report lists them by line, 2 = the first
    data line). Ticket status becomes issued for the participants imported."""
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text))
    missing = [name for name in CSV_COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        report.problems.append(LegProblem(1, ", ".join(missing), _("Missing column.")))
        return report
    by_email: dict[str, list[tuple[int, dict]]] = {}
    for line, row in enumerate(reader, start=2):
        report.rows += 1
        by_email.setdefault(str(row["email"] or "").strip().lower(), []).append((line, row))
    participants = {p.email.lower(): p for p in Participant.objects.filter(
        conference=conference, email__in=[email for email in by_email if email])} if by_email else {}
    # email__in is case sensitive: look the rest up one by one, case-insensitively.
    for email in by_email:
        if email and email not in participants:
            found = Participant.objects.filter(conference=conference, email__iexact=email).first()
            if found:
                participants[email] = found
    checked_by_participant = {}
    for email, rows in by_email.items():
        participant = participants.get(email)
        if participant is None:
            report.problems.extend(LegProblem(line, "email", _("No participant of this conference has this "
                                                               "e-mail.")) for line, _row in rows)
            continue
        if participant.status != ParticipantStatus.APPROVED:
            report.problems.extend(LegProblem(line, "email", _("This participant is not approved."))
                                   for line, _row in rows)
            continue
        checked = LegsCheck()
        for line, row in rows:
            one = legs_check([row], first_row=line)
            checked.problems.extend(one.problems)
            checked.legs.extend(one.legs)
        if not checked.problems:
            whole = legs_check([row for _line, row in rows], first_row=rows[0][0])
            # Lines of one participant need not be consecutive: name the lines of that participant.
            for problem in whole.problems:
                problem.row = rows[min(problem.row - rows[0][0], len(rows) - 1)][0]
            checked = whole
        report.problems.extend(checked.problems)
        checked_by_participant[participant.pk] = (participant, checked.legs)
    report.problems.sort(key=lambda problem: problem.row)
    if report.problems:
        return report
    with transaction.atomic():
        for participant, legs in checked_by_participant.values():
            itinerary, _created = Itinerary.objects.select_for_update().get_or_create(participant=participant)
            _replace_legs(itinerary, legs, actor=actor, action="itinerary.legs_import")
            if itinerary.ticket_status != TicketStatus.ISSUED:
                itinerary.ticket_status = TicketStatus.ISSUED
                itinerary.save(update_fields=["ticket_status", "updated_at"])
        report.participants = len(checked_by_participant)
        audit_record(actor=actor, action="itinerary.import", target=conference, conference=conference,
                     changes={"rows": report.rows, "participants": report.participants})
    return report


# Manifest prints ----------------------------------------------------------------------------------------


def manifest_print_record(conference: Conference, *, kind: str, actor, snapshot: dict[str, str]) -> ManifestPrint:
    """Record a print of the manifest (``snapshot``: each participant's line as printed, from
    ``selectors_travel.manifest``)."""
    if kind not in LegDirection.values:
        raise AccordError(_("Unknown manifest."))
    return ManifestPrint.objects.create(conference=conference, kind=kind, snapshot=snapshot,
                                        printed_by=actor if getattr(actor, "pk", None) else None)


# Transfers ----------------------------------------------------------------------------------------------


def vehicle_save(conference: Conference, *, actor, vehicle: Vehicle | None = None, **fields: Any) -> Vehicle:
    if int(fields.get("capacity") or 0) <= 0:
        raise AccordError(_("A vehicle has at least one seat."))
    with transaction.atomic():
        vehicle = vehicle or Vehicle(conference=conference)
        for name, value in fields.items():
            setattr(vehicle, name, value)
        vehicle.save()
        audit_record(actor=actor, action="vehicle.save", target=vehicle, conference=conference,
                     changes={name: str(value) for name, value in fields.items() if name != "driver_phone"})
    return vehicle


def group_travellers(travellers: list[Traveller], *, window: datetime.timedelta, capacity: int,
                     direction: str) -> list[list[Traveller]]:
    """Group by airport and hotel, then in time order: a group takes the people whose time is within ``window``
    of its first person's, up to ``capacity``. Pure: the run proposal's rule, checked by the tests."""
    groups: list[list[Traveller]] = []
    keyed: dict[tuple[str, str], list[Traveller]] = {}
    for person in sorted(travellers, key=lambda t: (t.at, t.participant_id)):
        keyed.setdefault((person.airport, person.hotel), []).append(person)
    for _key, people in sorted(keyed.items()):
        current: list[Traveller] = []
        for person in people:
            if current and (person.at - current[0].at > window or len(current) >= capacity):
                groups.append(current)
                current = []
            current.append(person)
        if current:
            groups.append(current)
    return sorted(groups, key=lambda group: (group[0].at, group[0].airport, group[0].hotel))


def _pickup(group: list[Traveller], direction: str) -> datetime.datetime:
    if direction == LegDirection.INBOUND:
        return max(person.at for person in group) + PICKUP_AFTER_LANDING
    return min(person.at for person in group) - PICKUP_BEFORE_DEPARTURE


def _proposed_runs_delete(conference: Conference, direction: str) -> None:
    """Delete the proposed runs of ``direction`` and their seats in two statements (the ORM's delete would send
    one more per hundred runs)."""
    runs, seats = TransferRun._meta.db_table, TransferSeat._meta.db_table
    # Only our own table names go into the text; every value is a bound parameter.
    where = f"SELECT id FROM {runs} WHERE conference_id = %s AND direction = %s AND status = %s"  # noqa: S608  # nosec B608
    params = [conference.pk, direction, RunStatus.PROPOSED]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {seats} WHERE run_id IN ({where})", params)  # noqa: S608  # nosec B608
        cursor.execute(f"DELETE FROM {runs} WHERE id IN ({where})", params)  # noqa: S608  # nosec B608


def transfer_runs_propose(conference: Conference, *, actor, direction: str = LegDirection.INBOUND) -> list[TransferRun]:
    """Replace the proposed runs of ``direction`` by new ones: the approved participants who asked for a transfer
    and have a flight, not already on a confirmed run, grouped within the conference's window (45 minutes by
    default) under the largest vehicle's capacity; each run gets the smallest free vehicle that seats it (free: no
    other run of that vehicle within two hours), or none for organizers to adjust. Query count independent of
    the number of participants."""
    settings_row = TravelSettings.objects.filter(conference=conference).first()
    window = datetime.timedelta(minutes=settings_row.transfer_window_minutes if settings_row else 45)
    vehicles = sorted(Vehicle.objects.filter(conference=conference), key=lambda v: (v.capacity, v.pk))
    if not vehicles:
        raise AccordError(_("Add a vehicle first."))
    with transaction.atomic():
        _proposed_runs_delete(conference, direction)
        confirmed = TransferRun.objects.filter(conference=conference, direction=direction)
        busy: dict[int, list[datetime.datetime]] = {}
        for vehicle_id, pickup in confirmed.exclude(vehicle=None).values_list("vehicle_id", "pickup_at"):
            busy.setdefault(vehicle_id, []).append(pickup)
        seated = set(TransferSeat.objects.filter(run__in=confirmed).values_list("participant_id", flat=True))
        travellers = [t for t in travellers_needing_transfer(conference, direction=direction)
                      if t.participant_id not in seated]
        groups = group_travellers(travellers, window=window, capacity=vehicles[-1].capacity, direction=direction)
        runs = []
        for group in groups:
            pickup = _pickup(group, direction)
            vehicle = next((v for v in vehicles if v.capacity >= len(group) and all(
                abs(pickup - other) >= datetime.timedelta(hours=2) for other in busy.get(v.pk, []))), None)
            if vehicle:
                busy.setdefault(vehicle.pk, []).append(pickup)
            runs.append(TransferRun(conference=conference, direction=direction, airport=group[0].airport,
                                    hotel=group[0].hotel, pickup_at=pickup, vehicle=vehicle))
        TransferRun.objects.bulk_create(runs)
        TransferSeat.objects.bulk_create([
            TransferSeat(run=run, participant_id=person.participant_id, direction=direction, flight=person.flight,
                         lands_at=person.at)
            for run, group in zip(runs, groups, strict=True) for person in group
        ])
        audit_record(actor=actor, action="transfer.propose", target=conference, conference=conference,
                     changes={"direction": direction, "runs": len(runs), "people": len(travellers)})
    return runs


def transfer_run_confirm(run: TransferRun, *, actor, vehicle: Vehicle | None = None) -> TransferRun:
    """An organizer keeps a proposed run (a new proposal no longer replaces it), with another vehicle if given."""
    with transaction.atomic():
        run = TransferRun.objects.select_for_update().get(pk=run.pk)
        if vehicle is not None:
            if vehicle.conference_id != run.conference_id:
                raise AccordError(_("This vehicle belongs to another conference."))
            if run.seats.count() > vehicle.capacity:
                raise AccordError(_("%(vehicle)s seats %(capacity)s: this run has more people.") % {
                    "vehicle": vehicle.name, "capacity": vehicle.capacity})
            run.vehicle = vehicle
        run.status = RunStatus.CONFIRMED
        run.save(update_fields=["vehicle", "status"])
        audit_record(actor=actor, action="transfer.confirm", target=run, conference=run.conference,
                     changes={"vehicle": str(run.vehicle or "")})
    return run


def transfer_seat_mark(seat: TransferSeat, *, actor, state: str) -> TransferSeat:
    """Airport staff mark a person picked up or no-show (or back to expected)."""
    if state not in SeatState.values:
        raise AccordError(_("Unknown state."))
    with transaction.atomic():
        seat = TransferSeat.objects.select_for_update().get(pk=seat.pk)
        if seat.state != state:
            seat.state = state
            seat.marked_at = timezone.now() if state != SeatState.PLANNED else None
            seat.marked_by = actor if state != SeatState.PLANNED else None
            seat.save(update_fields=["state", "marked_at", "marked_by"])
    return seat


def _capacity_left(run: TransferRun) -> int:
    if run.vehicle is None:
        return 10**6
    return run.vehicle.capacity - run.seats.count()


def transfer_seat_move(seat: TransferSeat, run: TransferRun, *, actor) -> TransferSeat:
    """Move one person to another run of the same airport and direction with a free seat."""
    with transaction.atomic():
        run = TransferRun.objects.select_for_update(of=("self",)).select_related("vehicle").get(pk=run.pk)
        seat = TransferSeat.objects.select_for_update().select_related("run").get(pk=seat.pk)
        if (run.conference_id, run.direction, run.airport) != (
                seat.run.conference_id, seat.run.direction, seat.run.airport):
            raise AccordError(_("Move people only to a run from the same airport, the same way."))
        if _capacity_left(run) <= 0:
            raise AccordError(_("This run is full."))
        seat.run = run
        seat.save(update_fields=["run"])
        audit_record(actor=actor, action="transfer.move", target=seat.participant, conference=run.conference,
                     changes={"run": run.pk})
    return seat


def flight_delay(conference: Conference, *, actor, flight_number: str, day: datetime.date,
                 arrives_local: datetime.datetime) -> int:
    """A delayed flight: the new local arrival time (at its arrival airport) for every leg of ``flight_number``
    landing on ``day`` (UTC date of the old arrival), and its people move from their run to the first later run
    from that airport with room (pickup at least ``PICKUP_AFTER_LANDING`` after the new landing), else to a new
    proposed run without vehicle. Returns how many people moved."""
    number = re.sub(r"\s+", "", flight_number.upper())
    with transaction.atomic():
        legs = list(ItineraryLeg.objects.select_for_update().filter(
            itinerary__participant__conference=conference, flight_number=number, arrives_at__date=day))
        if not legs:
            raise AccordError(_("No flight %(number)s lands that day.") % {"number": number})
        place = airport(legs[0].to_airport)
        try:
            new_arrival = local_to_utc(arrives_local, place.zone)
        except LocalTimeError as exc:
            raise AccordError(str(exc)) from exc
        for leg in legs:
            if new_arrival <= leg.departs_at:
                raise AccordError(_("The arrival is before the departure."))
            leg.arrives_at = new_arrival
        ItineraryLeg.objects.bulk_update(legs, ["arrives_at"])
        participant_ids = {leg.itinerary.participant_id for leg in
                           ItineraryLeg.objects.filter(pk__in=[leg.pk for leg in legs]).select_related("itinerary")}
        seats = list(TransferSeat.objects.select_for_update().select_related("run").filter(
            participant_id__in=participant_ids, direction=LegDirection.INBOUND, flight=number,
            state=SeatState.PLANNED))
        moved = 0
        ready = new_arrival + PICKUP_AFTER_LANDING
        for seat in seats:
            seat.lands_at = new_arrival
            if seat.run.pickup_at >= ready:
                seat.save(update_fields=["lands_at"])
                continue
            later = (TransferRun.objects.select_related("vehicle")
                     .filter(conference=conference, direction=LegDirection.INBOUND, airport=seat.run.airport,
                             hotel=seat.run.hotel, pickup_at__gte=ready).order_by("pickup_at", "pk"))
            target = next((run for run in later if _capacity_left(run) > 0), None)
            if target is None:
                target = TransferRun.objects.create(conference=conference, direction=LegDirection.INBOUND,
                                                    airport=seat.run.airport, hotel=seat.run.hotel, pickup_at=ready)
            seat.run = target
            seat.save(update_fields=["run", "lands_at"])
            moved += 1
        audit_record(actor=actor, action="flight.delay", target=conference, conference=conference,
                     changes={"flight": number, "arrives_at": new_arrival.isoformat(), "moved": moved})
    return moved


def transfer_needed(participant: Participant) -> bool:
    return TravelPlan.objects.filter(participant=participant, transfer_needed=True).exists()


# The stored travel PDFs (the manifests, the driver sheets) ---------------------------------------------------

#: How long a queued PDF is reused by an identical request before it counts as stalled (its worker died).
PDF_QUEUED_REUSE_WINDOW = datetime.timedelta(minutes=15)
PDF_LANGUAGES = ("ar", "fr", "en")


@dataclass
class TravelPdfAnswer:
    """The stored PDF for the data of now (rendered, or queued for the task) and the people it prints."""

    pdf: TravelPdf
    reused: bool
    people: list[Participant]


def _pdf_source(conference: Conference, kind: str, run_id: int | None, language: str):
    """(what the PDF prints as plain values, the people it prints, the object the renderer takes) or None when
    the run is gone."""
    from .rendering_travel import driver_sheet_printed, manifest_printed
    from .selectors_travel import manifest, run_with_seats

    if kind == TravelPdfKind.DRIVER_SHEET:
        run = run_with_seats(conference, run_id)
        if run is None:
            return None
        return driver_sheet_printed(run, language=language), [seat.participant for seat in run.seats.all()], run
    result = manifest(conference, direction=kind)
    people = [line.participant for day in result.days for hour in day.hours for group in hour.airports
              for flight in group.flights for line in flight.lines] + list(result.without_flight)
    return manifest_printed(conference, result, language=language), people, result


def _pdf_fingerprint(printed: dict, *, kind: str, run_id: int | None) -> str:
    from .rendering_travel import TEMPLATE_VERSION

    payload = {"kind": kind, "run": run_id, "printed": printed, "v": TEMPLATE_VERSION}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def travel_pdf_request(conference: Conference, *, kind: str, language: str, actor,
                       run: TransferRun | None = None) -> TravelPdfAnswer:
    """The stored manifest (``kind`` its direction) or driver sheet of ``run`` in ``language`` for the data of
    now: a rendered (or recently queued) file that prints the same is reused; otherwise a new one is recorded and
    queued for the task (``tasks_travel.render_travel_pdf_task``, on commit), with an audit entry."""
    from .tasks_travel import render_travel_pdf_task

    if kind not in TravelPdfKind.values:
        raise AccordError(_("Unknown document."))
    if language not in PDF_LANGUAGES:
        raise AccordError(_("Choose one of the working languages."))
    if (kind == TravelPdfKind.DRIVER_SHEET) != (run is not None) or (run and run.conference_id != conference.pk):
        raise AccordError(_("A driver sheet is printed for one run of this conference."))
    run_id = run.pk if run else None
    source = _pdf_source(conference, kind, run_id, language)
    if source is None:
        raise AccordError(_("This run no longer exists."))
    printed, people, _renderable = source
    fingerprint = _pdf_fingerprint(printed, kind=kind, run_id=run_id)
    existing = (TravelPdf.objects
                .filter(Q(status=TravelPdfStatus.DONE)
                        | Q(status=TravelPdfStatus.QUEUED, created_at__gte=timezone.now() - PDF_QUEUED_REUSE_WINDOW),
                        conference=conference, kind=kind, run_id=run_id, language=language, fingerprint=fingerprint)
                .order_by("-created_at").first())
    if existing is not None:
        return TravelPdfAnswer(existing, True, people)
    with transaction.atomic():
        pdf = TravelPdf.objects.create(conference=conference, kind=kind, run_id=run_id, language=language,
                                       fingerprint=fingerprint,
                                       requested_by=actor if getattr(actor, "pk", None) else None)
        audit_record(actor=actor, action="travel_pdf.request", target=pdf, conference=conference,
                     changes={"kind": kind, "run": run_id, "language": language})
        render_travel_pdf_task.delay_on_commit(pdf_id=pdf.pk)
    return TravelPdfAnswer(pdf, False, people)


def travel_pdf_render(pdf: TravelPdf) -> TravelPdf:
    """Render and store ``pdf`` (queued): the data is read again, so the file shows the data of now and its
    fingerprint is updated to match it; the older files of the same document and language are deleted.
    Idempotent: a rendered PDF is left alone; a failed render is marked failed with its error."""
    from .rendering_travel import render_driver_sheet, render_manifest

    with transaction.atomic():
        locked = TravelPdf.objects.select_for_update().select_related("conference").get(pk=pdf.pk)
        if locked.status == TravelPdfStatus.DONE:
            return locked
        conference = locked.conference
        source = _pdf_source(conference, locked.kind, locked.run_id, locked.language)
        try:
            if source is None:
                raise AccordError(_("This run no longer exists."))
            printed, _people, renderable = source
            now = timezone.now()
            if locked.kind == TravelPdfKind.DRIVER_SHEET:
                content = render_driver_sheet(renderable, language=locked.language)
            else:
                content = render_manifest(conference, renderable, language=locked.language, printed_at=now)
        except Exception as exc:  # a broken render is recorded on the row, not lost in the worker's log
            locked.status = TravelPdfStatus.FAILED
            locked.error = str(exc)[:2000]
            locked.save(update_fields=["status", "error"])
            return locked
        locked.fingerprint = _pdf_fingerprint(printed, kind=locked.kind, run_id=locked.run_id)
        stem = "driver-sheet-" + str(locked.run_id) if locked.run_id else f"manifest-{locked.kind}"
        locked.file.save(f"{conference.slug}-{stem}-{locked.language}-{locked.pk}.pdf", ContentFile(content),
                         save=False)
        locked.status = TravelPdfStatus.DONE
        locked.error = ""
        locked.rendered_at = now
        locked.save(update_fields=["fingerprint", "file", "status", "error", "rendered_at"])
        older = TravelPdf.objects.filter(conference=conference, kind=locked.kind, run_id=locked.run_id,
                                         language=locked.language, created_at__lte=locked.created_at).exclude(
            pk=locked.pk).exclude(status=TravelPdfStatus.QUEUED)
        for old in older:
            if old.file:
                old.file.delete(save=False)
        older.delete()
    return locked


def travel_pdf_read_record(answer: TravelPdfAnswer, *, reader) -> int:
    """A stored manifest or driver sheet was downloaded: a read of travel data for each person it prints (one
    bulk write to the read log)."""
    return record_read(answer.people, reader=reader, kind=RetentionKind.TRAVEL_HOTEL, what="travel",
                       where=ReadWhere.DOWNLOAD)
