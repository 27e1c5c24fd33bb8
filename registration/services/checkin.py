"""Check-in at the desk and attendance at a room's door: scans of the signed badge code.

A scan carries a client-generated id (offline queue in the browser): a resend with the same id returns the
first answer and counts nothing twice. The participant row is locked while deciding, and the partial unique
constraint ``checkin_once_per_participant`` backs it up, so two desks scanning the same badge at the same
moment produce exactly one check-in.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.models import Conference
from conference.prepared import Part, PreparedRead, insert, own_statement, save_fields_and_insert

from ..enums import CheckInResult, ParticipantStatus
from ..models import Badge, CheckIn, Participant, RevokedBadgeToken
from .badges import token_from_code

#: Device clocks are trusted for offline scans within this window; otherwise the server time is used.
CLOCK_SKEW = datetime.timedelta(minutes=5)
MAX_OFFLINE_AGE = datetime.timedelta(days=3)


@dataclass
class ScanOutcome:
    result: str
    message: str
    participant: Participant | None = None
    checked_in_at: datetime.datetime | None = None
    duplicate: bool = False

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


def _clock(scanned_at: datetime.datetime | None) -> datetime.datetime:
    now = timezone.now()
    if scanned_at is None:
        return now
    if timezone.is_naive(scanned_at):
        scanned_at = timezone.make_aware(scanned_at, datetime.UTC)
    if scanned_at > now + CLOCK_SKEW or scanned_at < now - MAX_OFFLINE_AGE:
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


def resolve_code(conference: Conference, code: str) -> tuple[str | None, Participant | None]:
    """Verify the signature and find the badge: ``(refusal result or None, participant)``."""
    token = token_from_code(code)
    if token is None:
        return CheckInResult.INVALID, None
    badge = Badge.objects.select_related("participant__conference").filter(token=token).first()
    if badge is None:
        return _revoked_token(conference, token)
    return _judge(badge, conference)


@functools.cache
def _scan_read(lock: bool) -> PreparedRead:
    """What a desk scan reads, in one statement compiled once (the desk's hot path): the badge, its holder's
    name, status and check-in, the staff who checked them in, their delegation; ``lock``: the holder's row is
    locked (inside a transaction)."""
    from django.contrib.auth import get_user_model

    from conference.models import Delegation

    def build(token):
        queryset = Participant.objects.filter(badge__token=token).order_by()
        return queryset.select_for_update(of=("self",)) if lock else queryset

    return PreparedRead(
        build,
        samples=("accord-prepared-sample-token",),
        parts=(
            Part("badge", Badge, ("id", "participant_id", "token", "revoked_at")),
            Part("", Participant, (
                "id", "conference_id", "status", "first_name", "last_name", "email", "badge_name", "badge_name_ar",
                "category", "organization", "delegation_id", "checked_in_at", "checked_in_by_id", "updated_at",
            )),
            Part("checked_in_by", get_user_model(), ("id", "username", "first_name", "last_name", "email")),
            Part("delegation", Delegation, (
                "id", "conference_id", "code", "kind", "country", "organization", "organization_fr", "organization_ar",
            )),
        ),
    )


def _resolve(conference: Conference, code: str, *, lock: bool) -> tuple[str | None, Participant | None]:
    """:func:`resolve_code` in one statement, with what the answer shows (the staff who checked them in, their
    delegation); ``lock``: the badge holder's participant row is locked too (inside a transaction)."""
    token = token_from_code(code)
    if token is None:
        return CheckInResult.INVALID, None
    found = _scan_read(lock).first(token)
    if found is None:
        return _revoked_token(conference, token)
    badge, participant = found["badge"], found[""]
    participant.checked_in_by = found["checked_in_by"]
    participant.delegation = found["delegation"]
    if participant.conference_id == conference.pk:
        participant.conference = conference  # the answer's texts read it: no query
    badge.participant = participant
    return _judge(badge, conference)


def _scan(conference, participant, client_id, result, when, staff, device) -> CheckIn:
    """An unsaved scan row (a participant of another conference is not linked to it)."""
    return CheckIn(
        conference=conference, participant=participant if participant and participant.conference_id == conference.pk
        else None, client_id=client_id, result=result, scanned_at=when, scanned_by=staff, device=device[:60],
    )


def _record_scan(conference, participant, client_id, result, when, staff, device) -> None:
    """A scan row (one INSERT; a known client id raises ``IntegrityError``)."""
    with own_statement():
        insert(_scan(conference, participant, client_id, result, when, staff, device))


def _record_first_checkin(conference, participant, client_id, when, staff, device) -> bool:
    """Check ``participant`` in with the scan row in one statement: False (nothing written) when they were
    checked in or stopped being approved since they were read."""
    before = participant.checked_in_at, participant.checked_in_by, participant.updated_at
    participant.checked_in_at, participant.checked_in_by = when, staff
    done = save_fields_and_insert(
        participant, ["checked_in_at", "checked_in_by", "updated_at"],
        _scan(conference, participant, client_id, CheckInResult.OK, when, staff, device),
        only_if={"checked_in_at": None, "status": ParticipantStatus.APPROVED},
    )
    if not done:
        participant.checked_in_at, participant.checked_in_by, participant.updated_at = before
    return done


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
    )


