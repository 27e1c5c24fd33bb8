"""Writes of logistics: the travel and visa steps of the registration form, and visa support letters.

* ``travel_plan_save`` / ``visa_request_save``: the form's travel and visa steps (``logistics/forms.py``), each with
  the progress of the registration form and an audit entry. Passport values go to ``TravelDocument`` only and the
  audit entry says that they were replaced, never what they are.
* ``visa_letter_issue(participant, *, actor, reissue=False) -> VisaLetter``: approved participants who asked for a
  letter and gave a passport number. Keeps the reference on a re-issue, replaces the file, and e-mails the letter
  after commit. Without ``reissue`` a participant who already has a letter is left alone (the approval task may
  run twice: nothing is sent twice).
* ``visa_letter_send(participant_id) -> bool``: the e-mail with the PDF attached (called by the task).

The letter itself is rendered by ``rendering.render_visa_letter``. Passport values appear only in the PDF: never
in the audit log, the e-mail body or a web page.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.mail import describe_error, is_permanent, is_transient
from conference.models import Conference
from conference.services import AccordError, audit_record
from privacy.enums import ReadWhere, RetentionKind
from privacy.services.reads import record_read
from registration.enums import ParticipantStatus
from registration.models import Participant
from registration.services.steps import registration_step_save

from .emails import visa_letter_email
from .models import TravelDocument, TravelPlan, VisaLetter
from .rendering import render_visa_letter
from .selectors import related_row
from .tasks import issue_visa_letter_task, send_visa_letter_task

logger = logging.getLogger(__name__)

TRAVEL_FIELDS = (
    "arrival_date", "arrival_time", "arrival_flight", "arrival_airport",
    "departure_date", "departure_time", "departure_flight", "departure_airport",
    "transfer_needed", "hotel_needed", "room_sharing", "hotel_name",
)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


# The registration form's steps --------------------------------------------------------------------------


def travel_plan_save(participant: Participant, *, actor, step: int | None, **fields: Any) -> TravelPlan:
    """Save travel and hotel data (``fields`` among ``TRAVEL_FIELDS``) with an audit entry listing what changed.

    With ``step`` (the participant's form) the form's progress is saved too, and AccordError raised when the
    participant may not change that step now; without it (an organizer's correction in the admin) neither."""
    unknown = set(fields) - set(TRAVEL_FIELDS)
    if unknown:
        raise AccordError(_("Unknown field."))
    with transaction.atomic():
        if step is not None:
            registration_step_save(participant, actor=actor, step=step)
        plan, _created = TravelPlan.objects.select_for_update().get_or_create(participant=participant)
        changes = {
            name: [_jsonable(getattr(plan, name)), _jsonable(value)]
            for name, value in fields.items()
            if getattr(plan, name) != value
        }
        if changes:
            for name, value in fields.items():
                setattr(plan, name, value)
            plan.save(update_fields=[*fields, "updated_at"])
            audit_record(actor=actor, action="travel_plan.update", target=participant,
                         conference=participant.conference, changes=changes)
    return plan


def has_travel_document(participant: Participant) -> bool:
    """Whether passport details are on file (not purged, with a number)."""
    return TravelDocument.objects.filter(participant=participant, purged_at__isnull=True).exclude(
        passport_number=""
    ).exists()


def visa_requested(participant: Participant) -> bool:
    return VisaLetter.objects.filter(participant=participant, requested=True).exists()


def visa_request_save(
    participant: Participant,
    *,
    actor,
    step: int,
    needs_visa_letter: bool,
    passport_number: str = "",
    passport_expiry=None,
    issuing_country: str = "",
    date_of_birth=None,
) -> VisaLetter:
    """Save the visa step: whether a letter is needed and, when given, the passport data (replacing any).

    Empty passport fields keep the document on file. The audit entry records that the passport data was
    replaced, never its values."""
    with transaction.atomic():
        registration_step_save(participant, actor=actor, step=step)
        letter, _created = VisaLetter.objects.select_for_update().get_or_create(participant=participant)
        if letter.requested != needs_visa_letter:
            audit_record(actor=actor, action="visa_letter.request", target=participant,
                         conference=participant.conference,
                         changes={"requested": [letter.requested, needs_visa_letter]})
            letter.requested = needs_visa_letter
            letter.save(update_fields=["requested"])
        if passport_number:
            TravelDocument.objects.update_or_create(
                participant=participant,
                defaults={
                    "passport_number": passport_number.strip().upper(),
                    "passport_expiry": passport_expiry,
                    "issuing_country": issuing_country,
                    "date_of_birth": date_of_birth,
                    "purged_at": None,
                },
            )
            audit_record(actor=actor, action="travel_document.replace", target=participant,
                         conference=participant.conference, changes={"passport": "(replaced)"})
    return letter


def travel_document_admin_save(participant: Participant, *, actor, values: dict[str, Any]) -> TravelDocument:
    """The passport data as an organizer with the passport permission corrected it in the admin; the audit entry
    names the fields changed, never their values."""
    with transaction.atomic():
        document, created = TravelDocument.objects.select_for_update().get_or_create(participant=participant)
        changed = sorted(name for name, value in values.items() if getattr(document, name) != value)
        for name, value in values.items():
            setattr(document, name, value)
        document.save()
        if changed or created:
            audit_record(actor=actor, action="traveldocument.update", target=participant,
                         conference=participant.conference, changes={"fields": changed})
    return document


def travel_document_view_record(participant: Participant, *, actor, via: str) -> None:
    """Write a read of ``participant``'s passport data (shown in the admin) to the audit log and the read log."""
    audit_record(actor=actor, action="traveldocument.view", target=participant, conference=participant.conference,
                 changes={"via": via})
    record_read(participant, reader=actor, kind=RetentionKind.SENSITIVE, what="travel_document",
                where=ReadWhere.DESK if via == "desk" else ReadWhere.ADMIN)


def travel_plan_view_record(participant: Participant, *, actor) -> None:
    """Write a read of ``participant``'s travel and hotel details (shown in the admin) to the read log."""
    record_read(participant, reader=actor, kind=RetentionKind.TRAVEL_HOTEL, what="travel", where=ReadWhere.ADMIN)


# Visa support letters ------------------------------------------------------------------------------------


def _next_reference(conference: Conference) -> str:
    """``SHARM2023/VISA/0042``: the conference code upper-case and the next free number (conference locked)."""
    prefix = f"{conference.slug.upper()}/VISA/"
    taken = set(
        VisaLetter.objects.filter(participant__conference=conference, reference__startswith=prefix)
        .values_list("reference", flat=True)
    )
    number = len(taken) + 1
    while f"{prefix}{number:04d}" in taken:
        number += 1
    return f"{prefix}{number:04d}"


def visa_letter_refusal(participant: Participant) -> str | None:
    """Why ``participant`` gets no visa letter (not approved, did not ask, no passport number), or ``None``.
    Reads ``participant.visa_letter`` and ``participant.travel_document`` (select them with the participant)."""
    if participant.status != ParticipantStatus.APPROVED:
        return _("%(name)s is not approved: a visa letter is issued only to approved participants.") % {
            "name": participant
        }
    letter = related_row(participant, "visa_letter")
    if letter is None or not letter.requested:
        return _("%(name)s did not ask for a visa letter.") % {"name": participant}
    document = related_row(participant, "travel_document")
    if document is None or not document.passport_number.strip():
        return _("%(name)s has no passport number on file: add the travel document first.") % {
            "name": participant
        }
    return None


def visa_letter_issue(participant: Participant, *, actor, reissue: bool = False) -> VisaLetter:
    """Issue (or, with ``reissue``, issue again) the visa letter of ``participant`` and e-mail it after commit.

    Raises ``AccordError`` with the reason when the participant is not approved, did not ask for a letter or
    has no passport number. Returns the participant's ``VisaLetter``.
    """
    with transaction.atomic():
        Conference.objects.select_for_update().filter(pk=participant.conference_id).first()  # serialises numbers
        locked = (
            Participant.objects.select_for_update(of=("self",))
            .select_related("conference", "delegation", "travel_document", "visa_letter")
            .prefetch_related("conference__partners")
            .get(pk=participant.pk)
        )
        reason = visa_letter_refusal(locked)
        if reason:
            raise AccordError(reason)
        letter = VisaLetter.objects.select_for_update().get(pk=locked.visa_letter.pk)
        if letter.issued_at and not reissue:
            return letter
        first = not letter.reference
        reference = letter.reference or _next_reference(locked.conference)
        issued_at = timezone.now()
        pdf = render_visa_letter(locked, reference=reference, issued_at=issued_at)
        old_name = letter.file.name if letter.file else ""
        storage = letter.file.storage
        # The new letter is stored first (under another name while the old file exists); the old file is deleted
        # only once the new one is committed, so a failure at any step leaves the letter that was there.
        letter.file.save("letter.pdf", ContentFile(pdf), save=False)
        new_name = letter.file.name
        try:
            letter.reference = reference
            letter.issued_at = issued_at
            letter.sent_at = None  # the new letter is owed: one e-mail for this issue
            letter.failed_at = None
            letter.last_error = ""
            letter.save(update_fields=["file", "reference", "issued_at", "sent_at", "failed_at", "last_error"])
            audit_record(
                actor=actor,
                action="participant.visa_letter_issue" if first else "participant.visa_letter_reissue",
                target=locked,
                conference=locked.conference,
                changes={"visa_letter_reference": reference, "visa_letter_issued_at": issued_at.isoformat()},
            )
        except Exception:
            storage.delete(new_name)
            raise
        if old_name and old_name != new_name:
            transaction.on_commit(lambda: storage.delete(old_name))
        send_visa_letter_task.delay_on_commit(participant_id=locked.pk)
    return letter


def visa_letter_download_record(letter: VisaLetter, *, actor) -> None:
    """Write a download of a visa letter (passport data inside) to the audit log."""
    participant = letter.participant
    own = getattr(actor, "pk", None) is not None and actor.pk == participant.user_id
    audit_record(
        actor=actor,
        action="participant.visa_letter_download",
        target=participant,
        conference=participant.conference,
        changes={"visa_letter_reference": letter.reference, "by": "participant" if own else "staff"},
    )
    if not own:  # the read log tells a participant who else read their data
        record_read(participant, reader=actor, kind=RetentionKind.SENSITIVE, what="visa_letter",
                    where=ReadWhere.DOWNLOAD)


def visa_letter_queue_issue(participant_id: int) -> None:
    """Queue the issue of ``participant_id``'s visa letter if they are approved and asked for one (called after
    the approval commits)."""
    if VisaLetter.objects.filter(
        participant_id=participant_id, participant__status=ParticipantStatus.APPROVED, requested=True
    ).exists():
        issue_visa_letter_task.delay_on_commit(participant_id=participant_id)


def visa_letter_queue_reissue(participant_ids, *, actor) -> None:
    """Queue, after commit, the issue again of each participant's letter by ``actor`` (the admin action): the PDFs
    are rendered by the task, one participant at a time, never in the request."""
    actor_id = getattr(actor, "pk", None)
    for participant_id in participant_ids:
        issue_visa_letter_task.delay_on_commit(participant_id=participant_id, reissue=True, actor_id=actor_id)


def visa_letter_send(participant_id: int, *, final_attempt: bool = True) -> bool:
    """E-mail the stored letter to the participant, in their language, with the PDF attached, once per issue.

    The letter's row is locked for the whole send and ``sent_at`` is written in the same transaction, so a
    redelivered or retried task sends nothing once a send has committed (the letter carries the passport number).
    Returns True if it sent now. On an SMTP/network error ``last_error`` is recorded (``failed_at`` on the final
    attempt or a permanent fault) and a transient error re-raised for the task's retry.
    """
    try:
        with transaction.atomic():
            letter = (
                VisaLetter.objects.select_for_update(of=("self",))
                .select_related("participant__conference", "participant__delegation")
                .filter(participant_id=participant_id)
                .first()
            )
            if letter is None or not letter.file or letter.sent_at is not None:
                return False
            letter.sent_at = timezone.now()
            letter.failed_at = None
            letter.last_error = ""
            letter.save(update_fields=["sent_at", "failed_at", "last_error"])
            with letter.file.open("rb") as handle:
                content = handle.read()
            visa_letter_email(letter, content).send()
        return True
    except Exception as exc:
        permanent = is_permanent(exc)
        if not permanent and not is_transient(exc):
            raise
        VisaLetter.objects.filter(participant_id=participant_id, sent_at__isnull=True).update(
            last_error=describe_error(exc),
            failed_at=timezone.now() if permanent or final_attempt else None,
        )
        if permanent:
            logger.warning("visa letter e-mail of participant %s not sent: %s", participant_id, describe_error(exc))
            return False
        raise
