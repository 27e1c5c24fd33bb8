"""Badges: check-in tokens, what a badge shows, the cached single badge for the desk, and batches.

Three layers (pretix badges): :func:`badge_data` turns a participant into a plain dict (everything the badge
shows, already translated into the participant's language); the renderer is pure (``onsite/rendering.py``: dicts
in, PDF bytes out, no database; the page operations in ``onsite/pdfpages.py``); the services below store files
and record who printed what.

The QR code carries ``Signer(salt=...).sign(Badge.token)``: the token is random (never a database id or personal
data) and the signature lets the desk refuse a forged or garbled code before any lookup.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import secrets
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Least
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conference.enums import BadgeFormat
from conference.honorifics import printed_honorific
from conference.lists import join_list
from conference.models import Conference, Delegation
from conference.services import AccordError, audit_record
from registration.enums import ParticipantStatus
from registration.models import Participant

from .. import pdfpages
from ..enums import BatchStatus
from ..flags import flag_path
from ..models import Badge, BadgeBatch, BadgePage, BadgePrint, RevokedBadgeToken
from ..pdfpages import impose_sheets, merge_pages
from ..rendering import CHUNK_SIZE, LAYOUTS, SHEET_SIZE, render_badge_pages
from ..tasks import (
    badge_batch_chunk_task,
    badge_batch_fail_task,
    badge_batch_merge_task,
    badge_batch_task,
    badge_prerender_task,
)

logger = logging.getLogger(__name__)

SIGNING_SALT = "accord.registration.badge.checkin"
#: Bump when the badge template changes in a way that must invalidate every cached single-badge PDF.
TEMPLATE_VERSION = "2"
_NAME_SIZES = ((16, "size-xl"), (24, "size-l"), (34, "size-m"), (48, "size-s"))
_NAME_AR_SIZES = ((20, "size-xl"), (30, "size-l"), (42, "size-m"), (60, "size-s"))
#: Delegation names (countries up to "United Kingdom of Great Britain and Northern Ireland", organizations longer).
_DELEGATION_SIZES = ((34, "delegation-l"), (70, "delegation-m"), (120, "delegation-s"))


# --- tokens --------------------------------------------------------------------------------------


def new_token() -> str:
    return secrets.token_urlsafe(32)


def badge_code(badge: Badge) -> str:
    """What the QR code carries: the badge token, signed."""
    return signing.Signer(salt=SIGNING_SALT).sign(badge.token)


def token_from_code(code: str) -> str | None:
    """The token inside a scanned code, or ``None`` when the signature does not verify (forged, garbled)."""
    code = (code or "").strip()
    if not code or len(code) > 200:
        return None
    try:
        return signing.Signer(salt=SIGNING_SALT).unsign(code)
    except signing.BadSignature:
        return None


# --- data shown on a badge -----------------------------------------------------------------------


def _size_class(text: str, sizes) -> str:
    for limit, css_class in sizes:
        if len(text) <= limit:
            return css_class
    return "size-xs"


def _dates(conference: Conference) -> str:
    start, end = conference.start_date, conference.end_date
    if start == end:
        return date_format(end, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_format(end, 'j F Y')}"
    if start.year == end.year:
        return f"{date_format(start, 'j F')} – {date_format(end, 'j F Y')}"
    return f"{date_format(start, 'j F Y')} – {date_format(end, 'j F Y')}"


def _photo_path(participant: Participant) -> str:
    if not participant.photo:
        return ""
    try:
        path = Path(participant.photo.path).resolve()
    except (ValueError, NotImplementedError):
        return ""
    media_root = Path(settings.MEDIA_ROOT).resolve()
    return str(path) if path.is_relative_to(media_root) and path.is_file() else ""


def badge_formats(conference: Conference) -> list[str]:
    """The badge formats the conference prints: an approved participant's badge is pre-rendered in each, the
    first is the desk's and the batches'."""
    return [conference.badge_format if conference.badge_format in SHEET_SIZE else BadgeFormat.A6]


def badge_data(participant: Participant, *, badge: Badge | None = None, badge_format: str | None = None,
               memo: dict | None = None) -> dict:
    """Everything one badge shows, as a plain JSON-able dict, in the participant's language.

    Needs ``participant.conference`` and ``participant.delegation`` (select them) and the badge (pass it, or
    ``participant.badge`` is used). ``badge_format``: the conference's first format unless given. Names are
    printed as given; the template escapes them. ``memo``: a dict kept across the calls of one batch, where what
    many badges share (the conference's lines and each delegation's label and flag, per language) is worked out
    once.
    """
    badge = badge or participant.badge
    conference = participant.conference
    badge_format = badge_format or badge_formats(conference)[0]
    language = participant.preferred_language or "en"
    memo = {} if memo is None else memo
    with translation.override(language):
        delegation: Delegation | None = participant.delegation
        flag = ""
        if delegation is not None:
            key = ("delegation", delegation.pk, language)
            if key not in memo:
                memo[key] = (delegation.display_name(language),
                             flag_path(delegation.country.code if delegation.country else ""))
            delegation_label, flag = memo[key]
        else:
            delegation_label = participant.organization
        key = ("conference", conference.pk, language)
        if key not in memo:
            memo[key] = {
                "dir": "rtl" if translation.get_language_bidi() else "ltr",
                "conference_name": conference.localized_name(language),
                "dates": _dates(conference),
                "city": conference.localized_city(language),
            }
        name = participant.printed_name
        name_ar = participant.badge_name_ar
        data = {
            "format": badge_format,
            "lang": language,
            **memo[key],
            "name": name,
            "name_class": _size_class(name, _NAME_SIZES),
            "name_ar": name_ar,
            "name_ar_class": _size_class(name_ar, _NAME_AR_SIZES),
            # The title as this language and the participant's gender print it (the organizers' list).
            "honorific": printed_honorific(conference, participant.title, participant.gender, language),
            "delegation": delegation_label,
            "delegation_class": _size_class(delegation_label or "", _DELEGATION_SIZES).replace("size-", "delegation-"),
            "flag": flag,
            "category": participant.category,
            "category_label": participant.category_label,
            "code": badge_code(badge),
            "photo_path": _photo_path(participant),
        }
    return data


def badge_fingerprint(data: dict) -> str:
    """A hash of what the badge shows (photo file included): the key of the cached single-badge PDF."""
    photo = data.get("photo_path") or ""
    photo_stamp = ""
    if photo:
        stat = Path(photo).stat()
        photo_stamp = f"{stat.st_size}:{stat.st_mtime_ns}"
    payload = json.dumps({**data, "photo_stamp": photo_stamp, "v": TEMPLATE_VERSION}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


# --- the whole document (pages rendered in chunks, then merged or imposed) ------------------------


def render_badges(
    items: Sequence[dict | Participant],
    *,
    layout: str = "single",
    badge_format: str | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> bytes:
    """Pure renderer: one PDF, one badge a page (``single``) or A4 sheets with crop marks (``sheet``).

    ``items`` are dicts from :func:`badge_data` (participants with their badge are converted). The pages are
    rendered in chunks (bounded memory) by :func:`render_badge_pages`, then merged or imposed with pikepdf: the
    same pages as the desk's and a batch's. No database writes. (A batch renders only its missing pages, as chunk
    tasks any worker takes: :func:`badge_batch_run`.)
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    data = [badge_data(item) if isinstance(item, Participant) else item for item in items]
    if not data:
        raise ValueError("no badges to render")
    badge_format = badge_format or data[0]["format"]
    pages = []
    for start in range(0, len(data), chunk_size):
        pages += render_badge_pages(data[start : start + chunk_size], badge_format=badge_format)
    if layout == "sheet":
        return impose_sheets(pages, badge_format=badge_format)
    return pages[0] if len(pages) == 1 else merge_pages(pages)


