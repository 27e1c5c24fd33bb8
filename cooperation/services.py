"""Writes of cooperation: the directory entry, bilateral meetings (request, counter-proposal, acceptance, refusal,
withdrawal, expiry, organizers' scheduling), the meeting grid. Each checks first and changes nothing on a refusal
(``AccordError``), writes in one transaction with its audit entry, and queues its e-mails after commit."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conference.enums import LanguageCode
from conference.models import Conference, Delegation
from conference.services import AccordError, audit_record
from registration.enums import ParticipantStatus
from registration.models import Participant

from . import selectors
from .enums import OPEN_STATUSES, BilateralStatus, BookingKind, ContactStatus, Expertise, Side
from .models import (
    BilateralMeeting,
    Booking,
    DirectoryEntry,
    MeetingAttendee,
    MeetingProposal,
    MeetingSlot,
)
from .permissions import delegations_acted_for, is_organizer
from .tasks import send_meeting_email_task

SHARE_FIELDS = ("share_position", "share_organization", "share_languages", "share_expertise", "share_email",
                "share_phone")
MAX_PROPOSED_SLOTS = 6


def request_ttl() -> datetime.timedelta:
    """How long a request (or a counter-proposal) waits for its answer before it expires and frees its slots."""
    return datetime.timedelta(hours=getattr(settings, "ACCORD_BILATERAL_REQUEST_TTL_HOURS", 48))


# --- The directory ----------------------------------------------------------------------------------


def directory_entry_update(participant: Participant, *, actor, listed: bool, expertise: Iterable[str] = (),
                           **shares: bool) -> DirectoryEntry:
    """Record what an approved participant agrees to show in the directory (all hidden until ``listed``).

    Withdrawing (``listed=False``) hides the entry from the next page on. Writes an audit entry of the change.
    """
    if participant.status != ParticipantStatus.APPROVED:
        raise AccordError(_("Only approved participants can be listed in the directory."))
    unknown = [code for code in shares if code not in SHARE_FIELDS]
    if unknown:
        raise AccordError(_("Unknown directory field."))
    codes = [code for code in dict.fromkeys(expertise) if code]
    if any(code not in Expertise.values for code in codes):
        raise AccordError(_("Unknown area of expertise."))
    with transaction.atomic():
        entry, _created = DirectoryEntry.objects.select_for_update().get_or_create(participant=participant)
        before = {"listed": entry.listed, **{name: getattr(entry, name) for name in SHARE_FIELDS}}
        entry.listed = bool(listed)
        for name in SHARE_FIELDS:
            setattr(entry, name, bool(shares.get(name, False)))
        entry.expertise = codes
        entry.save(update_fields=["listed", *SHARE_FIELDS, "expertise", "updated_at"])
        after = {"listed": entry.listed, **{name: getattr(entry, name) for name in SHARE_FIELDS}}
        audit_record(
            actor=actor, action="directory.update", target=participant, conference=participant.conference,
            changes={name: [before[name], after[name]] for name in after if before[name] != after[name]},
        )
    return entry


# --- The grid ---------------------------------------------------------------------------------------


def meeting_slot_problems(slot: MeetingSlot) -> list[str]:
    from sessions_app.models import Session

    problems = []
    conference = slot.conference
    if slot.starts_at is None or slot.ends_at is None or slot.ends_at <= slot.starts_at:
        return [_("The meeting must end after it starts.")]
    tz = conference.tz
    if (timezone.localtime(slot.starts_at, tz).date() < conference.start_date
            or timezone.localtime(slot.ends_at, tz).date() > conference.end_date):
        problems.append(_("The meeting must take place within the conference dates."))
    if Session.objects.filter(
        conference=conference, kind__in=selectors.PLENARY_KINDS, starts_at__lt=slot.ends_at, ends_at__gt=slot.starts_at
    ).exists():
        problems.append(_("Bilateral meetings are not held during a plenary."))
    return problems


def meeting_slot_save(slot: MeetingSlot, *, actor) -> MeetingSlot:
    """Add or change one slot of the meeting grid (inside the conference, outside the plenaries)."""
    problems = meeting_slot_problems(slot)
    if problems:
        raise AccordError(" ".join(problems))
    with transaction.atomic():
        created = slot.pk is None
        try:
            with transaction.atomic():
                slot.save()
        except IntegrityError as error:
            raise AccordError(_("A slot already starts at that time.")) from error
        audit_record(actor=actor, action="meeting_slot.create" if created else "meeting_slot.update", target=slot,
                     conference=slot.conference,
                     changes={"starts_at": slot.starts_at.isoformat(), "ends_at": slot.ends_at.isoformat()})
    return slot


# --- Bilateral meetings: checks ---------------------------------------------------------------------


def _side_for(user, meeting: BilateralMeeting) -> str | None:
    ids = set(delegations_acted_for(user, meeting.conference).values_list("pk", flat=True))
    if meeting.invited_id in ids and meeting.awaiting == Side.INVITED:
        return Side.INVITED
    if meeting.requesting_id in ids and meeting.awaiting == Side.REQUESTING:
        return Side.REQUESTING
    if meeting.invited_id in ids:
        return Side.INVITED
    if meeting.requesting_id in ids:
        return Side.REQUESTING
    return None


def side_of(user, meeting: BilateralMeeting) -> str | None:
    """The side ``user`` acts for in ``meeting`` (None: neither, only an attendee or an organizer)."""
    return _side_for(user, meeting)


def _members(delegation: Delegation, participant_ids: Iterable[int]) -> list[Participant]:
    ids = [int(pk) for pk in dict.fromkeys(participant_ids)]
    members = list(Participant.objects.filter(pk__in=ids, delegation=delegation))
    if len(members) != len(ids):
        raise AccordError(_("Attending members must belong to the delegation."))
    if any(member.status != ParticipantStatus.APPROVED for member in members):
        raise AccordError(_("Only approved members can attend a bilateral meeting."))
    return members


def _slots(conference: Conference, slot_ids: Iterable[int]) -> list[MeetingSlot]:
    ids = [int(pk) for pk in dict.fromkeys(slot_ids)]
    if not ids:
        raise AccordError(_("Propose at least one slot."))
    if len(ids) > MAX_PROPOSED_SLOTS:
        raise AccordError(ngettext("Propose at most %(count)d slot.", "Propose at most %(count)d slots.",
                                   MAX_PROPOSED_SLOTS) % {"count": MAX_PROPOSED_SLOTS})
    slots = list(MeetingSlot.objects.filter(pk__in=ids, conference=conference).order_by("starts_at"))
    if len(slots) != len(ids):
        raise AccordError(_("Every proposed slot must be one of the conference's meeting slots."))
    return slots


def _languages(languages: Iterable[str]) -> list[str]:
    codes = [code for code in dict.fromkeys(languages) if code]
    if not 1 <= len(codes) <= 2 or any(code not in LanguageCode.values for code in codes):
        raise AccordError(_("Choose the language pair of the meeting (Arabic, French or English)."))
    return codes


def _check_open(meeting: BilateralMeeting, now: datetime.datetime) -> None:
    if meeting.status == BilateralStatus.REQUESTED and meeting.expires_at and meeting.expires_at <= now:
        raise AccordError(_("This request has expired."))
    if meeting.status != BilateralStatus.REQUESTED:
        raise AccordError(_("This request is no longer open (%(status)s).") % {"status": meeting.get_status_display()})


def _check_presence(conference: Conference, slots: list[MeetingSlot], participant_ids: list[int]) -> None:
    """Refuse a slot when an attending member is not at the venue (their arrival and departure, when known)."""
    windows = selectors.presence_windows(conference, participant_ids)
    if windows and any(selectors.outside_presence(s.starts_at, s.ends_at, windows) for s in slots):
        raise AccordError(_("An attending member has not arrived yet or has already left at that time."))


def _check_free(conference: Conference, slots: list[MeetingSlot], *, delegation_ids: list[int],
                participant_ids: list[int], languages, exclude_meeting_id: int | None = None) -> None:
    """Refuse a proposed slot when a delegation or an attending member is already booked then, or no meeting room
    that holds the attendees and offers the language pair is free then (what acceptance would find)."""
    free = {
        choice.slot.pk
        for choice in selectors.free_slots(
            conference, delegation_ids=delegation_ids, participant_ids=participant_ids, languages=languages,
            size=len(participant_ids), exclude_meeting_id=exclude_meeting_id, windows={},  # presence: checked apart
        )
    }
    refused = [slot for slot in slots if slot.pk not in free]
    if refused:
        labels = ", ".join(
            f"{date_format(timezone.localtime(slot.starts_at, conference.tz), 'j F H:i')}–"
            f"{date_format(timezone.localtime(slot.ends_at, conference.tz), 'H:i')}"
            for slot in refused
        )
        raise AccordError(
            ngettext(
                "No meeting room for %(count)d person with this language pair is free, or a delegation or member "
                "is already booked, at: %(slots)s. Propose other slots.",
                "No meeting room for %(count)d people with this language pair is free, or a delegation or member "
                "is already booked, at: %(slots)s. Propose other slots.",
                len(participant_ids),
            ) % {"count": len(participant_ids), "slots": labels}
        )


def _queue_emails(meeting: BilateralMeeting, event: str) -> None:
    send_meeting_email_task.delay_on_commit(meeting_id=meeting.pk, event=event, round=meeting.round)


# --- Bilateral meetings: writes ---------------------------------------------------------------------


def bilateral_request(
    *,
    conference: Conference,
    requesting: Delegation,
    invited: Delegation,
    actor,
    topic: str,
    attendee_ids: Iterable[int],
    languages: Iterable[str],
    slot_ids: Iterable[int],
    invited_participant: Participant | None = None,
) -> BilateralMeeting:
    """A delegation (its focal point or head, ``actor``) asks another for a meeting in one of the proposed slots.

    Refuses one's own delegation, a delegation of another conference, members who are not approved members of
    the requesting delegation, slots outside the grid, more attendees than the largest meeting room holds.
    E-mails the invited delegation after commit.
    """
    if requesting.conference_id != conference.pk or invited.conference_id != conference.pk:
        raise AccordError(_("This delegation belongs to another conference."))
    if requesting.pk == invited.pk:
        raise AccordError(_("A bilateral meeting needs two different delegations."))
    if not is_organizer(actor) and not delegations_acted_for(actor, conference).filter(pk=requesting.pk).exists():
        raise AccordError(_("Only a focal point or the head of the delegation can request a meeting."))
    topic = " ".join((topic or "").split())
    if not topic:
        raise AccordError(_("Give the subject of the meeting."))
    if invited_participant is not None and (
        invited_participant.delegation_id != invited.pk or invited_participant.status != ParticipantStatus.APPROVED
    ):
        raise AccordError(_("The invited person must be an approved member of the invited delegation."))
    members = _members(requesting, attendee_ids)
    if not members:
        raise AccordError(_("Choose the members who will attend."))
    codes = _languages(languages)
    slots = _slots(conference, slot_ids)
    _check_presence(conference, slots, [m.pk for m in members])
    rooms = selectors.meeting_rooms(conference)
    largest = max((r.room.capacity for r in rooms), default=0)
    if len(members) > largest:
        raise AccordError(_("No meeting room holds %(count)d people.") % {"count": len(members)})
    _check_free(conference, slots, delegation_ids=[requesting.pk, invited.pk], participant_ids=[m.pk for m in members],
                languages=codes)
    now = timezone.now()
    with transaction.atomic():
        meeting = BilateralMeeting.objects.create(
            conference=conference, requesting=requesting, invited=invited, invited_participant=invited_participant,
            requested_by=actor if getattr(actor, "pk", None) else None, topic=topic[:300], languages=codes,
            status=BilateralStatus.REQUESTED, awaiting=Side.INVITED, round=1, expires_at=now + request_ttl(),
        )
        MeetingAttendee.objects.bulk_create([MeetingAttendee(meeting=meeting, participant=m) for m in members])
        MeetingProposal.objects.bulk_create(
            [MeetingProposal(meeting=meeting, slot=slot, round=1, proposed_by=requesting) for slot in slots]
        )
        audit_record(actor=actor, action="bilateral.request", target=meeting, conference=conference,
                     changes={"slots": [s.pk for s in slots], "attendees": [m.pk for m in members]})
        _queue_emails(meeting, "requested")
    return meeting


def _locked(meeting: BilateralMeeting) -> BilateralMeeting:
    return (
        BilateralMeeting.objects.select_for_update(of=("self",))
        .select_related("conference", "requesting", "invited")
        .get(pk=meeting.pk)
    )


def _answering_side(actor, meeting: BilateralMeeting) -> str:
    side = _side_for(actor, meeting)
    if side is None or side != meeting.awaiting:
        raise AccordError(_("It is the other delegation's turn to answer."))
    return side


def _add_members(meeting: BilateralMeeting, delegation: Delegation, attendee_ids) -> None:
    if attendee_ids is None:
        return
    members = _members(delegation, attendee_ids)
    MeetingAttendee.objects.filter(meeting=meeting, participant__delegation=delegation).exclude(
        participant__in=members
    ).delete()
    existing = set(MeetingAttendee.objects.filter(meeting=meeting).values_list("participant_id", flat=True))
    MeetingAttendee.objects.bulk_create(
        [MeetingAttendee(meeting=meeting, participant=m) for m in members if m.pk not in existing]
    )


def bilateral_counter(meeting: BilateralMeeting, *, actor, slot_ids: Iterable[int],
                      attendee_ids: Iterable[int] | None = None) -> BilateralMeeting:
    """The side whose turn it is proposes other slots (and may name its attending members); the other side must
    answer next, and the request's expiry starts again."""
    now = timezone.now()
    with transaction.atomic():
        meeting = _locked(meeting)
        _check_open(meeting, now)
        side = _answering_side(actor, meeting)
        slots = _slots(meeting.conference, slot_ids)
        delegation = meeting.delegation_of(side)
        _add_members(meeting, delegation, attendee_ids)
        attendees = list(meeting.attendees.values_list("participant_id", flat=True))
        _check_presence(meeting.conference, slots, attendees)
        _check_free(meeting.conference, slots, delegation_ids=[meeting.requesting_id, meeting.invited_id],
                    participant_ids=attendees, languages=meeting.languages, exclude_meeting_id=meeting.pk)
        meeting.round += 1
        meeting.awaiting = Side.REQUESTING if side == Side.INVITED else Side.INVITED
        meeting.expires_at = now + request_ttl()
        meeting.save(update_fields=["round", "awaiting", "expires_at"])
        MeetingProposal.objects.bulk_create(
            [MeetingProposal(meeting=meeting, slot=slot, round=meeting.round, proposed_by=delegation) for slot in slots]
        )
        audit_record(actor=actor, action="bilateral.counter", target=meeting, conference=meeting.conference,
                     changes={"round": meeting.round, "slots": [s.pk for s in slots]})
        _queue_emails(meeting, "countered")
    return meeting


