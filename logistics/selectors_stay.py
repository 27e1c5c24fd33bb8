"""Reads of the stay: the rooming list of a hotel (the lines as they are now, and each line's state against the
last list sent), rooms taken per night against each block, and the roommate requests that count (mutual ones).

Each is a fixed number of queries whatever the number of participants (the bench and the tests count them)."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from privacy.enums import ReadWhere, RetentionKind

from .models import Hotel, RoomBlock, RoomBooking, RoomingListSend, RoommateRequest


class LineState:
    NEW = "new"
    AMENDED = "amended"
    CANCELLED = "cancelled"
    UNCHANGED = "unchanged"

    ORDER = (NEW, AMENDED, CANCELLED, UNCHANGED)


#: What a line tells the hotel (and what "amended" compares): nothing more than the hotel needs.
LINE_FIELDS = ("guest", "roommate", "room_type", "check_in", "check_out", "nights", "notes")


@dataclass
class RoomingLine:
    booking_id: int
    values: dict
    state: str = LineState.UNCHANGED
    changed: list[str] = field(default_factory=list)


def _name(participant) -> str:
    if participant is None:
        return ""
    return participant.full_name or participant.printed_name


def booking_values(booking: RoomBooking) -> dict:
    """The line of one booking as the hotel reads it (JSON-ready: dates as ISO text)."""
    return {
        "guest": _name(booking.guest),
        "roommate": _name(booking.roommate),
        "room_type": booking.room_type,
        "check_in": booking.check_in.isoformat(),
        "check_out": booking.check_out.isoformat(),
        "nights": (booking.check_out - booking.check_in).days,
        "notes": booking.notes,
    }


def current_lines(hotel: Hotel) -> dict[str, dict]:
    """{booking id (text, as JSON keys are): line values} of the hotel's bookings. One query."""
    bookings = (
        RoomBooking.objects.filter(hotel=hotel)
        .select_related("guest", "roommate")
        .only("id", "room_type", "check_in", "check_out", "notes", "guest__first_name", "guest__last_name",
              "guest__badge_name", "guest__email", "roommate__first_name", "roommate__last_name",
              "roommate__badge_name", "roommate__email")
    )
    return {str(booking.pk): booking_values(booking) for booking in bookings}


def last_send(hotel: Hotel) -> RoomingListSend | None:
    return RoomingListSend.objects.filter(hotel=hotel).order_by("-created_at", "-id").first()


def rooming_list(hotel: Hotel, *, previous: dict | None = None, current: dict | None = None) -> list[RoomingLine]:
    """The hotel's lines, each with its state since the last list sent (``previous``: that list's lines; read
    when not given): new (not in it), amended (a field differs: ``changed`` names them), cancelled (in it, no
    longer booked), unchanged. Ordered by state (new, amended, cancelled, unchanged), then check-in and guest.
    Two queries."""
    if previous is None:
        sent = last_send(hotel)
        previous = sent.lines if sent else {}
    if current is None:
        current = current_lines(hotel)
    lines = []
    for key, values in current.items():
        before = previous.get(key)
        if before is None:
            lines.append(RoomingLine(int(key), values, LineState.NEW))
            continue
        changed = [name for name in LINE_FIELDS if before.get(name) != values.get(name)]
        lines.append(RoomingLine(int(key), values, LineState.AMENDED if changed else LineState.UNCHANGED, changed))
    for key, values in previous.items():
        if key not in current:
            lines.append(RoomingLine(int(key), values, LineState.CANCELLED))
    lines.sort(key=lambda line: (LineState.ORDER.index(line.state), line.values["check_in"],
                                 line.values["guest"].casefold(), line.booking_id))
    return lines


def rooming_counts(lines: list[RoomingLine]) -> dict[str, int]:
    counts = Counter(line.state for line in lines)
    return {state: counts.get(state, 0) for state in LineState.ORDER}


def has_changes(lines: list[RoomingLine]) -> bool:
    return any(line.state != LineState.UNCHANGED for line in lines)


