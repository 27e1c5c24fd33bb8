"""Writes for participants: create, update, and the organizer's decisions (approve, reject, cancel).

Every function here runs in one transaction, records an audit entry, and queues its e-mails with
``delay_on_commit`` so that nothing is sent for a change that was rolled back.

Signatures are stable (other modules call them):

* ``participant_create(conference, *, email, actor=None, **fields) -> Participant``
* ``participant_update(participant, *, actor, **fields) -> Participant``
* ``participant_approve(participant, *, actor, reason="") -> Participant``
* ``participant_reject(participant, *, actor, reason) -> Participant``
* ``participant_cancel(participant, *, actor, reason="") -> Participant``
* ``participants_approve / participants_reject / participants_cancel(participants, *, actor, reason)``
  -> ``BulkResult`` (done and skipped with reasons)
* ``participant_notice_send(notice_id) -> bool`` (called by the decision e-mail task)
"""

from __future__ import annotations

import datetime
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.mail import describe_error, is_permanent, is_transient
from conference.models import Conference, Delegation
from conference.services import AccordError, audit_record
from conference.validators import single_line_problem
from privacy.services.notices import consents_changed

from ..enums import ParticipantCategory, ParticipantStatus, RequestKind
from ..models import Participant, ParticipantNotice
from ..search import NAME_FIELDS, participant_search_text
from ..signals import participant_approved, participant_changed
from ..tasks.participants import send_participant_notice_task

logger = logging.getLogger(__name__)

# Fields whose values never go into the audit log (only the fact that they changed).
SENSITIVE_FIELDS = frozenset(
    {"photo", "phone"}
)
# Fields participant_update refuses: identifiers and workflow fields have their own services.
PROTECTED_FIELDS = frozenset(
    {"id", "pk", "conference", "conference_id", "public_id", "status", "decided_at", "decided_by",
     "decided_by_id", "checked_in_at", "checked_in_by", "checked_in_by_id", "created_at", "updated_at",
     "search_name"}
)

# Which status each decision may start from.
APPROVABLE = frozenset({ParticipantStatus.INVITED, ParticipantStatus.SUBMITTED, ParticipantStatus.REJECTED})
REJECTABLE = frozenset({ParticipantStatus.INVITED, ParticipantStatus.SUBMITTED, ParticipantStatus.APPROVED})
CANCELLABLE = frozenset({ParticipantStatus.INVITED, ParticipantStatus.SUBMITTED, ParticipantStatus.APPROVED})


def normalize_email(email: str) -> str:
    """Lower-case and strip an address; raise AccordError if it is not an e-mail address."""
    value = (email or "").strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        raise AccordError(_("“%(email)s” is not a valid e-mail address.") % {"email": email}) from None
    return value


def new_public_id() -> str:
    """A random URL-safe identifier (22 characters) for URLs and file names."""
    return secrets.token_urlsafe(16)


def _duplicate_error(email: str) -> AccordError:
    return AccordError(
        _("A participant with the e-mail address %(email)s is already registered for this conference.")
        % {"email": email}
    )


def _audit_value(name: str, value: Any) -> Any:
    if name in SENSITIVE_FIELDS:
        return "(changed)"
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "code") and not isinstance(value, str):  # django-countries Country
        return value.code
    if isinstance(value, str | int | float | bool | list | dict) or value is None:
        return value
    return str(value)


def participant_create(
    conference: Conference,
    *,
    email: str,
    actor=None,
    delegation: Delegation | None = None,
    category: str = ParticipantCategory.DELEGATE,
    status: str = ParticipantStatus.INVITED,
    source: str = RequestKind.ORGANIZER,
    user=None,
    preferred_language: str = "en",
    **fields: Any,
) -> Participant:
    """Create a participant of ``conference``.

    The e-mail is normalised (stripped, lower-case) and must be unique in the conference: a second
    attempt (double click, two tabs, retried request) raises ``AccordError`` with a clear message, also
    when two requests race (the database constraint decides). ``public_id`` is random. ``fields`` are
    any other model fields (first_name, badge_name_ar, ...); names, position and organization refuse line
    breaks and other control or text-direction characters. Writes an audit entry ``participant.create``.
    """
    email = normalize_email(email)
    if delegation is not None and delegation.conference_id != conference.pk:
        raise AccordError(_("The delegation belongs to another conference."))
    if category not in ParticipantCategory.values:
        raise AccordError(_("Unknown category: %(category)s") % {"category": category})
    if status not in ParticipantStatus.values:
        raise AccordError(_("Unknown status: %(status)s") % {"status": status})
    bad = sorted(set(fields) & PROTECTED_FIELDS)
    if bad:
        raise AccordError(_("These fields cannot be set here: %(fields)s") % {"fields": ", ".join(bad)})
    problem = single_line_problem(Participant, fields)
    if problem:
        raise AccordError(problem)
    participant = Participant(
        conference=conference,
        delegation=delegation,
        email=email,
        category=category,
        status=status,
        source=source,
        user=user,
        preferred_language=preferred_language,
        public_id=new_public_id(),
        **fields,
    )
    participant.search_name = participant_search_text(participant)
    try:
        with transaction.atomic():
            participant.save()
            audit_record(
                actor=actor,
                action="participant.create",
                target=participant,
                conference=conference,
                changes={
                    "email": email,
                    "delegation": delegation.code if delegation else None,
                    "category": category,
                    "status": status,
                    "source": source,
                },
            )
    except IntegrityError as exc:
        if Participant.objects.filter(conference=conference, email__iexact=email).exists():
            raise _duplicate_error(email) from exc
        raise
    return participant


