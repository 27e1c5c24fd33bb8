"""Writes of the official documents: asking for a List of Participants edition (reused when its rows have not
changed), rendering and storing it (in a task); tent cards; certificates (issue, render, revoke)."""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from conference.honorifics import printed_honorific
from conference.languages import is_known
from conference.models import Conference
from conference.services import AccordError, audit_record

from . import rendering, selectors
from .models import (
    Certificate,
    CertificateRun,
    CertificateRunStatus,
    DocumentKind,
    ListEditionKind,
    ListStatus,
    ParticipantListEdition,
)

logger = logging.getLogger(__name__)

#: How long a queued edition is reused by an identical request before it counts as stalled.
QUEUED_REUSE_WINDOW = datetime.timedelta(minutes=15)


def _hash(payload) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _document_rows(conference: Conference, document: str, language: str):
    if document == DocumentKind.TENT_CARDS:
        return selectors.tent_card_rows(conference, language)
    return selectors.participant_list_rows(conference, language)


def _count(document: str, rows: list[dict]) -> int:
    if document == DocumentKind.TENT_CARDS:
        return len(rows)
    return sum(len(group["members"]) for group in rows)


def document_fingerprint(conference: Conference, rows: list[dict], *, document: str, language: str, edition: str,
                         edition_date: datetime.date) -> str:
    """The hash of everything the file prints: its rows, edition, date, language, the conference's heading."""
    heading = [conference.name, conference.name_fr, conference.name_ar, conference.city, conference.city_fr,
               conference.city_ar, conference.start_date, conference.end_date]
    return _hash({"document": document, "rows": rows, "language": language, "edition": edition,
                  "date": edition_date, "heading": heading, "v": rendering.TEMPLATE_VERSION})


def participant_list_request(conference: Conference, *, language: str, edition: str = ListEditionKind.PROVISIONAL,
                             edition_date: datetime.date | None = None, document: str = DocumentKind.PARTICIPANT_LIST,
                             actor=None) -> tuple[ParticipantListEdition, bool]:
    """The stored List of Participants (or tent cards) for the data of now: ``(edition, reused)``. The same rows,
    edition, date and language as a rendered (or queued) file reuse it; otherwise a new one is queued for the
    task. Tent cards take ``language`` "en" or "fr" (their Latin-script line)."""
    if document not in DocumentKind.values:
        raise AccordError(_("Unknown document."))
    allowed = ("en", "fr") if document == DocumentKind.TENT_CARDS else ("en", "fr", "ar")
    if not is_known(language) or language not in allowed:
        raise AccordError(_("Choose one of the working languages.") if document == DocumentKind.PARTICIPANT_LIST
                          else _("The Latin-script line of the tent cards is in English or French."))
    if edition not in ListEditionKind.values:
        raise AccordError(_("Choose a provisional or a final edition."))
    edition_date = edition_date or timezone.localdate(timezone=conference.tz)
    if not isinstance(edition_date, datetime.date):
        raise AccordError(_("Give the date of the edition."))
    rows = _document_rows(conference, document, language)
    fingerprint = document_fingerprint(conference, rows, document=document, language=language, edition=edition,
                                       edition_date=edition_date)
    # A queued edition is reused while its task may still run; one queued longer (its worker died) is not.
    existing = (ParticipantListEdition.objects
                .filter(Q(status=ListStatus.DONE)
                        | Q(status=ListStatus.QUEUED, created_at__gte=timezone.now() - QUEUED_REUSE_WINDOW),
                        conference=conference, fingerprint=fingerprint)
                .order_by("-created_at").first())
    if existing is not None:
        return existing, True
    from onsite.tasks import participant_list_render_task

    with transaction.atomic():
        item = ParticipantListEdition.objects.create(
            conference=conference, document=document, language=language, edition=edition,
            edition_date=edition_date, fingerprint=fingerprint, rows=_count(document, rows), requested_by=actor,
        )
        audit_record(actor=actor, action=f"{document}.request", target=item, conference=conference,
                     changes={"language": language, "edition": edition, "date": str(edition_date)})
        participant_list_render_task.delay_on_commit(edition_id=item.pk)
    return item, False