def _book(meeting: BilateralMeeting, *, start, end, room_id: int) -> None:
    """Write the bookings of an accepted meeting; refuse a clash the check or the database finds."""
    participant_ids = list(meeting.attendees.values_list("participant_id", flat=True))
    resources = [(BookingKind.DELEGATION, meeting.requesting_id), (BookingKind.DELEGATION, meeting.invited_id),
                 (BookingKind.ROOM, room_id)] + [(BookingKind.PARTICIPANT, pid) for pid in participant_ids]
    busy = selectors.busy_intervals(meeting.conference, delegation_ids=[meeting.requesting_id, meeting.invited_id],
                                    participant_ids=participant_ids, exclude_meeting_id=meeting.pk)
    if any(s < end and e > start for resource in resources for s, e in busy.get(resource, [])):
        raise AccordError(_("A delegation, member or room of this meeting is already booked at that time."))
    Booking.objects.filter(meeting=meeting).delete()
    try:
        with transaction.atomic():
            Booking.objects.bulk_create(
                [Booking(meeting=meeting, kind=kind, resource_id=rid, starts_at=start, ends_at=end)
                 for kind, rid in resources]
            )
    except IntegrityError as error:
        # PostgreSQL's exclusion constraint: another acceptance committed the same time first.
        raise AccordError(
            _("A delegation, member or room of this meeting was booked at that time a moment ago.")
        ) from error