# --- writes --------------------------------------------------------------------------------------


def _refuse_unapproved(participant: Participant) -> None:
    if participant.status != ParticipantStatus.APPROVED:
        raise AccordError(
            _("No badge for %(name)s: the registration is “%(status)s”, not approved.")
            % {"name": participant, "status": participant.get_status_display()}
        )


def badge_ensure(participant: Participant) -> Badge:
    """The participant's badge, created with a random token if missing (approved participants only)."""
    _refuse_unapproved(participant)
    try:
        badge = participant.badge  # loaded with select_related("badge"): no query
    except Badge.DoesNotExist:
        badge = None
    if badge is None:
        with transaction.atomic():
            badge, _created = Badge.objects.get_or_create(participant=participant, defaults={"token": new_token()})
    participant.badge = badge
    return badge


def badge_create_for_approved(participant_id: int) -> Badge | None:
    """Create the badge (random token) of a participant who is approved and has none; called after the approval
    commits. Returns the badge, or ``None`` when the participant is gone or no longer approved."""
    participant = Participant.objects.filter(pk=participant_id, status=ParticipantStatus.APPROVED).first()
    if participant is None:
        return None
    badge, _created = Badge.objects.get_or_create(participant=participant, defaults={"token": new_token()})
    return badge


def badge_revoke(participant: Participant, *, actor, reason: str = "") -> Badge:
    """Revoke the printed badge (lost, stolen): rotate the token, remember the old one as revoked.

    A scan of the old badge then answers "revoked"; the next print carries the new token. Clears the cached
    PDF and queues a new pre-render after commit. Writes an audit entry ``badge.revoke``.
    """
    badge_ensure(participant)
    with transaction.atomic():
        badge = Badge.objects.select_for_update().get(participant=participant)
        RevokedBadgeToken.objects.create(
            badge=badge, token=badge.token, revoked_by=actor if getattr(actor, "pk", None) else None, reason=reason
        )
        badge.token = new_token()
        badge.revoked_at = None
        badge.save(update_fields=["token", "revoked_at"])
        audit_record(
            actor=actor, action="badge.revoke", target=participant, conference=participant.conference,
            changes={"reason": reason},
        )
        badge_prerender_task.delay_on_commit(participant_id=participant.pk)
    participant.badge = badge
    return badge


