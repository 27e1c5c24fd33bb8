"""The participant's requests: ask for deletion; organizers grant it (anonymize, aggregates kept) or refuse it
with a reason. Every step is in the audit log, and the answer is e-mailed by a task after commit."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.services import AccordError, audit_record

from ..enums import DeletionStatus
from ..models import DeletionRequest
from ..tasks import send_deletion_answer_task
from .purge import purge_participant


def deletion_request_open(participant, *, actor, message: str = "") -> DeletionRequest:
    """Open a request to delete ``participant``'s data (one pending at a time; AccordError for a second one)."""
    try:
        with transaction.atomic():
            request = DeletionRequest.objects.create(
                participant=participant, conference_id=participant.conference_id, message=message.strip(),
                notify_email=participant.email, notify_language=participant.preferred_language,
            )
            audit_record(actor=actor, action="privacy.deletion_request", target=request,
                         conference=participant.conference)
    except IntegrityError:
        raise AccordError(_("Your request for deletion is already with the organizers.")) from None
    send_deletion_answer_task.delay_on_commit(request_id=request.pk)
    return request


def _decide(request: DeletionRequest) -> DeletionRequest:
    locked = DeletionRequest.objects.select_for_update().select_related("participant__conference").get(pk=request.pk)
    if locked.status != DeletionStatus.PENDING:
        raise AccordError(_("This request has already been answered."))
    return locked


def deletion_request_grant(request: DeletionRequest, *, actor) -> DeletionRequest:
    """Anonymize the participant (every kind, one purge record each, the aggregates kept) and e-mail the answer."""
    with transaction.atomic():
        locked = _decide(request)
        purge_participant(locked.participant, deletion_request=locked, actor=actor)
        locked.status = DeletionStatus.GRANTED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(actor=actor, action="privacy.deletion_grant", target=locked, conference=locked.conference)
    send_deletion_answer_task.delay_on_commit(request_id=locked.pk)
    return locked


def deletion_request_refuse(request: DeletionRequest, *, actor, reason: str) -> DeletionRequest:
    """Refuse with ``reason`` (required: AccordError without one) and e-mail it."""
    reason = (reason or "").strip()
    if not reason:
        raise AccordError(_("Give the reason for the refusal: the participant receives it."))
    with transaction.atomic():
        locked = _decide(request)
        locked.status = DeletionStatus.REFUSED
        locked.reason = reason
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        audit_record(actor=actor, action="privacy.deletion_refuse", target=locked, conference=locked.conference,
                     changes={"reason": reason})
    send_deletion_answer_task.delay_on_commit(request_id=locked.pk)
    return locked


def deletion_answer_send(request_id: int) -> bool:
    """E-mail the request's acknowledgement (pending) or answer (granted, refused), once per state; a granted
    request's address is emptied once its answer is sent. Returns whether an e-mail went out."""
    from ..emails import deletion_email

    with transaction.atomic():
        request = (
            DeletionRequest.objects.select_for_update(of=("self",)).select_related("conference")
            .filter(pk=request_id).first()
        )
        if request is None or not request.notify_email:
            return False
        # The acknowledgement is sent while pending (notified_at empty); the answer once decided, after it.
        if request.notified_at and (request.status == DeletionStatus.PENDING or request.notified_at >= request.decided_at):
            return False
        message = deletion_email(request)
        message.send()
        request.notified_at = timezone.now()
        fields = ["notified_at"]
        if request.status == DeletionStatus.GRANTED:
            request.notify_email = ""
            fields.append("notify_email")
        request.save(update_fields=fields)
    return True