def bilateral_accept(meeting: BilateralMeeting, *, actor, slot_id: int,
                     attendee_ids: Iterable[int] | None = None) -> tuple[BilateralMeeting, list[str]]:
    """The side whose turn it is accepts one slot of the last round: the meeting gets the smallest free room that
    holds every attendee and offers the language pair, and its time is booked for both delegations, every
    attending member and the room. Returns the meeting and the warnings (a member's session at that time).

    Refuses an expired, withdrawn or answered request and any double booking (on PostgreSQL also one that
    raced this acceptance). E-mails both delegations after commit.
    """
    now = timezone.now()
    with transaction.atomic():
        meeting = _locked(meeting)
        _check_open(meeting, now)
        side = _answering_side(actor, meeting)
        proposal = (
            MeetingProposal.objects.select_related("slot")
            .filter(meeting=meeting, round=meeting.round, slot_id=slot_id).first()
        )
        if proposal is None:
            raise AccordError(_("Choose one of the slots proposed in the last round."))
        _add_members(meeting, meeting.delegation_of(side), attendee_ids)
        slot = proposal.slot
        participant_ids = list(meeting.attendees.values_list("participant_id", flat=True))
        _check_presence(meeting.conference, [slot], participant_ids)
        busy = selectors.busy_intervals(meeting.conference, delegation_ids=[], participant_ids=[],
                                        exclude_meeting_id=meeting.pk)
        rooms = selectors.free_rooms(
            selectors.meeting_rooms(meeting.conference), start=slot.starts_at, end=slot.ends_at,
            size=len(participant_ids), languages=meeting.languages, busy=busy,
            sessions_by_room=selectors.room_sessions(meeting.conference),
        )
        if not rooms:
            raise AccordError(_("No meeting room for %(count)d people with this language pair is free then.")
                              % {"count": len(participant_ids)})
        room = rooms[0].room
        _book(meeting, start=slot.starts_at, end=slot.ends_at, room_id=room.pk)
        meeting.starts_at, meeting.ends_at, meeting.room = slot.starts_at, slot.ends_at, room
        meeting.status = BilateralStatus.ACCEPTED
        meeting.decided_at = now
        meeting.save(update_fields=["starts_at", "ends_at", "room", "status", "decided_at"])
        audit_record(actor=actor, action="bilateral.accept", target=meeting, conference=meeting.conference,
                     changes={"slot": slot.pk, "room": room.pk})
        _queue_emails(meeting, "accepted")
    return meeting, clash_warnings(meeting)