def _desk_queryset():
    return Participant.objects.select_related("conference", "delegation", "badge")


def _page_current(page: BadgePage | None, fingerprint: str) -> bool:
    return bool(
        page is not None and page.fingerprint == fingerprint and page.pdf and page.pdf.storage.exists(page.pdf.name)
    )


def _pages_store(rows: list[tuple[Participant, str, bytes, BadgePage | None]], *, badge_format: str) -> None:
    """Store rendered pages (participant, fingerprint, PDF, previous page or ``None``) in one upsert; the
    previous files go."""
    if not rows:
        return
    storage = BadgePage._meta.get_field("pdf").storage
    stored, old_names = [], []
    for participant, fingerprint, content, page in rows:
        new = BadgePage(badge=participant.badge, badge_format=badge_format, fingerprint=fingerprint)
        new.pdf.save(f"{participant.public_id}-{badge_format}-{fingerprint[:12]}.pdf", ContentFile(content),
                     save=False)
        stored.append(new)
        if page is not None and page.pdf and page.pdf.name != new.pdf.name:
            old_names.append(page.pdf.name)
    BadgePage.objects.bulk_create(
        stored, update_conflicts=True, unique_fields=["badge", "badge_format"],
        update_fields=["pdf", "fingerprint", "rendered_at"],
    )
    for name in old_names:
        storage.delete(name)


def badge_prerender(participant: Participant) -> Badge | None:
    """Render and store the one-page PDF of the badge in each format the conference prints, unless the stored
    page still shows the same data (its fingerprint). Returns the badge, or ``None`` when the participant is not
    approved (nothing to render)."""
    if participant.status != ParticipantStatus.APPROVED:
        return None
    for badge_format in badge_formats(participant.conference):
        badge_page(participant, badge_format=badge_format)
    return participant.badge


