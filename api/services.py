"""The API's writes: devices, their enrollment and tokens, and scans.

Every write records an audit entry whose actor is the organizer or the device's own account (``Device.user``).
A scan goes through ``onsite``'s check-in service at the desk and a door (the same functions as the desk pages);
at the airport and the hotel the scan row is the arrival record, and the airport marks the participant's inbound
transfer seat picked up through ``logistics``' service.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.models import Conference
from conference.services import AccordError, audit_record
from logistics.models import TransferSeat
from logistics.models.itinerary import LegDirection
from logistics.models.stay import RoomBooking
from logistics.models.transfers import SeatState
from logistics.services_travel import transfer_seat_mark
from onsite.enums import CheckInResult
from onsite.services.checkin import ScanOutcome, attendance_scan, checkin_scan, resolve_code, scan_message
from registration.enums import ParticipantStatus
from registration.models import Participant
from sessions_app.models import Session

from .models import Device, DeviceEnrollment, DeviceScan, DeviceToken, ScanPoint
from .tokens import new_token, token_matches, token_prefix


class Refused(Exception):
    """An enrollment code that does not work (wrong, expired, used): answered as 401 and nothing else."""


# --- devices -----------------------------------------------------------------------------------------------


def device_save(device: Device, *, actor, doors=None) -> Device:
    """Create or change a device (the admin's form): a new one gets its own account (inactive, no password,
    named like the device), which is the actor of its scans. ``doors``: the sessions it may scan at, all of
    ``device.conference``. Audit ``api.device_create`` / ``api.device_change``."""
    doors = list(doors) if doors is not None else None
    if doors is not None and any(session.conference_id != device.conference_id for session in doors):
        raise AccordError(_("A device may only scan at the doors of its own conference's sessions."))
    creating = device.pk is None
    with transaction.atomic():
        if creating:
            device.user = get_user_model().objects.create_user(
                username=f"device-{uuid.uuid4().hex[:20]}", password=None, first_name=device.name[:150],
                is_active=False,
            )
            device.created_by = actor if getattr(actor, "pk", None) else None
            device.save()
        else:
            device.save()
            get_user_model().objects.filter(pk=device.user_id).update(first_name=device.name[:150])
        if doors is not None:
            device.doors.set(doors)
        audit_record(
            actor=actor, action="api.device_create" if creating else "api.device_change", target=device,
            conference=device.conference,
            changes={
                "points": [point for point, on in (("desk", device.at_desk), ("airport", device.at_airport),
                                                    ("hotel", device.at_hotel)) if on],
                "doors": sorted(session.pk for session in doors) if doors is not None else None,
                "shows_details": device.shows_details, "shows_photos": device.shows_photos,
            },
        )
    return device


@dataclass(frozen=True)
class NewEnrollment:
    enrollment: DeviceEnrollment
    code: str  #: shown once (the QR code), never stored

    def qr_payload(self) -> str:
        """What the QR code carries: the enrollment address and the code."""
        return f"{settings.SITE_URL}{reverse('api:device_enroll')}#{self.code}"


def enrollment_create(device: Device, *, actor) -> NewEnrollment:
    """A new one-time enrollment code for ``device``, valid ``ACCORD_DEVICE_ENROLLMENT_MINUTES``; earlier unused
    codes of the device stop working. Audit ``api.enrollment_create``."""
    made = new_token("enr")
    now = timezone.now()
    with transaction.atomic():
        DeviceEnrollment.objects.filter(device=device, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now
        )
        enrollment = DeviceEnrollment.objects.create(
            device=device, prefix=made.prefix, digest=made.digest,
            expires_at=now + datetime.timedelta(minutes=settings.ACCORD_DEVICE_ENROLLMENT_MINUTES),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(actor=actor, action="api.enrollment_create", target=device, conference=device.conference,
                     changes={"enrollment": enrollment.prefix, "expires_at": enrollment.expires_at.isoformat()})
    return NewEnrollment(enrollment=enrollment, code=made.token)


def device_enroll(*, code: str, label: str = "") -> tuple[DeviceToken, str]:
    """Exchange a one-time enrollment code for a device token: ``(row, token)``, the token shown once.

    Raises ``Refused`` for a wrong, expired, used or withdrawn code (the same for each: the caller answers 401).
    The code's row is locked: two devices presenting one code at once get one token. Audit
    ``api.device_enroll`` by the device."""
    code = (code or "").strip()
    if not code.startswith("enr_") or len(code) > 80:
        raise Refused
    with transaction.atomic():
        enrollment = (
            DeviceEnrollment.objects.select_for_update().select_related("device__conference", "device__user")
            .filter(prefix=token_prefix(code)).first()
        )
        if enrollment is None or not token_matches(code, enrollment.digest) or not enrollment.is_active:
            raise Refused
        enrollment.used_at = timezone.now()
        enrollment.save(update_fields=["used_at"])
        made = new_token("dev")
        device = enrollment.device
        row = DeviceToken.objects.create(
            device=device, enrollment=enrollment, prefix=made.prefix, digest=made.digest, label=label[:80],
        )
        audit_record(actor=device.user, action="api.device_enroll", target=device, conference=device.conference,
                     changes={"device": device.pk, "token": row.prefix, "label": row.label})
    return row, made.token


def device_token_revoke(token: DeviceToken, *, actor) -> DeviceToken:
    """Revoke a device token: its next call answers 401. Audit ``api.device_token_revoke``."""
    with transaction.atomic():
        token = DeviceToken.objects.select_for_update().select_related("device__conference").get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_by = actor if getattr(actor, "pk", None) else None
            token.save(update_fields=["revoked_at", "revoked_by"])
            audit_record(actor=actor, action="api.device_token_revoke", target=token.device,
                         conference=token.device.conference, changes={"device": token.device_id, "token": token.prefix})
    return token


# --- scans -------------------------------------------------------------------------------------------------

#: The reason codes of the device API, from the check-in service's results.
_REASONS = {CheckInResult.INVALID: "unknown"}
NOT_ALLOWED_HERE = "not_allowed_here"


def _reason(outcome_result: str, participant: Participant | None) -> str:
    if outcome_result == CheckInResult.NOT_APPROVED and participant is not None:
        if participant.status == ParticipantStatus.CANCELLED:
            return "cancelled"
    return _REASONS.get(outcome_result, str(outcome_result))


def photo_path(participant: Participant) -> str:
    return reverse("api:device_photo", args=[participant.public_id])


def participant_summary(device: Device, participant: Participant) -> dict | None:
    """What a device is shown of a participant: nothing unless it may see details; the photo's address (the
    thumbnail, served to this device only) when it may see photos and there is one."""
    if not device.shows_details:
        return None
    delegation = participant.delegation if participant.delegation_id else None
    return {
        "id": participant.public_id,
        "name": participant.printed_name,
        "name_ar": participant.badge_name_ar,
        "delegation": str(delegation) if delegation is not None else participant.organization,
        "delegation_code": delegation.code if delegation is not None else "",
        "category": participant.category,
        "category_label": participant.category_label,
        "photo_url": photo_path(participant) if device.shows_photos and participant.photo else None,
    }


def _answer(device: Device, *, result: str, message: str, participant: Participant | None, point: str,
            session: Session | None, scanned_at: datetime.datetime, seen_at=None, seen_by: str = "",
            extra: dict | None = None) -> dict:
    shown = participant if participant is not None and result != CheckInResult.OTHER_CONFERENCE else None
    return {
        "result": result,
        "message": message,
        "duplicate": False,
        "point": point,
        "session": session.pk if session is not None else None,
        "scanned_at": scanned_at.isoformat(),
        "already": {"at": seen_at.astimezone(datetime.UTC).isoformat() if seen_at else None, "by": seen_by} if result == "already" else None,
        "participant": participant_summary(device, shown) if shown is not None else None,
        **(extra or {}),
    }


def _from_outcome(device, outcome: ScanOutcome, *, point, session, scanned_at) -> dict:
    return _answer(
        device, result=_reason(outcome.result, outcome.participant), message=outcome.message,
        participant=outcome.participant, point=point, session=session, scanned_at=scanned_at,
        seen_at=outcome.seen_at, seen_by=outcome.seen_by,
    )


def _arrival(device: Device, *, code: str, point: str, scanned_at, nonce: str) -> tuple[dict, Participant | None]:
    """A scan at the airport or the hotel: the verdict of the one badge check, then one accepted arrival per
    participant and point (the holder's row is locked while deciding, the partial unique constraint backs it);
    at the airport the inbound transfer seat, if any, is marked picked up."""
    conference = device.conference
    refusal, participant = resolve_code(conference, code, lock=True)
    if refusal is not None:
        message = scan_message(refusal, participant, conference)
        return _answer(device, result=_reason(refusal, participant), message=message, participant=participant,
                       point=point, session=None, scanned_at=scanned_at), participant
    first = (
        DeviceScan.objects.select_related("device").filter(participant=participant, point=point, result="ok")
        .only("scanned_at", "device__name").first()
    )
    name = participant.printed_name
    if first is not None:
        message = (_("%(name)s was already recorded at the airport.") if point == ScanPoint.AIRPORT
                   else _("%(name)s was already recorded at the hotel.")) % {"name": name}
        return _answer(device, result="already", message=message, participant=participant, point=point,
                       session=None, scanned_at=scanned_at, seen_at=first.scanned_at, seen_by=first.device.name), participant
    extra = {}
    if point == ScanPoint.AIRPORT:
        seat = (TransferSeat.objects.select_related("run").filter(participant=participant,
                                                                  direction=LegDirection.INBOUND).first())
        if seat is not None and seat.state != SeatState.PICKED_UP:
            seat = transfer_seat_mark(seat, actor=device.user, state=SeatState.PICKED_UP)
        extra["transfer"] = None if seat is None else {"run": str(seat.run), "state": seat.state}
        message = _("%(name)s arrived at the airport.") % {"name": name}
    else:
        booking = (RoomBooking.objects.select_related("hotel").filter(guest=participant).first()
                   or RoomBooking.objects.select_related("hotel").filter(roommate=participant).first())
        extra["hotel"] = None if booking is None else {"name": booking.hotel.name, "check_in": booking.check_in.isoformat(),
                                                        "check_out": booking.check_out.isoformat()}
        message = _("%(name)s checked in at the hotel.") % {"name": name}
    return _answer(device, result="ok", message=message, participant=participant, point=point, session=None,
                   scanned_at=scanned_at, extra=extra), participant


def _replay(device: Device, nonce: str) -> dict | None:
    row = DeviceScan.objects.filter(device=device, nonce=nonce).only("answer").first()
    if row is None:
        return None
    return {**row.answer, "duplicate": True}


def device_scan(token: DeviceToken, *, code: str, nonce: str, point: str, scanned_at: datetime.datetime,
                session_id: int | None = None) -> dict:
    """One scan sent by a device: the answer (``result``, message, ``already`` with when and by whom, the
    participant as the device may see them). The same ``nonce`` sent again by the device answers as the first
    time (``duplicate``: true) and counts nothing twice, even when both arrive at once: the nonce is unique per
    device. ``scanned_at`` (the device's time, checked by the caller) is the time recorded, whenever the scan
    arrives. A point the device is not allowed answers ``not_allowed_here``. Audit ``api.scan`` by the device."""
    device = token.device
    conference: Conference = device.conference
    scanned_at = scanned_at.astimezone(datetime.UTC)  # answered in UTC, whatever offset the device sent
    replayed = _replay(device, nonce)
    if replayed is not None:
        return replayed
    client_id = f"api:{device.pk}:{nonce}"
    session = None
    participant = None
    try:
        with transaction.atomic():
            if point == ScanPoint.DOOR and session_id is not None and device.allows(point, session_id):
                session = Session.objects.filter(conference=conference, pk=session_id).first()
            if (point == ScanPoint.DOOR and session is None) or (point != ScanPoint.DOOR and not device.allows(point)):
                answer = _answer(device, result=NOT_ALLOWED_HERE, participant=None, point=point, session=None,
                                 scanned_at=scanned_at, message=_("This device may not scan here."))
            elif point == ScanPoint.DESK:
                outcome = checkin_scan(conference, code=code, client_id=client_id, scanned_at=scanned_at,
                                       actor=device.user, device=device.name)
                participant = outcome.participant
                answer = _from_outcome(device, outcome, point=point, session=None, scanned_at=scanned_at)
            elif point == ScanPoint.DOOR:
                session.conference = conference
                outcome = attendance_scan(session, code=code, client_id=client_id, scanned_at=scanned_at,
                                          actor=device.user)
                participant = outcome.participant
                answer = _from_outcome(device, outcome, point=point, session=session, scanned_at=scanned_at)
            else:
                answer, participant = _arrival(device, code=code, point=point, scanned_at=scanned_at, nonce=nonce)
            kept = participant if participant is not None and participant.conference_id == conference.pk else None
            scan = DeviceScan.objects.create(
                device=device, nonce=nonce, point=point, session=session, participant=kept,
                result=answer["result"], scanned_at=scanned_at, answer=answer,
            )
            audit_record(
                actor=device.user, action="api.scan", target=device, conference=conference,
                changes={"device": device.pk, "token": token.prefix, "scan": scan.pk, "nonce": nonce, "point": point,
                         "session": session.pk if session else None, "result": answer["result"],
                         "participant": kept.public_id if kept else None},
            )
    except IntegrityError:
        replayed = _replay(device, nonce)  # the same nonce, sent at the same moment, was recorded first
        if replayed is None:
            raise
        return replayed
    return answer