def rooms_per_night(conference) -> list[dict]:
    """For each block of the conference's hotels: the night, hotel, room type, quota and rooms taken. Two
    queries."""
    blocks = list(RoomBlock.objects.filter(hotel__conference=conference).select_related("hotel")
                  .order_by("night", "hotel__name", "room_type"))
    taken: dict[tuple[int, str, datetime.date], int] = defaultdict(int)
    bookings = RoomBooking.objects.filter(hotel__conference=conference).values_list(
        "hotel_id", "room_type", "check_in", "check_out")
    for hotel_id, room_type, check_in, check_out in bookings:
        day = check_in
        while day < check_out:
            taken[(hotel_id, room_type, day)] += 1
            day += datetime.timedelta(days=1)
    return [
        {"night": block.night, "hotel": block.hotel.name, "room_type": block.room_type,
         "room_type_label": block.get_room_type_display(), "quota": block.quota,
         "taken": taken.get((block.hotel_id, block.room_type, block.night), 0)}
        for block in blocks
    ]


def mutual_roommate_pairs(conference) -> list[tuple[int, int]]:
    """The pairs (smaller id first) who each asked to share with the other: only those count. One query."""
    asked = dict(RoommateRequest.objects.filter(participant__conference=conference)
                 .values_list("participant_id", "requested_id"))
    return sorted({tuple(sorted((a, b))) for a, b in asked.items() if asked.get(b) == a})


def booked_participant_ids(conference) -> set[int]:
    rows = RoomBooking.objects.filter(hotel__conference=conference).values_list("guest_id", "roommate_id")
    return {pid for pair in rows for pid in pair if pid}


def bookings_of(participant_ids) -> dict[int, RoomBooking]:
    """{participant id: the booking they are in (as guest or roommate)}. One query."""
    ids = list(participant_ids)
    found = {}
    for booking in RoomBooking.objects.filter(Q(guest_id__in=ids) | Q(roommate_id__in=ids)):
        found[booking.guest_id] = booking
        if booking.roommate_id:
            found[booking.roommate_id] = booking
    return found


def delegation_language(delegation, members) -> str:
    """The language of a delegation's papers: its head's preferred language, else the one most of ``members``
    prefer, else English (a delegation has no language field of its own)."""
    from conference.languages import codes

    known = set(codes())
    head = next((member for member in members if member.pk == delegation.head_id), None)
    if head is not None and head.preferred_language in known:
        return head.preferred_language
    counted = Counter(member.preferred_language for member in members if member.preferred_language in known)
    return counted.most_common(1)[0][0] if counted else "en"


def allowance_lines(conference):
    """The allowance lines of the conference with their participant and delegation, ordered by delegation and
    name. One query."""
    from .models import Allowance

    return list(
        Allowance.objects.filter(participant__conference=conference)
        .select_related("participant__delegation")
        .order_by("participant__delegation__code", "participant__last_name", "participant__first_name", "pk")
    )


# The logistics team's stay pages ---------------------------------------------------------------------------
# Each fetches what its page shows and writes the read log of the participants it names in one bulk insert
# (``privacy.services.reads.record_read``): travel and hotel data, and bank details as sensitive data.


def _record(people, *, reader, kind: str, what: str, where: str) -> None:
    from privacy.services.reads import record_read

    unique = list({person.pk: person for person in people if person is not None}.values())
    if unique:
        record_read(unique, reader=reader, kind=kind, what=what, where=where)


def hotels_overview(conference) -> list[dict]:
    """Each hotel of the conference with its contacts, and per night its blocks by room type: quota, rooms taken,
    whether it is full. Three queries, whatever the number of hotels, blocks or bookings; names nobody."""
    from .models.stay import RoomType

    hotels = list(Hotel.objects.filter(conference=conference).order_by("name"))
    nights: dict[str, dict] = defaultdict(dict)
    for row in rooms_per_night(conference):
        nights[row["hotel"]].setdefault(row["night"], {})[row["room_type"]] = row
    overview = []
    for hotel in hotels:
        rows = [{"night": night, "cells": [cells.get(room_type) for room_type in RoomType.values]}
                for night, cells in sorted(nights[hotel.name].items())]
        overview.append({"hotel": hotel, "nights": rows})
    return overview


def hotel_for(conference, hotel_id: int) -> Hotel | None:
    """The conference's hotel ``hotel_id`` (None for a missing one or another conference's)."""
    return Hotel.objects.filter(conference=conference, pk=hotel_id).select_related("conference").first()