def participant_list_render(item: ParticipantListEdition) -> ParticipantListEdition:
    """Render and store ``item`` (queued); the rows are read again, so the file shows the data of now and the
    fingerprint is updated to match it. Idempotent: a rendered edition is left alone; a failed render is marked
    failed with its error."""
    with transaction.atomic():
        locked = ParticipantListEdition.objects.select_for_update().select_related("conference").get(pk=item.pk)
        if locked.status == ListStatus.DONE:
            return locked
        conference = locked.conference
        rows = _document_rows(conference, locked.document, locked.language)
        try:
            if locked.document == DocumentKind.TENT_CARDS:
                content = rendering.render_tent_cards(conference, rows)
            else:
                content = rendering.render_participant_list(conference, rows, language=locked.language,
                                                            edition=locked.edition, edition_date=locked.edition_date)
        except Exception as exc:  # a broken render is recorded on the edition, not lost in the worker's log
            locked.status = ListStatus.FAILED
            locked.error = str(exc)[:2000]
            locked.save(update_fields=["status", "error"])
            return locked
        locked.fingerprint = document_fingerprint(conference, rows, document=locked.document,
                                                  language=locked.language, edition=locked.edition,
                                                  edition_date=locked.edition_date)
        prefix = "tent-cards" if locked.document == DocumentKind.TENT_CARDS else f"lop-{locked.edition}"
        name = f"{conference.slug}-{prefix}-{locked.edition_date:%Y%m%d}-{locked.language}-{locked.pk}.pdf"
        locked.file.save(name, ContentFile(content), save=False)
        locked.rows = _count(locked.document, rows)
        locked.status = ListStatus.DONE
        locked.error = ""
        locked.rendered_at = timezone.now()
        locked.save(update_fields=["fingerprint", "file", "rows", "status", "error", "rendered_at"])
    return locked


def document_settings_save(conference: Conference, *, kind_order: list[str], named_card_ids=None, actor=None):
    """Set the conference's order of delegation kinds (every kind at most once, known kinds only) and, when given,
    the persons with their own tent card (participants of this conference)."""
    from conference.enums import DelegationKind

    from .models import DocumentSettings

    if len(set(kind_order)) != len(kind_order) or any(kind not in DelegationKind.values for kind in kind_order):
        raise AccordError(_("List each kind of delegation once, among the known kinds."))
    with transaction.atomic():
        row, _created = DocumentSettings.objects.get_or_create(conference=conference)
        before = list(row.kind_order)
        row.kind_order = list(kind_order)
        row.save(update_fields=["kind_order"])
        changes = {"kind_order": [before, row.kind_order]}
        if named_card_ids is not None:
            from registration.models import Participant

            ids = set(Participant.objects.filter(conference=conference, pk__in=list(named_card_ids))
                      .values_list("pk", flat=True))
            if ids != {int(pk) for pk in named_card_ids}:
                raise AccordError(_("A person with a tent card must be a participant of this conference."))
            row.named_cards.set(sorted(ids))
            changes["named_cards"] = sorted(ids)
        audit_record(actor=actor, action="document_settings.save", target=row, conference=conference,
                     changes=changes)
    return row


# --- certificates of attendance ------------------------------------------------------------------------


def new_certificate_code() -> str:
    """Random, unguessable, short enough to type: 16 characters of an alphabet without look-alikes (80 bits)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


def certificate_verify_url(code: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('registration:certificate_verify', args=[code])}"


def certificate_data(certificate: Certificate) -> dict:
    """What the certificate prints (plain values; the participant, delegation and conference prefetched)."""
    participant = certificate.participant
    conference = certificate.conference
    language = certificate.language
    name = (participant.badge_name_ar if language == "ar" and participant.badge_name_ar else participant.printed_name)
    return {
        "conference": conference,
        "language": language,
        "title": printed_honorific(conference, participant.title, participant.gender, language),
        "name": name,
        "delegation": participant.delegation.display_name(language) if participant.delegation else "",
        "days": [datetime.date.fromisoformat(day) for day in certificate.days],
        "code": certificate.code,
        "verify_url": certificate_verify_url(certificate.code),
    }


def _certificate_fingerprint(data: dict) -> str:
    return _hash({**{key: value for key, value in data.items() if key != "conference"},
                  "conference": [data["conference"].name, data["conference"].name_fr, data["conference"].name_ar],
                  "v": rendering.TEMPLATE_VERSION})


def _lock_participant(participant_id: int) -> None:
    """Lock the participant's row until the end of the transaction: issues of their certificate take turns."""
    from registration.models import Participant

    Participant.objects.select_for_update().filter(pk=participant_id).values_list("pk", flat=True).first()