#: The participant's consent fields and their topic in the privacy app's consent log.
CONSENT_TOPICS = {"consent_directory": "directory", "consent_photos": "photos"}


def participant_update(participant: Participant, *, actor, **fields: Any) -> Participant:
    """Change ``fields`` of ``participant`` and record which changed (old → new) in the audit log.

    Values of sensitive fields (phone, photo, passport data) are never written to the log, only the
    fact that they changed. Status and identifiers cannot be changed here (use the decision services).
    Returns the participant; does nothing (and logs nothing) if no value differs.
    """
    bad = sorted(set(fields) & PROTECTED_FIELDS)
    if bad:
        raise AccordError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(bad)})
    if "email" in fields:
        fields["email"] = normalize_email(fields["email"])
    if "delegation" in fields and fields["delegation"] is not None:
        if fields["delegation"].conference_id != participant.conference_id:
            raise AccordError(_("The delegation belongs to another conference."))
    if "category" in fields and fields["category"] not in ParticipantCategory.values:
        raise AccordError(_("Unknown category: %(category)s") % {"category": fields["category"]})
    problem = single_line_problem(Participant, fields)
    if problem:
        raise AccordError(problem)
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        old = getattr(participant, name)
        if old != value:
            changes[name] = {"old": _audit_value(name, old), "new": _audit_value(name, value)}
            setattr(participant, name, value)
    if not changes:
        return participant
    update_fields = [Participant._meta.get_field(name).name for name in changes] + ["updated_at"]
    if any(name in changes for name in NAME_FIELDS):
        participant.search_name = participant_search_text(participant)
        update_fields.append("search_name")
    try:
        with transaction.atomic():  # the change and its audit entry, both or neither
            participant.save(update_fields=update_fields)
            audit_record(
                actor=actor, action="participant.update", target=participant, conference=participant.conference,
                changes=changes,
            )
            # Changes of consent are also in the privacy app's consent log (whoever made them, wherever).
            consent = {topic: changes[name] for name, topic in CONSENT_TOPICS.items() if name in changes}
            if consent:
                consents_changed(
                    participant, actor=actor, before={topic: change["old"] for topic, change in consent.items()},
                    after={topic: change["new"] for topic, change in consent.items()},
                )
    except IntegrityError as exc:
        if "email" in changes:
            raise _duplicate_error(fields["email"]) from exc
        raise
    if participant.status == ParticipantStatus.APPROVED:  # e.g. the desk keeps its pre-rendered badge current
        transaction.on_commit(lambda: participant_changed.send(sender=Participant, participant_id=participant.pk))
    return participant


def _decide(
    participant: Participant,
    *,
    actor,
    new_status: str,
    allowed_from: frozenset,
    reason: str,
    notice_kind: str,
    action: str,
) -> Participant:
    with transaction.atomic():
        locked = (
            Participant.objects.select_for_update(of=("self",))
            .select_related("conference", "delegation")
            .get(pk=participant.pk)
        )
        if locked.status == new_status:
            raise AccordError(
                _("%(name)s is already %(status)s.")
                % {"name": locked, "status": ParticipantStatus(new_status).label.lower()}
            )
        if locked.status not in allowed_from:
            raise AccordError(
                _("%(name)s cannot be %(status)s from the status “%(current)s”.")
                % {
                    "name": locked,
                    "status": ParticipantStatus(new_status).label.lower(),
                    "current": locked.get_status_display(),
                }
            )
        old_status = locked.status
        locked.status = new_status
        locked.status_reason = reason
        locked.decided_at = timezone.now()
        locked.decided_by = actor if getattr(actor, "pk", None) else None
        locked.save(update_fields=["status", "status_reason", "decided_at", "decided_by", "updated_at"])
        audit_record(
            actor=actor,
            action=action,
            target=locked,
            conference=locked.conference,
            changes={"status": {"old": old_status, "new": new_status}, "reason": reason},
        )
        notice = ParticipantNotice.objects.create(participant=locked, kind=notice_kind, reason=reason)
        send_participant_notice_task.delay_on_commit(notice_id=notice.pk)
        if new_status == ParticipantStatus.APPROVED:  # onsite: the badge; logistics: the visa letter (flow 3)
            transaction.on_commit(lambda: participant_approved.send(sender=Participant, participant_id=locked.pk))
    # Keep the caller's instance current.
    for name in ("status", "status_reason", "decided_at", "decided_by_id"):
        setattr(participant, name, getattr(locked, name))
    return locked