def clash_warnings(meeting: BilateralMeeting) -> list[str]:
    """Sessions at the meeting's time where an attending member has a role or a sign-up (warned, not refused)."""
    if not meeting.starts_at:
        return []
    members = selectors.member_sessions(meeting.attendees.values_list("participant_id", flat=True))
    titles = sorted({title for sessions in members.values() for s, e, title in sessions
                     if s < meeting.ends_at and e > meeting.starts_at})
    return [_("An attending member is expected at “%(session)s” at that time.") % {"session": t} for t in titles]


def bilateral_decline(meeting: BilateralMeeting, *, actor) -> BilateralMeeting:
    """The side whose turn it is declines; the request's slots are freed. E-mails the other side."""
    now = timezone.now()
    with transaction.atomic():
        meeting = _locked(meeting)
        _check_open(meeting, now)
        _answering_side(actor, meeting)
        meeting.status = BilateralStatus.DECLINED
        meeting.decided_at = now
        meeting.save(update_fields=["status", "decided_at"])
        audit_record(actor=actor, action="bilateral.decline", target=meeting, conference=meeting.conference)
        _queue_emails(meeting, "declined")
    return meeting


def bilateral_cancel(meeting: BilateralMeeting, *, actor) -> BilateralMeeting:
    """Either side (or an organizer) withdraws a request or cancels an accepted meeting; its bookings go."""
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status not in OPEN_STATUSES:
            raise AccordError(_("This request is no longer open (%(status)s).") % {"status": meeting.get_status_display()})
        if not is_organizer(actor) and _side_for(actor, meeting) is None:
            raise AccordError(_("Only the two delegations can cancel this meeting."))
        Booking.objects.filter(meeting=meeting).delete()
        meeting.status = BilateralStatus.CANCELLED
        meeting.decided_at = timezone.now()
        meeting.save(update_fields=["status", "decided_at"])
        audit_record(actor=actor, action="bilateral.cancel", target=meeting, conference=meeting.conference)
        _queue_emails(meeting, "cancelled")
    return meeting