def _certificate_issue(participant, *, actor=None) -> tuple[Certificate, bool]:
    """``(certificate, created)``; see :func:`certificate_issue`. The participant's row is locked first, so two
    issues of the same certificate at once (two runs, a redelivered task, the admin action) take turns: the second
    finds the first's certificate and only brings it up to date (the unique participant keeps it single)."""
    from onsite.tasks import certificate_render_task
    from registration.enums import ParticipantStatus

    if participant.status != ParticipantStatus.APPROVED or participant.checked_in_at is None:
        raise AccordError(_("Only participants who were checked in receive a certificate of attendance."))
    with transaction.atomic():
        _lock_participant(participant.pk)
        certificate = Certificate.objects.select_for_update().filter(participant=participant).first()
        if certificate is not None and certificate.revoked_at is not None:
            raise AccordError(_("This certificate was revoked; it cannot be issued again."))
        days = [day.isoformat() for day in selectors.attended_days(participant)]
        language = participant.preferred_language if participant.preferred_language in ("en", "fr", "ar") else "en"
        created = certificate is None
        if created:
            certificate = Certificate.objects.create(
                conference=participant.conference, participant=participant, code=new_certificate_code(),
                language=language, days=days, issued_at=timezone.now(), issued_by=actor if getattr(actor, "pk", None) else None,
            )
            audit_record(actor=actor, action="certificate.issue", target=certificate,
                         conference=participant.conference, changes={"days": days})
        elif certificate.days != days or certificate.language != language:
            certificate.days, certificate.language = days, language
            certificate.save(update_fields=["days", "language"])
            audit_record(actor=actor, action="certificate.update", target=certificate,
                         conference=participant.conference, changes={"days": days, "language": language})
        certificate_render_task.delay_on_commit(certificate_id=certificate.pk)
    return certificate, created


def certificate_issue(participant, *, actor=None) -> Certificate:
    """Issue (or bring up to date) ``participant``'s certificate of attendance: refused unless they were checked
    in; a revoked certificate stays revoked. The days are those they were seen (check-in, door scans); the file is
    rendered by a task."""
    return _certificate_issue(participant, actor=actor)[0]


def certificates_issue(conference: Conference, participant_ids=None, *, actor=None) -> tuple[int, int]:
    """Issue the certificates of the checked-in participants among ``participant_ids`` (default: all of the
    conference) here and now: ``(issued, skipped)``; the skipped were not checked in or have a revoked certificate.
    For scripts and tests; the organizers' pages queue a :class:`CertificateRun` (:func:`certificate_run_request`)."""
    from registration.models import Participant

    queryset = Participant.objects.filter(conference=conference).select_related("conference", "delegation")
    if participant_ids is not None:
        queryset = queryset.filter(pk__in=list(participant_ids))
    issued = skipped = 0
    for participant in queryset.order_by("pk"):
        try:
            certificate_issue(participant, actor=actor)
        except AccordError:
            skipped += 1
        else:
            issued += 1
    return issued, skipped


# --- issuing certificates in a task, in chunks ---------------------------------------------------------------

#: Participants per chunk: each chunk commits its certificates together with the run's progress.
CERTIFICATE_RUN_CHUNK = 50


NOBODY_CHECKED_IN = _lazy("Nobody to issue a certificate to: no participant of this choice was checked in.")


def _run_lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "ACCORD_CERTIFICATE_RUN_LEASE_SECONDS", 300))


def _run_participants(conference: Conference, *, delegation=None, participant_ids=None):
    """Whom a run goes through, by id: the selected participants of the conference (those not checked in are
    skipped), else the checked-in approved participants of the conference or of ``delegation``."""
    from registration.enums import ParticipantStatus
    from registration.models import Participant

    queryset = Participant.objects.filter(conference=conference).select_related("conference", "delegation")
    if delegation is not None:
        queryset = queryset.filter(delegation=delegation)
    if participant_ids:
        queryset = queryset.filter(pk__in=list(participant_ids))
    else:
        queryset = queryset.filter(status=ParticipantStatus.APPROVED, checked_in_at__isnull=False)
    return queryset.order_by("pk")


def certificate_run_total(conference: Conference, *, delegation=None, participant_ids=None) -> int:
    """How many participants a run with this choice would go through now."""
    return _run_participants(conference, delegation=delegation, participant_ids=participant_ids).count()


