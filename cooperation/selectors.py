"""Reads of cooperation across relations: the directory, the meetings a user may see, free slots."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.http import Http404
from django_countries import countries as django_countries

from conference.models import Conference
from registration.enums import ParticipantStatus
from registration.models import Participant
from sessions_app.enums import SessionKind
from sessions_app.models import Session, SessionRole, SessionSignup

from .enums import OPEN_STATUSES, BilateralStatus, BookingKind
from .models import BilateralMeeting, Booking, DirectoryEntry, MeetingRoom, MeetingSlot
from .permissions import meeting_visibility

#: Sessions during which no bilateral meeting is offered.
PLENARY_KINDS = (SessionKind.OPENING, SessionKind.PLENARY, SessionKind.CLOSING)


def approved_participant(user, conference: Conference | None) -> Participant | None:
    """The user's approved participation in ``conference``, or None (the gate of every participant page)."""
    if conference is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        Participant.objects.filter(conference=conference, user=user, status=ParticipantStatus.APPROVED)
        .select_related("delegation", "conference")
        .first()
    )


# --- The directory ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryCard:
    """What the directory shows of one entry: the name and delegation, and only the details shared."""

    participant_id: int
    public_id: str
    name: str
    name_ar: str
    delegation: str
    delegation_id: int | None
    position: str = ""
    organization: str = ""
    languages: tuple[str, ...] = ()
    expertise: tuple[str, ...] = ()
    email: str = ""
    phone: str = ""


def directory_card(entry: DirectoryEntry, language: str | None = None) -> DirectoryCard:
    person = entry.participant
    delegation = person.delegation
    return DirectoryCard(
        participant_id=person.pk,
        public_id=person.public_id,
        name=person.printed_name,
        name_ar=person.badge_name_ar,
        delegation=delegation.display_name(language) if delegation else "",
        delegation_id=delegation.pk if delegation else None,
        position=person.position if entry.share_position else "",
        organization=person.organization if entry.share_organization else "",
        languages=tuple(person.languages_spoken or ()) if entry.share_languages else (),
        expertise=tuple(entry.expertise or ()) if entry.share_expertise else (),
        email=person.email if entry.share_email else "",
        phone=person.phone if entry.share_phone else "",
    )


def _json_list_has(field_name: str, code: str) -> Q:
    """``code`` is one of the strings of a JSON list, on PostgreSQL and SQLite alike (the list as text holds it
    in double quotes; codes are plain ASCII words)."""
    return Q(**{f"{field_name}__icontains": f'"{code}"'})


def listed_entries(conference: Conference):
    """The entries shown to the conference's participants: listed by their approved participant, nothing else."""
    return DirectoryEntry.objects.filter(
        listed=True, participant__conference=conference, participant__status=ParticipantStatus.APPROVED
    )


def directory_entries(
    conference: Conference,
    *,
    query: str = "",
    delegation_id: int | None = None,
    expertise: str = "",
    language: str = "",
    limit: int = 200,
) -> list[DirectoryEntry]:
    """The listed entries matching the search, in one query whatever their number.

    The search and filters only look at what each entry shares: a hidden position or language never makes an
    entry match (it would reveal it).
    """
    entries = listed_entries(conference).select_related("participant__delegation")
    if delegation_id:
        entries = entries.filter(participant__delegation_id=delegation_id)
    if expertise:
        entries = entries.filter(Q(share_expertise=True) & _json_list_has("expertise", expertise))
    if language:
        entries = entries.filter(Q(share_languages=True) & _json_list_has("participant__languages_spoken", language))
    for word in query.split()[:5]:
        # Country names in the page's language (django-countries translates them): "Égypte", "مصر", "Egypt".
        countries = [code for code, name in django_countries if word.casefold() in str(name).casefold()]
        entries = entries.filter(
            Q(participant__delegation__country__in=countries)
            | Q(participant__first_name__icontains=word)
            | Q(participant__last_name__icontains=word)
            | Q(participant__badge_name__icontains=word)
            | Q(participant__badge_name_ar__icontains=word)
            | Q(share_position=True, participant__position__icontains=word)
            | Q(share_organization=True, participant__organization__icontains=word)
            | Q(participant__delegation__code__iexact=word)
            | Q(participant__delegation__organization__icontains=word)
            | Q(participant__delegation__organization_fr__icontains=word)
            | Q(participant__delegation__organization_ar__icontains=word)
        )
    return list(entries.order_by("participant__last_name", "participant__first_name", "pk")[:limit])


def directory_entry_of(participant: Participant) -> DirectoryEntry | None:
    return DirectoryEntry.objects.filter(participant=participant).first()