def _decide_locked(conference, code, client_id, when, staff, device) -> tuple[str, Participant | None]:
    """The careful way, for a holder whose record changed between the read and the write (another desk checked
    them in at the same moment): read again with their row locked, decide, write, in one transaction."""
    with transaction.atomic():
        result, participant = _resolve(conference, code, lock=True)
        if result is None:
            if participant.checked_in_at is not None:
                result = CheckInResult.ALREADY
            else:
                result = CheckInResult.OK
                participant.checked_in_at, participant.checked_in_by = when, staff
                participant.updated_at = timezone.now()
                # The row is locked above; a plain UPDATE (no save signals: nothing listens for a check-in).
                Participant.objects.filter(pk=participant.pk).update(
                    checked_in_at=when, checked_in_by=staff, updated_at=participant.updated_at
                )
        _record_scan(conference, participant, client_id, result, when, staff, device)
    return result, participant


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

    The common case costs two statements and no explicit transaction: the read, then one write (the first
    check-in and its scan row together, guarded by ``checked_in_at IS NULL``; or the scan row alone). When the
    guarded write finds the holder checked in meanwhile, the scan is decided again with the row locked.
    """
    client_id = (client_id or "").strip()
    if not client_id or len(client_id) > 64:
        raise ValueError("client_id must be 1 to 64 characters")
    when = _clock(scanned_at)
    staff = actor if getattr(actor, "pk", None) else None
    participant = None
    # A resend (known client id) is found by the unique client id at the insert, which then writes nothing
    # and the first answer is replayed: the common first send needs no look-up beforehand.
    try:
        result, participant = _resolve(conference, code, lock=False)
        if result is None and participant.checked_in_at is None:
            if _record_first_checkin(conference, participant, client_id, when, staff, device):
                result = CheckInResult.OK
            else:
                result, participant = _decide_locked(conference, code, client_id, when, staff, device)
        else:
            result = result or CheckInResult.ALREADY
            _record_scan(conference, participant, client_id, result, when, staff, device)
    except IntegrityError:
        # The same client id sent again (or twice at once), or (a race the guard did not see) a second "ok":
        # answer as recorded.
        existing = _recorded_scan(client_id)
        if existing is not None:
            return _replay(existing, conference)
        if participant is None:
            raise
        participant = Participant.objects.select_related("checked_in_by").get(pk=participant.pk)
        result = CheckInResult.ALREADY
        _record_scan(conference, participant, client_id, result, when, staff, device)
    return ScanOutcome(
        result=result, message=_message(result, participant, conference), participant=participant,
        checked_in_at=participant.checked_in_at if participant else None,
    )


def attendance_scan(session, *, code: str, client_id: str, scanned_at=None, actor) -> ScanOutcome:
    """Record a participant's attendance at ``session`` (a scan at the room's door), once per session.

    Same codes and refusals as :func:`checkin_scan`; ``already`` when the participant was already scanned in.
    A resend with a known ``client_id`` answers as the first time. Only accepted scans are stored.
    """
    from sessions_app.models import Attendance

    client_id = (client_id or "").strip()
    if not client_id or len(client_id) > 64:
        raise ValueError("client_id must be 1 to 64 characters")
    conference = session.conference
    previous = Attendance.objects.select_related("participant").filter(client_id=client_id).first()
    if previous is not None:
        return ScanOutcome(
            result=CheckInResult.OK, participant=previous.participant, duplicate=True,
            message=_("%(name)s is recorded at this session.") % {"name": previous.participant.printed_name},
        )
    refusal, participant = resolve_code(conference, code)
    if refusal is not None:
        return ScanOutcome(result=refusal, message=_message(refusal, participant, conference), participant=participant)
    try:
        with transaction.atomic():
            _attendance, created = Attendance.objects.get_or_create(
                session=session, participant=participant,
                defaults={"client_id": client_id, "scanned_at": _clock(scanned_at),
                          "scanned_by": actor if getattr(actor, "pk", None) else None},
            )
    except IntegrityError:
        created = False
    if created:
        return ScanOutcome(
            result=CheckInResult.OK, participant=participant,
            message=_("%(name)s is recorded at this session.") % {"name": participant.printed_name},
        )
    return ScanOutcome(
        result=CheckInResult.ALREADY, participant=participant,
        message=_("%(name)s was already scanned in to this session.") % {"name": participant.printed_name},
    )