def bilateral_expire_due(*, now: datetime.datetime | None = None) -> int:
    """Expire the requests left unanswered past their time (their slots are free again); returns how many."""
    now = now or timezone.now()
    expired = 0
    with transaction.atomic():
        due = list(
            BilateralMeeting.objects.select_for_update(skip_locked=True)
            .filter(status=BilateralStatus.REQUESTED, expires_at__lte=now)
            .select_related("conference")[:500]
        )
        for meeting in due:
            meeting.status = BilateralStatus.EXPIRED
            meeting.decided_at = now
            meeting.save(update_fields=["status", "decided_at"])
            audit_record(actor=None, action="bilateral.expire", target=meeting, conference=meeting.conference)
            _queue_emails(meeting, "expired")
            expired += 1
    return expired


def bilateral_schedule(meeting: BilateralMeeting, *, actor, attendee_ids: Iterable[int] | None = None) -> BilateralMeeting:
    """An organizer books a meeting at the time and room given (the admin): the same checks as an acceptance.

    A meeting whose status is not accepted holds no time; saving it as accepted books it.
    """
    from .validation import bilateral_problems

    problems = [message for _field, message in bilateral_problems(meeting)]
    if problems:
        raise AccordError(" ".join(problems))
    created = meeting.pk is None
    with transaction.atomic():
        if not created:
            BilateralMeeting.objects.select_for_update(of=("self",)).filter(pk=meeting.pk).first()
        meeting.save()
        if attendee_ids is not None:
            MeetingAttendee.objects.filter(meeting=meeting).exclude(participant_id__in=list(attendee_ids)).delete()
            existing = set(MeetingAttendee.objects.filter(meeting=meeting).values_list("participant_id", flat=True))
            MeetingAttendee.objects.bulk_create(
                [MeetingAttendee(meeting=meeting, participant_id=pid) for pid in attendee_ids if pid not in existing]
            )
        if meeting.status == BilateralStatus.ACCEPTED and meeting.starts_at and meeting.ends_at and meeting.room_id:
            _book(meeting, start=meeting.starts_at, end=meeting.ends_at, room_id=meeting.room_id)
        else:
            Booking.objects.filter(meeting=meeting).delete()
        audit_record(actor=actor, action="bilateral.schedule" if created else "bilateral.update", target=meeting,
                     conference=meeting.conference,
                     changes={"status": meeting.status, "room": meeting.room_id,
                              "starts_at": meeting.starts_at.isoformat() if meeting.starts_at else None})
        if meeting.status == BilateralStatus.ACCEPTED:
            _queue_emails(meeting, "accepted")
    return meeting