# --- Bilateral meetings -----------------------------------------------------------------------------


def meetings_queryset(user, conference: Conference):
    """The meetings of ``conference`` that ``user`` may see, with what their lists show."""
    meetings = BilateralMeeting.objects.filter(conference=conference)
    visible = meeting_visibility(user, conference)
    if visible is not None:
        meetings = meetings.filter(visible).distinct()
    return meetings.select_related("requesting", "invited", "room", "invited_participant")


def meeting_for(user, conference: Conference | None, pk: int) -> BilateralMeeting:
    """One meeting ``user`` may see, with its attendees and proposals; 404 when missing or not theirs alike."""
    if conference is None:
        raise Http404
    meeting = (
        meetings_queryset(user, conference)
        .prefetch_related(
            Prefetch("attendees", queryset=_attendees()),
            Prefetch("proposals", queryset=_proposals()),
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def _attendees():
    from .models import MeetingAttendee

    return MeetingAttendee.objects.select_related("participant__delegation").order_by(
        "participant__last_name", "participant__first_name"
    )


def _proposals():
    from .models import MeetingProposal

    return MeetingProposal.objects.select_related("slot", "proposed_by").order_by("round", "slot__starts_at")


def meeting_list(user, conference: Conference) -> list[BilateralMeeting]:
    return list(
        meetings_queryset(user, conference)
        .prefetch_related(Prefetch("attendees", queryset=_attendees()))
        .order_by("-created_at", "-pk")
    )


def participant_meetings(participant: Participant) -> list[BilateralMeeting]:
    """The accepted meetings a participant attends (their personal agenda and feed)."""
    return list(
        BilateralMeeting.objects.filter(
            status=BilateralStatus.ACCEPTED, attendees__participant=participant, starts_at__isnull=False
        )
        .select_related("requesting", "invited", "room")
        .order_by("starts_at", "pk")
    )


def grid_slots(conference: Conference) -> list[MeetingSlot]:
    return list(MeetingSlot.objects.filter(conference=conference).order_by("starts_at"))


def meeting_rooms(conference: Conference) -> list[MeetingRoom]:
    return list(MeetingRoom.objects.filter(conference=conference).select_related("room").order_by("room__order", "room__name"))


# --- Slot search ------------------------------------------------------------------------------------


@dataclass
class SlotChoice:
    slot: MeetingSlot
    rooms_free: int
    warnings: list[str] = field(default_factory=list)


def _overlaps(intervals: list[tuple[datetime.datetime, datetime.datetime]], start, end) -> bool:
    return any(s < end and e > start for s, e in intervals)


def busy_intervals(
    conference: Conference, *, delegation_ids, participant_ids, exclude_meeting_id: int | None = None
) -> dict[tuple[str, int], list[tuple[datetime.datetime, datetime.datetime]]]:
    """Booked time of the given delegations and members and of the conference's meeting rooms (one query on the
    bookings' (kind, resource) index: ids are the tables' own, so no join to the meetings is needed)."""
    room_ids = MeetingRoom.objects.filter(conference=conference).values("room_id")
    bookings = Booking.objects.filter(
        Q(kind=BookingKind.DELEGATION, resource_id__in=list(delegation_ids))
        | Q(kind=BookingKind.PARTICIPANT, resource_id__in=list(participant_ids))
        | Q(kind=BookingKind.ROOM, resource_id__in=room_ids)
    )
    if exclude_meeting_id:
        bookings = bookings.exclude(meeting_id=exclude_meeting_id)
    busy: dict[tuple[str, int], list] = defaultdict(list)
    for kind, resource, start, end in bookings.values_list("kind", "resource_id", "starts_at", "ends_at"):
        busy[(kind, resource)].append((start, end))
    return busy


def room_sessions(conference: Conference) -> dict[int, list[tuple[datetime.datetime, datetime.datetime]]]:
    busy: dict[int, list] = defaultdict(list)
    rooms = MeetingRoom.objects.filter(conference=conference).values("room_id")
    for room_id, start, end in Session.objects.filter(conference=conference, room_id__in=rooms).values_list(
        "room_id", "starts_at", "ends_at"
    ):
        busy[room_id].append((start, end))
    return busy


def member_sessions(participant_ids) -> dict[int, list[tuple[datetime.datetime, datetime.datetime, str]]]:
    """Sessions where the members have a role or a sign-up (clashes are warned about, not forbidden)."""
    found: dict[int, list] = defaultdict(list)
    ids = list(participant_ids)
    if not ids:
        return found
    for model in (SessionRole, SessionSignup):
        for pid, start, end, title in model.objects.filter(participant_id__in=ids).values_list(
            "participant_id", "session__starts_at", "session__ends_at", "session__title"
        ):
            found[pid].append((start, end, title))
    return found


def free_rooms(
    rooms: list[MeetingRoom], *, start, end, size: int, languages, busy, sessions_by_room
) -> list[MeetingRoom]:
    """The rooms free over [start, end) that hold ``size`` people and offer the language pair, smallest first."""
    needed = set(languages or ())
    fitting = []
    for meeting_room in rooms:
        room = meeting_room.room
        if room.capacity < size:
            continue
        if len(needed) > 1 and not needed <= set(room.interpretation_languages or ()):
            continue
        if _overlaps(busy.get((BookingKind.ROOM, room.pk), []), start, end):
            continue
        if _overlaps(sessions_by_room.get(room.pk, []), start, end):
            continue
        fitting.append(meeting_room)
    return sorted(fitting, key=lambda r: (r.room.capacity, r.room.order, r.room.pk))


def free_slots(
    conference: Conference,
    *,
    delegation_ids,
    participant_ids,
    languages=(),
    size: int | None = None,
    exclude_meeting_id: int | None = None,
    windows: dict[int, tuple[datetime.datetime | None, datetime.datetime | None]] | None = None,
) -> list[SlotChoice]:
    """The grid slots where both delegations and every member are free and a fitting room is free too.

    A fixed number of queries (slots, rooms, bookings, room sessions, members' sessions), then plain Python.
    ``windows`` maps a member's id to their presence (arrival, departure), read from logistics' travel data
    when not given; a slot when a member is not there is not offered.
    """
    participant_ids = list(participant_ids)
    size = size if size is not None else len(participant_ids)
    if windows is None:
        windows = presence_windows(conference, participant_ids)
    slots = grid_slots(conference)
    rooms = meeting_rooms(conference)
    busy = busy_intervals(
        conference, delegation_ids=delegation_ids, participant_ids=participant_ids, exclude_meeting_id=exclude_meeting_id
    )
    by_room = room_sessions(conference)
    members = member_sessions(participant_ids)
    choices = []
    for slot in slots:
        start, end = slot.starts_at, slot.ends_at
        if any(_overlaps(busy.get((BookingKind.DELEGATION, d), []), start, end) for d in delegation_ids):
            continue
        if any(_overlaps(busy.get((BookingKind.PARTICIPANT, p), []), start, end) for p in participant_ids):
            continue
        if windows and outside_presence(start, end, windows):
            continue
        rooms_free = free_rooms(rooms, start=start, end=end, size=size, languages=languages, busy=busy,
                                sessions_by_room=by_room)
        if not rooms_free:
            continue
        warnings = sorted({title for pid in participant_ids for s, e, title in members.get(pid, []) if s < end and e > start})
        choices.append(SlotChoice(slot=slot, rooms_free=len(rooms_free), warnings=warnings))
    return choices


def presence_windows(conference: Conference, participant_ids) -> dict:
    """When each member is at the venue, from logistics' travel data (members without it are not limited)."""
    from logistics.selectors import stay_windows

    ids = list(participant_ids)
    return stay_windows(conference, ids) if ids else {}


def outside_presence(slot_start, slot_end, windows: dict) -> bool:
    """Whether a member is not yet arrived or already gone during [slot_start, slot_end)."""
    return any((arrive and slot_start < arrive) or (leave and slot_end > leave) for arrive, leave in windows.values())


def open_meetings_count(conference: Conference) -> int:
    return BilateralMeeting.objects.filter(conference=conference, status__in=OPEN_STATUSES).count()


def agenda_items(participant: Participant, language: str):
    """The accepted meetings a participant attends, as items of their personal agenda and feed (filled into
    ``sessions_app.extensions`` by ``CooperationConfig.ready``). One query."""
    from django.urls import reverse
    from django.utils import translation
    from django.utils.translation import gettext as _

    from sessions_app.extensions import AgendaItem

    items = []
    with translation.override(language):
        for meeting in participant_meetings(participant):
            mine = meeting.requesting if meeting.requesting_id == participant.delegation_id else meeting.invited
            other = meeting.invited if mine.pk == meeting.requesting_id else meeting.requesting
            items.append(AgendaItem(
                uid=f"bilateral-{meeting.pk}",
                kind_label=_("Bilateral meeting"),
                title=_("Bilateral meeting with %(delegation)s") % {"delegation": other.display_name(language)},
                starts_at=meeting.starts_at,
                ends_at=meeting.ends_at,
                updated_at=meeting.decided_at or meeting.created_at,
                location=meeting.room.localized_name(language) if meeting.room else "",
                description=meeting.topic,
                url=reverse("cooperation:meeting", args=[meeting.pk]),
            ))
    return items


# --- Contacts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """What one holds of a contact: their name and delegation, and only what they share (directory settings)."""

    name: str
    delegation: str
    position: str
    organization: str
    email: str
    phone: str


def _contact(person: Participant, language: str | None) -> Contact:
    entry = getattr(person, "directory_entry", None)

    def shared(flag: str, value: str) -> str:
        return value if entry is not None and getattr(entry, flag) else ""

    return Contact(
        name=person.printed_name,
        delegation=person.delegation.display_name(language) if person.delegation else "",
        position=shared("share_position", person.position),
        organization=shared("share_organization", person.organization),
        email=shared("share_email", person.email),
        phone=shared("share_phone", person.phone),
    )


def my_contacts(participant: Participant, language: str | None = None) -> list[Contact]:
    """The people ``participant`` exchanged contacts with (confirmed both ways), with what each shares. One query."""
    from .enums import ContactStatus
    from .models import ContactExchange

    exchanges = ContactExchange.objects.filter(status=ContactStatus.CONFIRMED).filter(
        Q(requester=participant) | Q(recipient=participant)
    ).select_related("requester__delegation", "requester__directory_entry", "recipient__delegation",
                     "recipient__directory_entry")
    others = [e.recipient if e.requester_id == participant.pk else e.requester for e in exchanges]
    others = [p for p in others if p.status == ParticipantStatus.APPROVED]
    return sorted((_contact(p, language) for p in others), key=lambda c: c.name.lower())


def pending_contact_requests(participant: Participant):
    from .enums import ContactStatus
    from .models import ContactExchange

    return list(ContactExchange.objects.filter(recipient=participant, status=ContactStatus.PENDING)
                .select_related("requester__delegation"))


# --- The outcome report -----------------------------------------------------------------------------


@dataclass
class OutcomeReport:
    meetings_held: int
    by_status: list[tuple[str, int]]
    pairs: list[tuple[str, str, int]]
    follow_ups_by_kind: list[tuple[str, int]]
    follow_ups_by_status: list[tuple[str, int]]
    matrix: list[tuple[str, list[int]]]  # kind label, counts per status (in ``status_labels`` order)
    status_labels: list[str]
    follow_ups_total: int

    @property
    def largest(self) -> int:
        return max([n for _label, n in self.follow_ups_by_kind] + [n for _label, n in self.by_status] + [1])


def outcome_report(conference: Conference, language: str | None = None) -> OutcomeReport:
    """Meetings held, pairs of delegations, follow-ups by kind and status: a fixed number of queries."""
    from django.db.models import Count

    from .enums import FollowUpKind, FollowUpStatus
    from .models import FollowUp

    statuses = dict(
        BilateralMeeting.objects.filter(conference=conference).order_by().values_list("status")
        .annotate(n=Count("id")).values_list("status", "n")
    )
    accepted = (BilateralMeeting.objects.filter(conference=conference, status=BilateralStatus.ACCEPTED)
                .select_related("requesting", "invited"))
    pair_counts: dict[tuple[str, str], int] = defaultdict(int)
    for meeting in accepted:
        names = sorted([meeting.requesting.display_name(language), meeting.invited.display_name(language)])
        pair_counts[(names[0], names[1])] += 1
    cells = defaultdict(int)
    for kind, status, n in (FollowUp.objects.filter(meeting__conference=conference).order_by()
                            .values_list("kind", "status").annotate(n=Count("id")).values_list("kind", "status", "n")):
        cells[(kind, status)] = n
    kinds, stati = FollowUpKind.choices, FollowUpStatus.choices
    return OutcomeReport(
        meetings_held=statuses.get(BilateralStatus.ACCEPTED, 0),
        by_status=[(str(label), statuses.get(code, 0)) for code, label in BilateralStatus.choices],
        pairs=sorted(((a, b, n) for (a, b), n in pair_counts.items()), key=lambda row: (-row[2], row[0], row[1])),
        follow_ups_by_kind=[(str(label), sum(cells[(code, s)] for s, _l in stati)) for code, label in kinds],
        follow_ups_by_status=[(str(label), sum(cells[(k, code)] for k, _l in kinds)) for code, label in stati],
        matrix=[(str(label), [cells[(code, s)] for s, _l in stati]) for code, label in kinds],
        status_labels=[str(label) for _code, label in stati],
        follow_ups_total=sum(cells.values()),
    )
