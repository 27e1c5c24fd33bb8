"""Writes of the official documents: asking for a List of Participants edition (reused when its rows have not
changed), rendering and storing it (in a task); tent cards; certificates (issue, render, revoke)."""

from __future__ import annotations

import datetime
import hashlib
import json

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.languages import is_known
from conference.models import Conference
from conference.services import AccordError, audit_record

from . import rendering, selectors
from .models import DocumentKind, ListEditionKind, ListStatus, ParticipantListEdition


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
    existing = (ParticipantListEdition.objects
                .filter(conference=conference, fingerprint=fingerprint, status__in=[ListStatus.DONE, ListStatus.QUEUED])
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