def participant_approve(participant: Participant, *, actor, reason: str = "") -> Participant:
    """Approve ``participant`` (from invited, submitted or rejected).

    Locks the row, sets status, ``decided_at``/``decided_by``, writes an audit entry and, after commit, e-mails
    the approval in the participant's preferred language and sends ``participant_approved`` (the badge, with its
    random token, is created by its receiver in onsite). Raises ``AccordError`` if the status does not allow it.
    """
    return _decide(
        participant, actor=actor, new_status=ParticipantStatus.APPROVED, allowed_from=APPROVABLE,
        reason=(reason or "").strip(), notice_kind=ParticipantNotice.Kind.APPROVED, action="participant.approve",
    )


def participant_reject(participant: Participant, *, actor, reason: str) -> Participant:
    """Reject ``participant`` with a (required) reason, which the e-mail sent after commit quotes."""
    reason = (reason or "").strip()
    if not reason:
        raise AccordError(_("Give a reason for the rejection."))
    return _decide(
        participant, actor=actor, new_status=ParticipantStatus.REJECTED, allowed_from=REJECTABLE,
        reason=reason, notice_kind=ParticipantNotice.Kind.REJECTED, action="participant.reject",
    )


def participant_cancel(participant: Participant, *, actor, reason: str = "") -> Participant:
    """Cancel ``participant``'s registration (withdrawn or cancelled by an organizer); e-mails after commit."""
    return _decide(
        participant, actor=actor, new_status=ParticipantStatus.CANCELLED, allowed_from=CANCELLABLE,
        reason=(reason or "").strip(), notice_kind=ParticipantNotice.Kind.CANCELLED, action="participant.cancel",
    )


@dataclass
class BulkResult:
    done: list[Participant] = field(default_factory=list)
    skipped: list[tuple[Participant, str]] = field(default_factory=list)
    #: Left out of a bulk approval: they never submitted their registration (counted apart, with the reason).
    not_submitted: list[Participant] = field(default_factory=list)


def never_submitted(participant: Participant) -> bool:
    """Invited and never submitted the form (or rejected before submitting): not for a bulk approval."""
    return participant.status == ParticipantStatus.INVITED or (
        participant.status == ParticipantStatus.REJECTED and participant.submitted_at is None
    )


def _bulk(decide, participants: Iterable[Participant], **kwargs) -> BulkResult:
    result = BulkResult()
    for participant in participants:
        try:
            result.done.append(decide(participant, **kwargs))
        except AccordError as exc:
            result.skipped.append((participant, str(exc)))
    return result


def participants_approve(participants: Iterable[Participant], *, actor, reason: str = "") -> BulkResult:
    """Approve each participant in its own transaction; those whose status forbids it are skipped, and those who
    never submitted their registration are left out (``BulkResult.not_submitted``): one by one, an organizer
    may still approve them (``participant_approve``)."""
    participants = list(participants)
    result = _bulk(participant_approve, [p for p in participants if not never_submitted(p)], actor=actor,
                   reason=reason)
    result.not_submitted = [p for p in participants if never_submitted(p)]
    return result


def participants_reject(participants: Iterable[Participant], *, actor, reason: str) -> BulkResult:
    """Reject each participant with the same reason; those whose status forbids it are skipped."""
    if not (reason or "").strip():
        raise AccordError(_("Give a reason for the rejection."))
    return _bulk(participant_reject, participants, actor=actor, reason=reason)


def participants_cancel(participants: Iterable[Participant], *, actor, reason: str = "") -> BulkResult:
    """Cancel each participant; those already cancelled or rejected are skipped."""
    return _bulk(participant_cancel, participants, actor=actor, reason=reason)


def participant_notice_send(notice_id: int, *, final_attempt: bool = True) -> bool:
    """Send the decision e-mail ``notice_id`` once.

    The notice row is locked for the whole send and ``sent_at`` is written in the same transaction, so a
    duplicated or retried task sends nothing once a send has committed. Returns True if it sent now.
    On an SMTP/network error the attempt is recorded (``last_error``; ``failed_at`` on the final attempt)
    and the error re-raised for the task's retry; a permanent fault sets ``failed_at`` at once, no retry.
    """
    from ..emails import decision_email

    try:
        with transaction.atomic():
            notice = (
                ParticipantNotice.objects.select_for_update(of=("self",))
                .select_related("participant__conference", "participant__delegation")
                .filter(pk=notice_id)
                .first()
            )
            if notice is None or notice.sent_at is not None:
                return False
            notice.sent_at = timezone.now()
            notice.attempts += 1
            notice.last_error = ""
            notice.failed_at = None
            notice.save(update_fields=["sent_at", "attempts", "last_error", "failed_at"])
            decision_email(notice).send()
        return True
    except Exception as exc:
        permanent = is_permanent(exc)
        if not permanent and not is_transient(exc):
            raise
        # A fault no retry cures (a 5xx answer, a message that cannot be built) fails the notice at once.
        ParticipantNotice.objects.filter(pk=notice_id, sent_at__isnull=True).update(
            attempts=F("attempts") + 1, last_error=describe_error(exc),
            failed_at=timezone.now() if permanent or final_attempt else None,
        )
        if permanent:
            logger.warning("decision e-mail %s not sent: %s", notice_id, describe_error(exc))
            return False
        raise

