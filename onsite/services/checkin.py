"""Check-in at the desk and attendance at a room's door: scans of the signed badge code.

A scan carries a client-generated id (offline queue in the browser): a resend with the same id returns the
first answer and counts nothing twice. The participant row is locked while deciding, and the partial unique
constraint ``checkin_once_per_participant`` backs it up, so two desks scanning the same badge at the same
moment produce exactly one check-in.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.models import Conference
from registration.enums import ParticipantStatus
from registration.models import Participant

from ..enums import CheckInResult
from ..models import Attendance, Badge, CheckIn, RevokedBadgeToken
from .badges import token_from_code

#: Device clocks are trusted for offline scans within this window; otherwise the server time is used.
CLOCK_SKEW = datetime.timedelta(minutes=5)
MAX_OFFLINE_AGE = datetime.timedelta(days=3)
#: ...or from this long before the conference's first day (badges collected early, a device long offline).
EARLIEST_BEFORE_OPENING = datetime.timedelta(days=7)


@dataclass
class ScanOutcome:
    result: str
    message: str
    participant: Participant | None = None
    checked_in_at: datetime.datetime | None = None
    duplicate: bool = False
    #: For ``already``: when and by whom (staff or device) the participant was first checked in or scanned in.
    seen_at: datetime.datetime | None = None
    seen_by: str = ""

    @property
    def ok(self) -> bool:
        return self.result == CheckInResult.OK

    def as_json(self) -> dict:
        # Nothing about a participant of another conference leaves the server.
        participant = self.participant if self.result != CheckInResult.OTHER_CONFERENCE else None
        return {
            "result": self.result,
            "ok": self.ok,
            "message": self.message,
            "duplicate": self.duplicate,
            "participant": None
            if participant is None
            else {
                "name": participant.printed_name,
                "name_ar": participant.badge_name_ar,
                "category": participant.category_label,
                "delegation": str(participant.delegation) if participant.delegation_id else participant.organization,
            },
        }


def _who(user) -> str:
    if user is None:
        return _("unknown staff")
    return user.get_full_name() or user.email or user.get_username()


def earliest_scan_time(conference: Conference, now: datetime.datetime) -> datetime.datetime:
    """The earliest device time a scan keeps: 3 days back, or a week before the conference's first day (its
    midnight in the conference's zone), whichever is earlier."""
    opening = datetime.datetime.combine(conference.start_date, datetime.time.min, tzinfo=conference.tz)
    return min(now - MAX_OFFLINE_AGE, opening - EARLIEST_BEFORE_OPENING)


def scan_time_refusal(conference: Conference, scanned_at: datetime.datetime) -> str | None:
    """Why a device's time of a scan cannot be kept (in the future beyond the clock skew, or long before the
    conference), or None. The desk pages fall back to the server's time; the device API refuses the scan."""
    now = timezone.now()
    if timezone.is_naive(scanned_at):
        scanned_at = timezone.make_aware(scanned_at, datetime.UTC)
    if scanned_at > now + CLOCK_SKEW:
        return _("The scan's time is in the future: check the device's clock.")
    if scanned_at < earliest_scan_time(conference, now):
        return _("The scan's time is long before the conference: check the device's clock.")
    return None


def _clock(scanned_at: datetime.datetime | None, conference: Conference) -> datetime.datetime:
    now = timezone.now()
    if scanned_at is None:
        return now
    if timezone.is_naive(scanned_at):
        scanned_at = timezone.make_aware(scanned_at, datetime.UTC)
    if scanned_at > now + CLOCK_SKEW or scanned_at < earliest_scan_time(conference, now):
        return now
    return min(scanned_at, now)