def badge_page(participant: Participant, *, badge_format: str | None = None) -> BadgePage:
    """The current pre-rendered page of an approved participant's badge (rendered and stored when missing or
    stale)."""
    badge = badge_ensure(participant)
    badge_format = badge_format or badge_formats(participant.conference)[0]
    data = badge_data(participant, badge=badge, badge_format=badge_format)
    fingerprint = badge_fingerprint(data)
    page = BadgePage.objects.filter(badge=badge, badge_format=badge_format).first()
    if _page_current(page, fingerprint):
        return page
    (content,) = render_badge_pages([data], badge_format=badge_format)
    _pages_store([(participant, fingerprint, content, page)], badge_format=badge_format)
    return BadgePage.objects.get(badge=badge, badge_format=badge_format)


def badge_print_record(badge: Badge, *, actor, reprint_reason: str | None = None, batch: BadgeBatch | None = None):
    """Record one print of ``badge``; after the first print a reason is required (:class:`AccordError`)."""
    reason = (reprint_reason or "").strip()
    with transaction.atomic():
        locked = Badge.objects.select_for_update().get(pk=badge.pk)
        is_reprint = locked.printed_count > 0
        if is_reprint and not reason and batch is None:
            raise AccordError(_("This badge was already printed: give a reason for the reprint."))
        if is_reprint and not reason:
            reason = _("Batch reprint")
        now = timezone.now()
        printed = BadgePrint.objects.create(
            badge=locked, printed_by=actor if getattr(actor, "pk", None) else None, is_reprint=is_reprint,
            reason=reason if is_reprint else "", batch=batch,
        )
        locked.printed_count += 1
        locked.last_printed_at = now
        locked.save(update_fields=["printed_count", "last_printed_at"])
    badge.printed_count, badge.last_printed_at = locked.printed_count, locked.last_printed_at
    return printed


def badge_prints_record(badges: Sequence[Badge], *, actor, batch: BadgeBatch) -> None:
    """Record one print of each badge of a batch in a constant number of queries (reprints say so)."""
    from django.db.models import F

    ids = [badge.pk for badge in badges]
    with transaction.atomic():
        counts = dict(
            Badge.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", "printed_count")
        )
        staff = actor if getattr(actor, "pk", None) else None
        reason = _("Batch reprint")
        BadgePrint.objects.bulk_create(
            [
                BadgePrint(badge_id=pk, printed_by=staff, batch=batch, is_reprint=counts[pk] > 0,
                           reason=reason if counts[pk] > 0 else "")
                for pk in ids
            ],
            batch_size=500,
        )
        Badge.objects.filter(pk__in=ids).update(printed_count=F("printed_count") + 1, last_printed_at=timezone.now())


def badge_pdf_for_desk(participant: Participant, *, actor, reprint_reason: str | None = None) -> bytes:
    """The single-badge PDF for the desk printer, recording the print (a reprint needs a reason).

    Served from the stored page when its fingerprint matches what the badge shows (pre-rendered on approval
    and on changes); rendered and stored otherwise: the same page a batch merges. Raises :class:`AccordError` for a non-approved
    participant or a reprint without a reason.
    """
    _refuse_unapproved(participant)
    badge = badge_ensure(participant)
    if badge.printed_count > 0 and not (reprint_reason or "").strip():
        raise AccordError(_("This badge was already printed: give a reason for the reprint."))
    page = badge_page(participant)
    with page.pdf.open("rb") as handle:
        content = handle.read()
    badge_print_record(badge, actor=actor, reprint_reason=reprint_reason)
    audit_record(
        actor=actor, action="badge.reprint" if badge.printed_count > 1 else "badge.print", target=participant,
        conference=participant.conference, changes={"reason": (reprint_reason or "").strip()},
    )
    return content


