"""The API's reads: the offline list a device downloads, and the participant behind a photo address."""

from __future__ import annotations

import datetime
import hashlib

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from onsite.models import RevokedBadgeToken
from onsite.services.badges import badge_code
from registration.enums import ParticipantStatus
from registration.models import Participant

from .models import Device
from .services import participant_summary

#: A change is listed again for this long after its version: a write whose transaction committed after a list
#: was read (with an earlier ``updated_at``) still reaches the device. The device upserts, so a repeat is harmless.
OVERLAP = datetime.timedelta(minutes=5)

_FIELDS = (
    "public_id", "conference_id", "status", "first_name", "last_name", "badge_name", "badge_name_ar", "email",
    "category", "organization", "photo", "checked_in_at", "updated_at", "delegation__code", "delegation__kind",
    "delegation__country", "delegation__organization", "delegation__organization_fr", "delegation__organization_ar",
    "badge__token", "badge__revoked_at", "badge__created_at",
)


def version_of(moment: datetime.datetime) -> str:
    """A list's version: the server's time of the answer in microseconds since 1970 (an opaque text to devices)."""
    return str(int(moment.timestamp() * 1_000_000))


def moment_of(version: str) -> datetime.datetime | None:
    """The time inside a version, or None when it is not one."""
    if not version.isdigit() or len(version) > 20:
        return None
    try:
        return datetime.datetime.fromtimestamp(int(version) / 1_000_000, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def code_digest(code: str) -> str:
    """The SHA-256 of a badge's QR text: the offline list matches a scanned code by it, and a leaked list gives no
    badge code."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def offline_list(device: Device, *, since: datetime.datetime | None) -> dict:
    """The approved participants ``device`` may check in, with their badge's code digest (one query): all of
    them without ``since``, else those changed since then (participant data, status, a badge made or revoked)
    and, in ``removed``, the ids of those changed who may no longer be checked in."""
    now = timezone.now()
    participants = Participant.objects.filter(conference_id=device.conference_id).select_related(
        "delegation", "badge"
    ).only(*_FIELDS).order_by("pk")
    if since is not None:
        after = since - OVERLAP
        revoked = RevokedBadgeToken.objects.filter(badge__participant=OuterRef("pk"), revoked_at__gt=after)
        participants = participants.filter(
            Q(updated_at__gt=after) | Q(badge__created_at__gt=after) | Exists(revoked)
        )
    else:
        participants = participants.filter(status=ParticipantStatus.APPROVED, badge__isnull=False,
                                           badge__revoked_at__isnull=True)
    rows, removed = [], []
    for participant in participants:
        badge = getattr(participant, "badge", None)
        if participant.status != ParticipantStatus.APPROVED or badge is None or badge.revoked_at is not None:
            removed.append(participant.public_id)
            continue
        row = participant_summary(device, participant) or {"id": participant.public_id}
        row["code_sha256"] = code_digest(badge_code(badge))
        row["checked_in_at"] = participant.checked_in_at.isoformat() if participant.checked_in_at else None
        rows.append(row)
    return {"version": version_of(now), "full": since is None, "participants": rows, "removed": removed}


def photo_participant(device: Device, public_id: str) -> Participant:
    """The approved participant of the device's conference with a photo (404 otherwise, or when the device
    may not see photos)."""
    participant = (
        Participant.objects.filter(conference_id=device.conference_id, public_id=public_id,
                                   status=ParticipantStatus.APPROVED)
        .exclude(photo="").only("public_id", "conference_id", "photo").first()
    )
    if participant is None or not (device.shows_photos and device.shows_details):
        raise Http404
    return participant