def _message(result: str, participant: Participant | None, conference: Conference) -> str:
    name = participant.printed_name if participant else ""
    if result == CheckInResult.OK:
        return _("%(name)s is checked in.") % {"name": name}
    if result == CheckInResult.ALREADY:
        when = timezone.localtime(participant.checked_in_at, conference.tz)
        return _("%(name)s was already checked in at %(time)s by %(who)s.") % {
            "name": name, "time": when.strftime("%H:%M"), "who": _who(participant.checked_in_by),
        }
    if result == CheckInResult.REVOKED:
        return _("This badge of %(name)s was revoked: do not admit, ask for the new badge.") % {"name": name}
    if result == CheckInResult.NOT_APPROVED:
        return _("%(name)s is not approved (%(status)s).") % {"name": name, "status": participant.get_status_display()}
    if result == CheckInResult.OTHER_CONFERENCE:
        return _("This badge belongs to another conference (%(conference)s).") % {
            "conference": participant.conference if participant else "?"
        }
    return _("Invalid code: not an Accord badge, or damaged. Search the participant by name.")


def scan_message(result: str, participant: Participant | None, conference: Conference) -> str:
    """The sentence a scan's ``result`` shows (the desk pages' and the device API's), in the active language."""
    return _message(result, participant, conference)


def _judge(badge: Badge, conference: Conference) -> tuple[str | None, Participant]:
    participant = badge.participant
    if participant.conference_id != conference.pk:
        return CheckInResult.OTHER_CONFERENCE, participant
    if badge.revoked_at is not None:
        return CheckInResult.REVOKED, participant
    if participant.status != ParticipantStatus.APPROVED:
        return CheckInResult.NOT_APPROVED, participant
    return None, participant


def _revoked_token(conference: Conference, token: str) -> tuple[str | None, Participant | None]:
    revoked = RevokedBadgeToken.objects.select_related("badge__participant__conference").filter(token=token).first()
    if revoked is None:
        return CheckInResult.INVALID, None
    participant = revoked.badge.participant
    if participant.conference_id != conference.pk:
        return CheckInResult.OTHER_CONFERENCE, participant
    return CheckInResult.REVOKED, participant


#: What a scan reads of the badge and its holder: the verdict, the check-in it saves and the answer it shows.
SCAN_FIELDS = (
    "revoked_at",
    *(
        f"participant__{name}"
        for name in (
            "conference", "delegation", "status", "checked_in_at", "checked_in_by", "updated_at",
            "first_name", "last_name", "badge_name", "badge_name_ar", "email", "category", "organization",
            "public_id", "photo", "position",
            *(
                f"delegation__{name}"
                for name in ("code", "kind", "country", "organization", "organization_fr", "organization_ar")
            ),
        )
    ),
)


def resolve_code(conference: Conference, code: str, *, lock: bool = False) -> tuple[str | None, Participant | None]:
    """Verify the signature and find the badge: ``(refusal result or None, participant)``, with the holder's
    delegation, in one query of the columns a scan needs (``SCAN_FIELDS``; the holder's other conference is read
    only for that refusal's message). ``lock``: the holder's row is locked until the caller's transaction ends.
    The staff who checked them in is read when an answer names them: a locked read that waited for another desk
    gets the holder's row as that desk left it, but the rows it joins as they were before."""
    token = token_from_code(code)
    if token is None:
        return CheckInResult.INVALID, None
    badges = Badge.objects.select_related("participant__delegation").only(*SCAN_FIELDS).filter(token=token)
    if lock:
        badges = badges.select_for_update(of=("participant",))
    try:
        badge = badges.get()  # the token is unique: no ORDER BY needed
    except Badge.DoesNotExist:
        return _revoked_token(conference, token)
    return _judge(badge, conference)


def _recorded_scan(client_id: str) -> CheckIn | None:
    """The scan recorded with ``client_id``, with what its answer shows (one query)."""
    return (
        CheckIn.objects.select_related(
            "participant__checked_in_by", "participant__conference", "participant__delegation"
        )
        .filter(client_id=client_id)
        .first()
    )


def _replay(existing: CheckIn, conference: Conference) -> ScanOutcome:
    participant = existing.participant
    return ScanOutcome(
        result=existing.result, message=_message(existing.result, participant, conference),
        participant=participant, checked_in_at=participant.checked_in_at if participant else None, duplicate=True,
        **_seen(existing.result, participant),
    )