def badge_participants(conference: Conference, *, delegation: Delegation | None = None, participant_ids=None):
    """Approved participants of a batch, in print order (delegation, surname, given name)."""
    queryset = _desk_queryset().filter(conference=conference, status=ParticipantStatus.APPROVED)
    if delegation is not None:
        queryset = queryset.filter(delegation=delegation)
    if participant_ids:
        queryset = queryset.filter(pk__in=participant_ids)
    return queryset.order_by("delegation__code", "last_name", "first_name", "pk")


def badge_batch_start(
    conference: Conference,
    *,
    actor,
    delegation: Delegation | None = None,
    participant_ids: list[int] | None = None,
    layout: str = "single",
) -> BadgeBatch:
    """Record a batch (who asked, for what) and queue its rendering after commit.

    Refuses (:class:`AccordError`) an unknown layout, a delegation of another conference, a selection with a
    participant who is not approved, or an empty set.
    """
    if layout not in LAYOUTS:
        raise AccordError(_("Unknown layout."))
    if delegation is not None and delegation.conference_id != conference.pk:
        raise AccordError(_("This delegation belongs to another conference."))
    ids = sorted({int(pk) for pk in participant_ids or []})
    if ids:
        chosen = Participant.objects.filter(conference=conference, pk__in=ids)
        if chosen.count() != len(ids):
            raise AccordError(_("Some of the selected participants belong to another conference."))
        refused = [str(p) for p in chosen.exclude(status=ParticipantStatus.APPROVED)]
        if refused:
            raise AccordError(
                _("Only approved participants get badges; not approved: %(names)s") % {"names": join_list(refused)}
            )
    total = badge_participants(conference, delegation=delegation, participant_ids=ids).count()
    if total == 0:
        raise AccordError(_("There is no approved participant to print a badge for."))
    with transaction.atomic():
        batch = BadgeBatch.objects.create(
            conference=conference, requested_by=actor if getattr(actor, "pk", None) else None,
            delegation=delegation, participant_ids=ids, layout=layout, total=total,
        )
        audit_record(
            actor=actor, action="badge.batch", target=batch, conference=conference,
            changes={"delegation": delegation.code if delegation else "", "count": total, "layout": layout},
        )
        badge_batch_task.delay_on_commit(batch_id=batch.pk)
    return batch


def _stale_running(now) -> Q:
    lease = datetime.timedelta(seconds=settings.ACCORD_BADGE_BATCH_LEASE_SECONDS)
    return Q(status=BatchStatus.RUNNING) & (Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - lease))


def badge_batch_can_rerun(batch: BadgeBatch, *, now=None) -> bool:
    """Failed, or running with a lapsed lease (its worker died): the batch may be run again."""
    if batch.status == BatchStatus.FAILED:
        return True
    if batch.status != BatchStatus.RUNNING:
        return False
    lease = datetime.timedelta(seconds=settings.ACCORD_BADGE_BATCH_LEASE_SECONDS)
    return batch.heartbeat_at is None or batch.heartbeat_at < (now or timezone.now()) - lease


def badge_batch_rerun(batch: BadgeBatch, *, actor) -> BadgeBatch:
    """Queue a failed batch, or a running one whose worker died, again; refuse any other.

    Side effects: status ``queued``, audit entry ``badge_batch.rerun``, the task queued on commit.
    """
    with transaction.atomic():
        requeued = BadgeBatch.objects.filter(
            Q(status=BatchStatus.FAILED) | _stale_running(timezone.now()), pk=batch.pk
        ).update(status=BatchStatus.QUEUED, error="", done=0, heartbeat_at=None, finished_at=None)
        if not requeued:
            raise AccordError(_("This batch is not failed or stalled; it cannot be run again."))
        audit_record(actor=actor, action="badge_batch.rerun", target=batch, conference=batch.conference)
        badge_batch_task.delay_on_commit(batch_id=batch.pk)
    batch.refresh_from_db()
    return batch


#: A merge that finds pages missing (a chunk lost, a badge changed meanwhile) queues them again this many times
#: before the batch fails.
MERGE_ROUNDS = 3