# --- E-mails ----------------------------------------------------------------------------------------

#: Who is told of each step: the side awaiting an answer, the side that did not answer, or both.
_EVENT_SIDES = {"requested": "awaiting", "countered": "awaiting", "declined": "other", "accepted": "both",
                "cancelled": "both", "expired": "both"}


def side_recipients(delegation: Delegation) -> list:
    """The focal points and the head of ``delegation``, each with the language of their participation."""
    from .emails import Recipient

    users = list(delegation.focal_points.all())
    if delegation.head_id:
        head = Participant.objects.filter(pk=delegation.head_id).select_related("user").first()
    else:
        head = None
    languages = dict(
        Participant.objects.filter(conference_id=delegation.conference_id, user__in=users)
        .values_list("user_id", "preferred_language")
    )
    found: dict[str, Recipient] = {}
    for user in users:
        if user.email:
            found.setdefault(user.email.lower(), Recipient(user.email, user.get_full_name() or user.email,
                                                           languages.get(user.pk, "en")))
    if head is not None and head.email:
        found.setdefault(head.email.lower(), Recipient(head.email, head.printed_name, head.preferred_language))
    return list(found.values())


def meeting_emails_send(meeting_id: int, *, event: str, round: int, final_attempt: bool = True) -> int:
    """Send the e-mails of one step of a meeting to both sides as ``_EVENT_SIDES`` says; each recipient at most
    once (a ``MeetingNotice`` row claims it; a retry skips those already sent). Returns how many were sent."""
    from conference.mail import is_permanent
    from conference.retry import SEND_ERRORS

    from .emails import meeting_email
    from .models import MeetingNotice

    meeting = (
        BilateralMeeting.objects.select_related("conference", "requesting", "invited", "room")
        .filter(pk=meeting_id).first()
    )
    if meeting is None or event not in _EVENT_SIDES:
        return 0
    awaiting = Side.INVITED if event == "requested" else meeting.awaiting
    other = Side.REQUESTING if awaiting == Side.INVITED else Side.INVITED
    which = _EVENT_SIDES[event]
    sides = [awaiting] if which == "awaiting" else [other] if which == "other" else [Side.REQUESTING, Side.INVITED]
    sent = 0
    for side in sides:
        delegation = meeting.delegation_of(side)
        counterpart = meeting.delegation_of(Side.INVITED if side == Side.REQUESTING else Side.REQUESTING)
        for recipient in side_recipients(delegation):
            notice, _created = MeetingNotice.objects.get_or_create(
                meeting=meeting, event=event, round=round, email=recipient.email.lower(),
                defaults={"language": recipient.language},
            )
            if notice.sent_at or notice.failed_at:
                continue
            message = meeting_email(meeting, event=event, recipient=recipient, other_side=counterpart)
            try:
                message.send()
            except SEND_ERRORS as error:
                notice.last_error = str(error)[:500]
                if final_attempt or is_permanent(error):
                    notice.failed_at = timezone.now()
                    notice.save(update_fields=["last_error", "failed_at"])
                    continue
                notice.save(update_fields=["last_error"])
                raise
            notice.sent_at = timezone.now()
            notice.save(update_fields=["sent_at"])
            sent += 1
    return sent


def bilateral_delete(meeting: BilateralMeeting, *, actor) -> None:
    """An organizer removes a meeting (and what it booked), with an audit entry."""
    with transaction.atomic():
        audit_record(actor=actor, action="bilateral.delete", target=meeting, conference=meeting.conference,
                     changes={"status": meeting.status})
        meeting.delete()


def meeting_room_save(meeting_room, *, actor):
    """Give a programme room of the conference to bilateral meetings."""
    if meeting_room.room.conference_id != meeting_room.conference_id:
        raise AccordError(_("This room belongs to another conference."))
    with transaction.atomic():
        created = meeting_room.pk is None
        meeting_room.save()
        audit_record(actor=actor, action="meeting_room.create" if created else "meeting_room.update",
                     target=meeting_room, conference=meeting_room.conference, changes={"room": meeting_room.room_id})
    return meeting_room


def meeting_grid_delete(obj, *, actor) -> None:
    """Remove a meeting room or a slot of the grid (the meetings already booked keep their time and room)."""
    with transaction.atomic():
        audit_record(actor=actor, action=f"{obj._meta.model_name}.delete", target=obj, conference=obj.conference)
        obj.delete()


# --- Contact exchange -------------------------------------------------------------------------------