def _seen(result: str, participant: Participant | None) -> dict:
    if result != CheckInResult.ALREADY or participant is None:
        return {}
    return {"seen_at": participant.checked_in_at, "seen_by": _who(participant.checked_in_by)}


def checkin_scan(
    conference: Conference,
    *,
    code: str,
    client_id: str,
    scanned_at: datetime.datetime | None = None,
    actor,
    device: str = "",
) -> ScanOutcome:
    """Check a badge in at ``conference``'s desk and record the scan (a ``CheckIn`` row with ``client_id``).

    Results: ``ok`` (first time: sets ``checked_in_at``/``checked_in_by``), ``already`` (with time and staff),
    ``invalid``, ``revoked``, ``not_approved``, ``other_conference``. A resend with a known ``client_id`` returns
    the first result unchanged. Raises ``ValueError`` for a missing or oversized ``client_id``.

    One transaction: the badge holder's row is read locked (a second desk scanning the same badge waits, then
    answers ``already``), the first check-in is saved, the scan row is inserted.
    """
    client_id = (client_id or "").strip()
    if not client_id or len(client_id) > 64:
        raise ValueError("client_id must be 1 to 64 characters")
    when = _clock(scanned_at, conference)
    staff = actor if getattr(actor, "pk", None) else None
    # A resend (known client id) is found by the unique client id at the insert, which rolls the scan back, and
    # the first answer is replayed: the common first send needs no look-up beforehand.
    try:
        with transaction.atomic():
            result, participant = resolve_code(conference, code, lock=True)
            if result is None and participant.checked_in_at is None:
                result = CheckInResult.OK
                participant.checked_in_at, participant.checked_in_by = when, staff
                participant.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
            result = result or CheckInResult.ALREADY
            CheckIn.objects.create(
                conference=conference,
                participant=participant if participant and participant.conference_id == conference.pk else None,
                client_id=client_id, result=result, scanned_at=when, scanned_by=staff, device=device[:60],
            )
    except IntegrityError:
        existing = _recorded_scan(client_id)
        if existing is None:
            raise
        return _replay(existing, conference)
    return ScanOutcome(
        result=result, message=_message(result, participant, conference), participant=participant,
        checked_in_at=participant.checked_in_at if participant else None, **_seen(result, participant),
    )


def attendance_scan(session, *, code: str, client_id: str, scanned_at=None, actor) -> ScanOutcome:
    """Record a participant's attendance at ``session`` (a scan at the room's door), once per session.

    Same codes and refusals as :func:`checkin_scan`; ``already`` when the participant was already scanned in.
    A resend with a known ``client_id`` answers as the first time. Only accepted scans are stored.
    """
    client_id = (client_id or "").strip()
    if not client_id or len(client_id) > 64:
        raise ValueError("client_id must be 1 to 64 characters")
    conference = session.conference
    refusal, participant = resolve_code(conference, code)
    if refusal is not None:
        return ScanOutcome(result=refusal, message=_message(refusal, participant, conference), participant=participant)
    # A resend (known client id) finds the attendance it recorded, or is refused by the unique client id at the
    # insert: the common first scan needs no look-up of the client id beforehand.
    try:
        attendance, created = Attendance.objects.select_related("scanned_by").get_or_create(
            session=session, participant=participant,
            defaults={"client_id": client_id, "scanned_at": _clock(scanned_at, conference),
                      "scanned_by": actor if getattr(actor, "pk", None) else None},
        )
    except IntegrityError:
        previous = Attendance.objects.select_related("participant").filter(client_id=client_id).first()
        if previous is None:
            raise
        attendance, created, participant = previous, False, previous.participant
    if created or attendance.client_id == client_id:
        return ScanOutcome(
            result=CheckInResult.OK, participant=participant, duplicate=not created,
            message=_("%(name)s is recorded at this session.") % {"name": participant.printed_name},
        )
    return ScanOutcome(
        result=CheckInResult.ALREADY, participant=participant,
        message=_("%(name)s was already scanned in to this session.") % {"name": participant.printed_name},
        seen_at=attendance.scanned_at, seen_by=_who(attendance.scanned_by),
    )