def booking_page(hotel: Hotel, *, reader) -> dict:
    """The bookings page of ``hotel``: its bookings (guest, roommate and their delegations), the conference's
    sharing requests with whether each is mutual, and the approved participants one may book. The guests,
    roommates and people with a request go to the read log (travel and hotel). Four queries."""
    from registration.models import Participant

    conference = hotel.conference
    bookings = list(
        RoomBooking.objects.filter(hotel=hotel).select_related("guest__delegation", "roommate__delegation")
        .order_by("check_in", "guest__last_name", "guest__first_name", "pk"))
    requests = list(RoommateRequest.objects.filter(participant__conference=conference)
                    .select_related("participant", "requested")
                    .order_by("participant__last_name", "participant__first_name", "pk"))
    asked = {request.participant_id: request.requested_id for request in requests}
    shown_requests = [{"request": request, "mutual": asked.get(request.requested_id) == request.participant_id}
                      for request in requests]
    candidates = list(Participant.objects.filter(conference=conference, status="approved")
                      .select_related("delegation").order_by("last_name", "first_name", "pk"))
    people = [b.guest for b in bookings] + [b.roommate for b in bookings]
    people += [r.participant for r in requests] + [r.requested for r in requests]
    _record(people, reader=reader, kind=RetentionKind.TRAVEL_HOTEL, what="travel", where=ReadWhere.ADMIN)
    return {"bookings": bookings, "requests": shown_requests, "candidates": candidates}


def booking_for(hotel: Hotel, booking_id) -> RoomBooking | None:
    """The booking ``booking_id`` of ``hotel`` (None for a missing one or another hotel's)."""
    try:
        booking_id = int(booking_id)
    except (TypeError, ValueError):
        return None
    return (RoomBooking.objects.filter(hotel=hotel, pk=booking_id)
            .select_related("hotel__conference", "guest", "roommate").first())


def rooming_page(hotel: Hotel, *, reader) -> dict:
    """The rooming-list page of ``hotel``: every list sent (newest first, with who sent it) and the lines as the
    next list would send them (each with its state since the last one). The guests of the current bookings go to
    the read log (travel and hotel). Three queries and the read log's insert."""
    sends = list(RoomingListSend.objects.filter(hotel=hotel).select_related("actor").order_by("-created_at", "-id"))
    bookings = list(RoomBooking.objects.filter(hotel=hotel).select_related("guest", "roommate"))
    current = {str(booking.pk): booking_values(booking) for booking in bookings}
    lines = rooming_list(hotel, previous=sends[0].lines if sends else {}, current=current)
    _record([b.guest for b in bookings] + [b.roommate for b in bookings], reader=reader,
            kind=RetentionKind.TRAVEL_HOTEL, what="travel", where=ReadWhere.ADMIN)
    return {"sends": sends, "lines": lines, "counts": rooming_counts(lines)}