def contact_exchange_open_until(conference: Conference) -> datetime.datetime:
    """The end of contact exchange: the organizers' time (``CooperationSettings``), else
    ACCORD_CONTACT_EXCHANGE_DAYS after the conference's last day (in its zone)."""
    from .models import CooperationSettings

    chosen = CooperationSettings.objects.filter(conference=conference).values_list(
        "contact_exchange_until", flat=True).first()
    if chosen:
        return chosen
    days = getattr(settings, "ACCORD_CONTACT_EXCHANGE_DAYS", 14)
    last = datetime.datetime.combine(conference.end_date + datetime.timedelta(days=1 + days), datetime.time(),
                                     tzinfo=conference.tz)
    return last


def _check_exchange(requester: Participant, recipient: Participant | None) -> Participant:
    conference = requester.conference
    if timezone.now() >= contact_exchange_open_until(conference):
        raise AccordError(_("Contact exchange is closed for this conference."))
    if requester.status != ParticipantStatus.APPROVED:
        raise AccordError(_("Only approved participants can exchange contacts."))
    if recipient is None or recipient.conference_id != conference.pk or recipient.status != ParticipantStatus.APPROVED:
        raise AccordError(_("This badge is not a valid badge of an approved participant of this conference."))
    if recipient.pk == requester.pk:
        raise AccordError(_("This is your own badge."))
    return recipient


def contact_request(requester: Participant, recipient: Participant | None, *, actor):
    """Ask ``recipient`` to exchange contacts (they confirm on their contacts page). Asking again is harmless;
    when they had asked first, this confirms theirs."""
    from .models import ContactExchange

    recipient = _check_exchange(requester, recipient)
    with transaction.atomic():
        theirs = ContactExchange.objects.select_for_update().filter(requester=recipient, recipient=requester).first()
        if theirs is not None and theirs.status == ContactStatus.PENDING:
            return contact_answer(theirs, recipient=requester, accept=True, actor=actor)
        if theirs is not None and theirs.status == ContactStatus.CONFIRMED:
            return theirs
        exchange, created = ContactExchange.objects.get_or_create(
            requester=requester, recipient=recipient, defaults={"conference": requester.conference}
        )
        if created:
            audit_record(actor=actor, action="contact.request", target=exchange, conference=requester.conference)
    return exchange


def contact_request_by_code(requester: Participant, code: str, *, actor):
    """A scanned badge: ask its holder to exchange contacts. A forged, garbled, revoked or foreign badge is
    refused (the code only carries the check-in token; onsite answers whose badge it is)."""
    from sessions_app.extensions import participant_id_for_badge_code

    participant_id = participant_id_for_badge_code(code)
    recipient = Participant.objects.filter(pk=participant_id).first() if participant_id else None
    return contact_request(requester, recipient, actor=actor)


def contact_answer(exchange, *, recipient: Participant, accept: bool, actor):
    """The person asked confirms (both then hold each other's shared details) or declines."""
    from .models import ContactExchange

    with transaction.atomic():
        exchange = ContactExchange.objects.select_for_update().select_related("requester__conference").get(pk=exchange.pk)
        if exchange.recipient_id != recipient.pk:
            raise AccordError(_("Only the person asked can answer."))
        if exchange.status != ContactStatus.PENDING:
            raise AccordError(_("This request is already answered."))
        _check_exchange(exchange.requester, recipient)
        exchange.status = ContactStatus.CONFIRMED if accept else ContactStatus.DECLINED
        exchange.answered_at = timezone.now()
        exchange.save(update_fields=["status", "answered_at"])
        audit_record(actor=actor, action="contact.confirm" if accept else "contact.decline", target=exchange,
                     conference=exchange.conference)
    return exchange


# --- The cooperation register -----------------------------------------------------------------------

#: Follow-ups whose owners are no longer asked for news.
CLOSED_FOLLOW_UP = ("no_further_contact", "cooperation_agreed")
REMINDER_MONTHS = {"3m": 3, "6m": 6}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    import calendar

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _may_record(actor, meeting: BilateralMeeting) -> bool:
    return is_organizer(actor) or _side_for(actor, meeting) is not None