def _batch_rows(batch: BadgeBatch) -> tuple[str, list[tuple[Participant, str, BadgePage | None]]]:
    """The batch's format and, in print order, each participant with the fingerprint of what their badge shows
    and their stored page in that format (or ``None``). A constant number of queries for badges that exist."""
    # The batch's conference and the few delegations are one object each, shared by every row (not one copy a
    # row from a join): most of what loading 500 participants cost.
    participants = list(
        badge_participants(batch.conference, delegation=batch.delegation, participant_ids=batch.participant_ids)
        .select_related(None).select_related("badge").prefetch_related("delegation")
    )
    for participant in participants:
        participant.conference = batch.conference
    badge_format = badge_formats(batch.conference)[0]
    for participant in participants:
        badge_ensure(participant)
    pages = {
        page.badge_id: page
        for page in BadgePage.objects.filter(badge__in=[p.badge for p in participants], badge_format=badge_format)
    }
    memo: dict = {}
    rows = [
        (participant, badge_fingerprint(badge_data(participant, badge_format=badge_format, memo=memo)),
         pages.get(participant.badge.pk))
        for participant in participants
    ]
    return badge_format, rows


def _chunk_size() -> int:
    return max(1, int(getattr(settings, "ACCORD_BADGE_CHUNK_SIZE", CHUNK_SIZE)))


def _batch_render_missing(batch: BadgeBatch, missing: list[int], *, badge_format: str, round_number: int,
                          queue: str | None) -> None:
    """Send the missing pages out as a Celery chord: chunk tasks any worker takes, then the merge."""
    from celery import chord

    size = _chunk_size()
    chunks = [missing[i : i + size] for i in range(0, len(missing), size)]
    options = {"queue": queue} if queue else {}
    header = [
        badge_batch_chunk_task.si(batch_id=batch.pk, participant_ids=chunk, badge_format=badge_format).set(**options)
        for chunk in chunks
    ]
    body = badge_batch_merge_task.s(batch_id=batch.pk, round_number=round_number).set(**options)
    body.on_error(
        badge_batch_fail_task.si(batch_id=batch.pk, error="a chunk of badges failed to render (see the log)")
        .set(**options)
    )
    BadgeBatch.objects.filter(pk=batch.pk).update(
        chunks=F("chunks") + len(chunks), done=batch.total - len(missing), heartbeat_at=timezone.now()
    )
    logger.info("badge batch %s: %d pages to render in %d chunks (round %d)", batch.pk, len(missing), len(chunks),
                round_number)
    chord(header)(body)