ROOMING_FORMATS = {"xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                   "csv": ("csv", "text/csv; charset=utf-8"), "pdf": ("pdf", "application/pdf")}


def rooming_list_file(hotel: Hotel, send_id, file_format: str, *, reader):
    """The stored file (XLSX, CSV or PDF) of the rooming list ``send_id`` of ``hotel``, or None (missing, another
    hotel's, unknown format). The guests of its lines whose booking still exists go to the read log (a cancelled
    booking's guest is no longer known by the list). Two queries and the read log's insert."""
    if file_format not in ROOMING_FORMATS:
        return None
    try:
        send = RoomingListSend.objects.filter(hotel=hotel, pk=int(send_id)).first()
    except (TypeError, ValueError):
        return None
    if send is None:
        return None
    stored = getattr(send, ROOMING_FORMATS[file_format][0])
    if not stored:
        return None
    ids = [int(key) for key in send.lines]
    bookings = RoomBooking.objects.filter(pk__in=ids).select_related("guest", "roommate")
    _record([b.guest for b in bookings] + [b.roommate for b in bookings], reader=reader,
            kind=RetentionKind.TRAVEL_HOTEL, what="travel", where=ReadWhere.DOWNLOAD)
    return stored


def allowances_page(conference, *, reader, show_bank: bool) -> dict:
    """The DSA rates and every allowance line, each with whether bank details are on file and, when
    ``show_bank`` (the finance officer), the details themselves. The lines' participants go to the read log
    (travel and hotel), and those whose bank details are shown once more as sensitive. Three queries and one
    insert per kind."""
    from .models import BankDetails, DsaRate

    rates = list(DsaRate.objects.filter(conference=conference).order_by("valid_from"))
    lines = allowance_lines(conference)
    bank = {row.participant_id: row for row in BankDetails.objects.filter(participant__conference=conference)}
    rows = [{"line": line, "bank": bank.get(line.participant_id)} for line in lines]
    _record([line.participant for line in lines], reader=reader, kind=RetentionKind.TRAVEL_HOTEL, what="allowance",
            where=ReadWhere.ADMIN)
    if show_bank:
        _record([line.participant for line in lines if line.participant_id in bank], reader=reader,
                kind=RetentionKind.SENSITIVE, what="bank_details", where=ReadWhere.ADMIN)
    return {"rates": rates, "rows": rows}


def allowance_for(conference, allowance_id):
    """The allowance line ``allowance_id`` of the conference (None for a missing one or another conference's)."""
    from .models import Allowance

    try:
        allowance_id = int(allowance_id)
    except (TypeError, ValueError):
        return None
    return (Allowance.objects.filter(participant__conference=conference, pk=allowance_id)
            .select_related("participant__conference", "participant__delegation").first())


#: The stored finance copy of the allowances (bank details masked; the finance officer's copy with them is built at
#: each download by :func:`finance_lines_with_bank`, never stored).
FINANCE_FILES = {"finance": "allowances.xlsx"}


def payment_sheet_files(conference) -> dict:
    """The payment sheets stored by the last render (``services_allowances.payment_sheets_render``): per
    delegation that has one, its stored name and when it was written; and the finance copies'. One query (the
    delegations); names nobody."""
    from django.core.files.storage import default_storage

    from conference.models import Delegation

    folder = f"payment-sheets/{conference.pk}"
    try:
        _folders, names = default_storage.listdir(folder)
    except FileNotFoundError:
        names = []
    codes = {name[:-4] for name in names if name.endswith(".pdf")}
    sheets = [{"delegation": delegation, "name": f"{delegation.code}.pdf",
               "written": default_storage.get_modified_time(f"{folder}/{delegation.code}.pdf")}
              for delegation in Delegation.objects.filter(conference=conference, code__in=codes).order_by("code")]
    finance = default_storage.get_modified_time(f"{folder}/{FINANCE_FILES['finance']}") if (
        FINANCE_FILES["finance"] in names) else None
    return {"sheets": sheets, "finance_written": finance}


def payment_sheet_file(conference, name: str, *, reader, show_bank: bool) -> str | None:
    """The stored name of the payment sheet ``name`` ("<delegation code>.pdf", or "allowances.xlsx" for finance:
    the copy with bank details when ``show_bank``, else the masked one), or None (no such delegation in the
    conference, not rendered yet). The participants whose lines it holds go to the read log (travel and hotel),
    and for the finance officer's copy those with bank details once more as sensitive."""
    from django.core.files.storage import default_storage

    from .models import Allowance
    folder = f"payment-sheets/{conference.pk}"
    lines = Allowance.objects.filter(participant__conference=conference).select_related("participant")
    if name == FINANCE_FILES["finance"]:
        stored = f"{folder}/{FINANCE_FILES['finance']}"
        what = "allowance"
    elif name.endswith(".pdf") and conference.delegations.filter(code=name[:-4]).exists():
        stored = f"{folder}/{name}"
        lines = lines.filter(participant__delegation__code=name[:-4])
        what = "payment_sheet"
    else:
        return None
    if not default_storage.exists(stored):
        return None
    people = [line.participant for line in lines]
    _record(people, reader=reader, kind=RetentionKind.TRAVEL_HOTEL, what=what, where=ReadWhere.DOWNLOAD)
    return stored


def finance_lines_with_bank(conference, *, reader) -> tuple[list, dict]:
    """The finance officer's copy of the allowances: the lines (:func:`allowance_lines`) and each participant's bank
    details unmasked ({participant id: {field: value}}), read from the rows at each download (never stored). Every
    participant listed goes to the read log (travel and hotel), and those with bank details once more as
    sensitive. The caller checks ``privacy.view_bank_details``. Two queries and the read-log inserts."""
    from .models import BANK_FIELDS, BankDetails

    lines = allowance_lines(conference)
    bank = {row.participant_id: {name: getattr(row, name) for name in BANK_FIELDS}
            for row in BankDetails.objects.filter(participant__conference=conference)}
    people = [line.participant for line in lines]
    _record(people, reader=reader, kind=RetentionKind.TRAVEL_HOTEL, what="allowance", where=ReadWhere.DOWNLOAD)
    _record([p for p in people if p.pk in bank], reader=reader, kind=RetentionKind.SENSITIVE, what="bank_details",
            where=ReadWhere.DOWNLOAD)
    return lines, bank


def bank_details_on_file(participant):
    """When ``participant``'s bank details were last saved, or None: the values themselves are not read."""
    from .models import BankDetails

    return BankDetails.objects.filter(participant=participant).values_list("updated_at", flat=True).first()