def follow_up_save(follow_up, *, actor):
    """Record (or change) what a meeting agreed: kind, owner (an approved member of either delegation), due date.

    Either delegation or the organizers may; only for a meeting that was accepted.
    """
    from .enums import FollowUpKind, FollowUpStatus

    meeting = follow_up.meeting
    if meeting.status != BilateralStatus.ACCEPTED:
        raise AccordError(_("Follow-ups are recorded for meetings that took place."))
    if not _may_record(actor, meeting):
        raise AccordError(_("Only the two delegations and the organizers can record follow-ups."))
    if follow_up.kind not in FollowUpKind.values or follow_up.status not in FollowUpStatus.values:
        raise AccordError(_("Choose a kind and a status from the lists."))
    owner = follow_up.owner
    if owner is not None and (owner.delegation_id not in (meeting.requesting_id, meeting.invited_id)
                              or owner.status != ParticipantStatus.APPROVED):
        raise AccordError(_("The owner must be an approved member of one of the two delegations."))
    with transaction.atomic():
        created = follow_up.pk is None
        if created:
            follow_up.recorded_by = actor if getattr(actor, "pk", None) else None
        follow_up.save()
        audit_record(actor=actor, action="follow_up.create" if created else "follow_up.update", target=follow_up,
                     conference=meeting.conference,
                     changes={"kind": follow_up.kind, "status": follow_up.status, "owner": follow_up.owner_id,
                              "due_date": follow_up.due_date.isoformat() if follow_up.due_date else None})
    return follow_up


def follow_up_reminders_queue(*, now: datetime.datetime | None = None) -> int:
    """Celery beat: queue the 3- and 6-month reminders that are due and not sent (each task sends at most once)."""
    from .models import FollowUp
    from .tasks import send_follow_up_reminder_task

    today = timezone.localdate(now or timezone.now())
    queued = 0
    candidates = (
        FollowUp.objects.filter(meeting__starts_at__isnull=False)
        .exclude(status__in=CLOSED_FOLLOW_UP)
        .filter(Q(reminded_3m_at__isnull=True) | Q(reminded_6m_at__isnull=True))
        .select_related("meeting")
    )
    for follow_up in candidates:
        held = follow_up.meeting.starts_at.date()
        for stage, months in REMINDER_MONTHS.items():
            if getattr(follow_up, f"reminded_{stage}_at") is None and add_months(held, months) <= today:
                send_follow_up_reminder_task.delay_on_commit(follow_up_id=follow_up.pk, stage=stage)
                queued += 1
                break  # one reminder at a time; a late 6-month one waits for the 3-month one
    return queued


def follow_up_reminder_send(follow_up_id: int, *, stage: str) -> bool:
    """Send one reminder asking the owner (else the delegation's focal points) for the status; at most once: the
    row is locked and ``reminded_<stage>_at`` is written in the transaction that sends."""
    from .emails import follow_up_reminder_email
    from .models import FollowUp

    if stage not in REMINDER_MONTHS:
        return False
    field = f"reminded_{stage}_at"
    with transaction.atomic():
        follow_up = (FollowUp.objects.select_for_update(of=("self",))
                     .select_related("meeting__conference", "meeting__requesting", "meeting__invited", "owner")
                     .filter(pk=follow_up_id).first())
        if follow_up is None or getattr(follow_up, field) is not None or follow_up.status in CLOSED_FOLLOW_UP:
            return False
        from .emails import Recipient

        if follow_up.owner is not None:
            owner = follow_up.owner
            recipients = [Recipient(owner.email, owner.printed_name, owner.preferred_language)]
        else:
            recipients = side_recipients(follow_up.meeting.requesting) + side_recipients(follow_up.meeting.invited)
        for recipient in recipients:
            follow_up_reminder_email(follow_up, recipient=recipient, months=REMINDER_MONTHS[stage]).send()
        setattr(follow_up, field, timezone.now())
        follow_up.save(update_fields=[field])
        audit_record(actor=None, action=f"follow_up.reminder_{stage}", target=follow_up,
                     conference=follow_up.meeting.conference)
    return True


def outcome_report_store(conference: Conference, *, language: str) -> str:
    """Render the outcome report PDF (pure renderer) and store it; returns the storage name."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from .rendering import render_outcome_report

    pdf = render_outcome_report(conference, language)
    name = outcome_report_name(conference, language)
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(pdf))
    audit_record(actor=None, action="outcome_report.render", target=conference, conference=conference,
                 changes={"language": language, "bytes": len(pdf)})
    return name


def outcome_report_name(conference: Conference, language: str) -> str:
    return f"cooperation/outcome-{conference.slug}-{language}.pdf"


def cooperation_settings_save(options, *, actor):
    """The organizers' cooperation settings of a conference (when contact exchange closes)."""
    with transaction.atomic():
        options.save()
        audit_record(actor=actor, action="cooperation_settings.update", target=options, conference=options.conference,
                     changes={"contact_exchange_until": options.contact_exchange_until.isoformat()
                              if options.contact_exchange_until else None})
    return options


def follow_up_delete(follow_up, *, actor) -> None:
    """An organizer removes a follow-up, with an audit entry."""
    with transaction.atomic():
        audit_record(actor=actor, action="follow_up.delete", target=follow_up, conference=follow_up.meeting.conference)
        follow_up.delete()