def _fail(batch: BadgeBatch, exc: Exception) -> BadgeBatch:
    logger.error("badge batch %s failed: %s", batch.pk, exc)
    BadgeBatch.objects.filter(pk=batch.pk).exclude(status=BatchStatus.DONE).update(
        status=BatchStatus.FAILED, error=str(exc)[:2000] or exc.__class__.__name__, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


def badge_batch_run(batch: BadgeBatch, *, queue: str | None = None) -> BadgeBatch:
    """Claim the batch and take the current pre-rendered pages (by fingerprint): when every page is there,
    merge them at once; else send the missing ones out as chunk tasks (:func:`badge_batch_chunk_render`) on
    ``queue``, followed by :func:`badge_batch_merge`. Progress (``done``) counts the pages ready.

    A failure sets ``failed`` with the error; the batch can be run again.
    """
    now = timezone.now()
    claimed = BadgeBatch.objects.filter(
        Q(status__in=[BatchStatus.QUEUED, BatchStatus.FAILED]) | _stale_running(now), pk=batch.pk
    ).update(status=BatchStatus.RUNNING, error="", done=0, chunks=0, chunks_done=0, parts=[], heartbeat_at=now)
    batch.refresh_from_db()
    if not claimed:
        return batch  # running elsewhere (lease held), or already done
    try:
        badge_format, rows = _batch_rows(batch)
        if not rows:
            raise AccordError(_("There is no approved participant to print a badge for."))
        missing = [participant.pk for participant, fingerprint, page in rows if not _page_current(page, fingerprint)]
        batch.total = len(rows)
        BadgeBatch.objects.filter(pk=batch.pk).update(total=batch.total, done=batch.total - len(missing))
        if not missing:
            return _batch_finish(batch, badge_format, rows)
        _batch_render_missing(batch, missing, badge_format=badge_format, round_number=1, queue=queue)
    except Exception as exc:
        return _fail(batch, exc)
    batch.refresh_from_db()
    return batch


def badge_batch_chunk_render(*, batch_id: int, participant_ids: list[int], badge_format: str) -> dict:
    """Render and store the pages of one chunk of a batch that are not current (a redelivered chunk renders only
    what it had not stored), then count the chunk done. Returns ``pages``, ``rendered``, ``seconds`` and the
    process's peak memory (``peak_rss_mb``)."""
    import resource
    import time

    start = time.perf_counter()
    participants = list(
        _desk_queryset().filter(pk__in=participant_ids, status=ParticipantStatus.APPROVED).order_by("pk")
    )
    for participant in participants:
        badge_ensure(participant)
    pages = {
        page.badge_id: page
        for page in BadgePage.objects.filter(badge__in=[p.badge for p in participants], badge_format=badge_format)
    }
    todo = []
    memo: dict = {}
    for participant in participants:
        data = badge_data(participant, badge_format=badge_format, memo=memo)
        fingerprint = badge_fingerprint(data)
        page = pages.get(participant.badge.pk)
        if not _page_current(page, fingerprint):
            todo.append((participant, data, fingerprint, page))
    contents = render_badge_pages([data for _p, data, _f, _page in todo], badge_format=badge_format)
    _pages_store(
        [(participant, fingerprint, content, page)
         for (participant, _data, fingerprint, page), content in zip(todo, contents, strict=True)],
        badge_format=badge_format,
    )
    BadgeBatch.objects.filter(pk=batch_id, status=BatchStatus.RUNNING).update(
        done=Least(F("done") + len(participant_ids), F("total")), chunks_done=F("chunks_done") + 1,
        heartbeat_at=timezone.now(),
    )
    return {
        "pages": len(participant_ids), "rendered": len(todo), "seconds": round(time.perf_counter() - start, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def badge_batch_merge(batch: BadgeBatch, *, parts: list[dict] | None = None, round_number: int = 1,
                      queue: str | None = None) -> BadgeBatch:
    """After every chunk: check that each participant's current page is there, then merge (or impose) and mark
    the batch done; pages still missing (a chunk lost, a badge changed meanwhile) are queued again, up to
    :data:`MERGE_ROUNDS`, else the batch fails with their count. Never done with a page missing."""
    if batch.status != BatchStatus.RUNNING:
        return batch  # failed meanwhile, re-run, or done by a duplicate merge
    try:
        batch.parts = [*batch.parts, *(part for part in parts or [] if isinstance(part, dict))]
        BadgeBatch.objects.filter(pk=batch.pk).update(parts=batch.parts, heartbeat_at=timezone.now())
        badge_format, rows = _batch_rows(batch)
        if not rows:
            raise AccordError(_("There is no approved participant to print a badge for."))
        batch.total = len(rows)
        missing = [participant.pk for participant, fingerprint, page in rows if not _page_current(page, fingerprint)]
        if missing:
            if round_number >= MERGE_ROUNDS:
                raise AccordError(
                    ngettext(
                        "%(count)s badge could not be rendered; run the batch again.",
                        "%(count)s badges could not be rendered; run the batch again.",
                        len(missing),
                    ) % {"count": len(missing)}
                )
            BadgeBatch.objects.filter(pk=batch.pk).update(total=batch.total)
            _batch_render_missing(batch, missing, badge_format=badge_format, round_number=round_number + 1,
                                  queue=queue)
            batch.refresh_from_db()
            return batch
        return _batch_finish(batch, badge_format, rows)
    except Exception as exc:
        return _fail(batch, exc)


def _page_source(page: BadgePage):
    """A stored page for pikepdf: its path when the storage has files, else its bytes."""
    try:
        return page.pdf.path
    except NotImplementedError:
        with page.pdf.open("rb") as handle:
            return handle.read()


def batch_file_write(sources: list, path: str, *, layout: str = "single", badge_format: str = BadgeFormat.A6) -> str:
    """Merge (or impose, ``layout="sheet"``) the stored pages ``sources`` (paths or bytes) into the file ``path``.

    Up to ``settings.ACCORD_BADGE_MERGE_IN_PROCESS`` pages (default 500) in this process; a larger batch of paths
    in a child process (``python -m onsite.pdfpages``, no Django: about 0.1 s to start), whose memory goes back
    to the system when it ends: qpdf holds every page's objects until it writes (about 0.13 MB a page), and a
    worker process never gives back what it once held. Returns where it ran: ``"process"`` or ``"child"``.
    """
    import subprocess
    import sys

    if len(sources) <= settings.ACCORD_BADGE_MERGE_IN_PROCESS or not all(isinstance(source, str) for source in sources):
        pdfpages.write(sources, path, layout=layout, badge_format=badge_format)
        return "process"
    done = subprocess.run(  # noqa: S603 (our own interpreter and module; the paths are our storage's, on stdin)
        [sys.executable, "-m", "onsite.pdfpages", layout, str(badge_format), path],
        input="\n".join(sources), capture_output=True, text=True, cwd=settings.BASE_DIR, check=False,
        timeout=settings.ACCORD_BADGE_BATCH_LEASE_SECONDS,
    )
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise RuntimeError(f"merging {len(sources)} badges failed: {reason[:500]}")
    return "child"


def _batch_finish(batch: BadgeBatch, badge_format: str, rows) -> BadgeBatch:
    """Merge (or impose) the stored pages into the batch's file, record the prints and mark it done, in one
    transaction that claims the running batch (a duplicate merge finds it done)."""
    import tempfile

    from django.core.files import File

    sources = [_page_source(page) for _participant, _fingerprint, page in rows]
    stamp = timezone.localtime(timezone.now(), batch.conference.tz).strftime("%Y%m%d-%H%M")
    scope = batch.delegation.code if batch.delegation else "all"
    name = f"badges-{batch.conference.slug}-{scope}-{stamp}-{batch.pk}.pdf"
    with tempfile.TemporaryDirectory(prefix="accord-batch-") as directory:
        path = Path(directory) / name
        batch_file_write(sources, str(path), layout=batch.layout, badge_format=badge_format)
        with path.open("rb") as handle:
            batch.file.save(name, File(handle, name=name), save=False)
    participants = [participant for participant, _fingerprint, _page in rows]
    with transaction.atomic():
        locked = BadgeBatch.objects.select_for_update().filter(pk=batch.pk, status=BatchStatus.RUNNING).first()
        if locked is None:  # finished by another merge meanwhile: this file is not the batch's
            batch.file.storage.delete(batch.file.name)
            batch.refresh_from_db()
            return batch
        badge_prints_record([participant.badge for participant in participants], actor=batch.requested_by,
                            batch=batch)
        batch.status = BatchStatus.DONE
        batch.total = batch.done = len(participants)
        batch.finished_at = timezone.now()
        batch.save(update_fields=["file", "status", "total", "done", "finished_at"])
    return batch


def badge_batch_fail(*, batch_id: int, error: str) -> str:
    """Mark a running batch failed (a chunk task raised): it shows the error and can be run again."""
    BadgeBatch.objects.filter(pk=batch_id, status=BatchStatus.RUNNING).update(
        status=BatchStatus.FAILED, error=error[:2000], finished_at=timezone.now()
    )
    return BadgeBatch.objects.filter(pk=batch_id).values_list("status", flat=True).first() or "missing"