def certificate_run_request(conference: Conference, *, actor, delegation=None, participant_ids=None) -> CertificateRun:
    """Record an issue of certificates (the conference's checked-in participants, a delegation's, or the
    selected) and queue its task after commit; returns at once. Refused (``AccordError``) for a delegation or
    participant of another conference, or when nobody is to be issued a certificate. Audit ``certificate.run``."""
    if delegation is not None and delegation.conference_id != conference.pk:
        raise AccordError(_("This delegation belongs to another conference."))
    ids = sorted({int(pk) for pk in participant_ids or []})
    if ids and _run_participants(conference, participant_ids=ids).count() != len(ids):
        raise AccordError(_("Some of the selected participants belong to another conference."))
    total = certificate_run_total(conference, delegation=delegation, participant_ids=ids)
    if total == 0:
        raise AccordError(NOBODY_CHECKED_IN)
    from onsite.tasks import certificate_run_task

    with transaction.atomic():
        run = CertificateRun.objects.create(
            conference=conference, delegation=delegation, participant_ids=ids, total=total,
            requested_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(actor=actor, action="certificate.run", target=run, conference=conference,
                     changes={"delegation": delegation.code if delegation else "", "selected": len(ids),
                              "total": total})
        certificate_run_task.delay_on_commit(run_id=run.pk)
    return run


def certificate_run_execute(run: CertificateRun) -> CertificateRun:
    """Work through the run in chunks of :data:`CERTIFICATE_RUN_CHUNK` participants. Each chunk is one transaction
    that locks the run, issues (or brings up to date) each certificate and records the progress and the last
    participant done; a task delivered again while the run is held by a live worker leaves it alone, one whose
    worker died carries on after the last committed chunk. Done when no participant is left; a failure marks the
    run failed with its error (a new request starts over, reusing what was issued)."""
    now = timezone.now()
    stale = Q(status=CertificateRunStatus.RUNNING) & (Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - _run_lease()))
    claimed = CertificateRun.objects.filter(Q(status=CertificateRunStatus.QUEUED) | stale, pk=run.pk).update(
        status=CertificateRunStatus.RUNNING, heartbeat_at=now)
    if not claimed:
        run.refresh_from_db()
        return run  # done, failed, or running in a live worker
    try:
        while True:
            with transaction.atomic():
                locked = (CertificateRun.objects.select_for_update(of=("self",))
                          .select_related("conference", "delegation", "requested_by").get(pk=run.pk))
                if locked.status != CertificateRunStatus.RUNNING:
                    return locked
                chunk = list(_run_participants(locked.conference, delegation=locked.delegation,
                                               participant_ids=locked.participant_ids)
                             .filter(pk__gt=locked.last_participant_id)[:CERTIFICATE_RUN_CHUNK])
                for participant in chunk:
                    try:
                        _certificate, created = _certificate_issue(participant, actor=locked.requested_by)
                    except AccordError:
                        locked.skipped += 1
                    else:
                        if created:
                            locked.issued += 1
                        else:
                            locked.refreshed += 1
                fields = ["heartbeat_at"]
                locked.heartbeat_at = timezone.now()
                if chunk:
                    locked.processed += len(chunk)
                    locked.last_participant_id = chunk[-1].pk
                    fields += ["processed", "issued", "refreshed", "skipped", "last_participant_id"]
                else:
                    locked.status = CertificateRunStatus.DONE
                    locked.total = locked.processed
                    locked.finished_at = locked.heartbeat_at
                    fields += ["status", "total", "finished_at"]
                locked.save(update_fields=fields)
                if not chunk:
                    return locked
    except Exception as exc:
        logger.exception("certificate run %s failed", run.pk)
        CertificateRun.objects.filter(pk=run.pk).update(
            status=CertificateRunStatus.FAILED, error=str(exc)[:2000] or exc.__class__.__name__,
            finished_at=timezone.now())
        run.refresh_from_db()
        return run


def certificate_render(certificate: Certificate) -> Certificate:
    """Render and store the certificate's PDF, unless the stored one prints the same (fingerprint)."""
    with transaction.atomic():
        locked = (Certificate.objects.select_for_update(of=("self",))
                  .select_related("participant", "participant__delegation", "conference").get(pk=certificate.pk))
        if locked.revoked_at is not None:
            return locked
        data = certificate_data(locked)
        fingerprint = _certificate_fingerprint(data)
        if locked.file and locked.fingerprint == fingerprint:
            return locked
        content = rendering.render_certificate(data)
        locked.file.save(f"{locked.conference.slug}-{locked.participant.public_id}-{fingerprint[:10]}.pdf",
                         ContentFile(content), save=False)
        locked.fingerprint = fingerprint
        locked.save(update_fields=["file", "fingerprint"])
    return locked


def certificate_revoke(certificate: Certificate, *, reason: str, actor=None) -> Certificate:
    """Revoke the certificate: its verification page answers "revoked" from now on. A reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise AccordError(_("Give the reason for revoking the certificate."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            raise AccordError(_("This certificate is already revoked."))
        locked.revoked_at = timezone.now()
        locked.revoked_reason = reason[:300]
        locked.save(update_fields=["revoked_at", "revoked_reason"])
        audit_record(actor=actor, action="certificate.revoke", target=locked, conference=locked.conference,
                     changes={"reason": locked.revoked_reason})
    return locked


def certificate_for_code(code: str) -> Certificate | None:
    """The certificate a verification code names (forged or unknown: ``None``), revoked ones included."""
    code = (code or "").strip().upper()
    if not code or len(code) > 32:
        return None
    return (Certificate.objects.select_related("participant", "participant__delegation", "conference")
            .filter(code=code).first())
