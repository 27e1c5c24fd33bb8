"""Reads of the stay: the rooming list of a hotel (the lines as they are now, and each line's state against the
last list sent), rooms taken per night against each block, and the roommate requests that count (mutual ones).

Each is a fixed number of queries whatever the number of participants (the bench and the tests count them)."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

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
