"""Badges: check-in tokens, the pure renderer, the cached single badge for the desk, and batches.

Three layers (pretix badges): :func:`badge_data` turns a participant into a plain dict (everything the badge
shows, already translated into the participant's language); :func:`render_badges` is pure (dicts in, PDF bytes
out, no database); the services below store files and record who printed what.

The QR code carries ``Signer(salt=...).sign(Badge.token)``: the token is random (never a database id or personal
data) and the signature lets the desk refuse a forged or garbled code before any lookup.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import json
import logging
import os
import secrets
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from conference.enums import BadgeFormat
from conference.honorifics import printed_honorific
from conference.lists import join_list
from conference.models import Conference, Delegation
from conference.services import AccordError, audit_record
from registration.enums import ParticipantStatus
from registration.models import Participant

from ..enums import BatchStatus
from ..flags import flag_path
from ..models import Badge, BadgeBatch, BadgePrint, RevokedBadgeToken
from ..tasks import badge_batch_task, badge_prerender_task

logger = logging.getLogger(__name__)

SIGNING_SALT = "accord.registration.badge.checkin"
#: Bump when the badge template changes in a way that must invalidate every cached single-badge PDF.
TEMPLATE_VERSION = "2"
LAYOUTS = ("single", "sheet")
SHEET_SIZE = {BadgeFormat.A6: 4, BadgeFormat.CR80: 10}
#: Badges rendered per chunk (one WeasyPrint document each): bounds a worker's memory.
CHUNK_SIZE = 60
#: Below this, a batch renders in-process (starting processes would cost more than it saves).
PARALLEL_THRESHOLD = 40
STYLESHEETS = ["pdf/badge.css"]
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


def badge_data(participant: Participant, *, badge: Badge | None = None) -> dict:
    """Everything one badge shows, as a plain JSON-able dict, in the participant's language.

    Needs ``participant.conference`` and ``participant.delegation`` (select them) and the badge (pass it, or
    ``participant.badge`` is used). Names are printed as given; the template escapes them.
    """
    badge = badge or participant.badge
    conference = participant.conference
    language = participant.preferred_language or "en"
    with translation.override(language):
        delegation: Delegation | None = participant.delegation
        flag = ""
        if delegation is not None:
            delegation_label = delegation.display_name(language)
            flag = flag_path(delegation.country.code if delegation.country else "")
        else:
            delegation_label = participant.organization
        name = participant.printed_name
        name_ar = participant.badge_name_ar
        data = {
            "format": conference.badge_format if conference.badge_format in SHEET_SIZE else BadgeFormat.A6,
            "lang": language,
            "dir": "rtl" if translation.get_language_bidi() else "ltr",
            "conference_name": conference.localized_name(language),
            "dates": _dates(conference),
            "city": conference.localized_city(language),
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


# --- the pure renderer ---------------------------------------------------------------------------


def _qr_uri(code: str, badge_format: str = BadgeFormat.A6) -> str:
    import segno

    # A fixed mask skips segno's best-mask search (most of its time); every mask decodes. The image carries one
    # pixel per module on A6 (30 mm: rasterizers scale it up without smoothing, image-rendering: pixelated) and
    # four on the small CR80 code (19 mm), which some rasterizers would otherwise smooth into a blur.
    scale = 4 if badge_format == BadgeFormat.CR80 else 1
    return segno.make_qr(code, error="m", mask=4).png_data_uri(scale=scale, border=0)


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as a PNG ``data:`` URI, the badges' code path (the certificates' verification link)."""
    return _qr_uri(text, BadgeFormat.CR80)


def _photo_uri(path: str) -> str:
    """The (already re-encoded) photo as a data: URI we create ourselves; only JPEG and PNG bytes."""
    if not path:
        return ""
    try:
        content = Path(path).read_bytes()
    except OSError:
        return ""
    if content.startswith(b"\xff\xd8\xff"):
        mime = "image/jpeg"
    elif content.startswith(b"\x89PNG\r\n\x1a\n"):
        mime = "image/png"
    else:
        return ""
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def render_badges_html(items: Sequence[dict], *, layout: str = "single", badge_format: str | None = None) -> str:
    """The HTML of one document with every badge (plain dicts from :func:`badge_data`)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    badge_format = badge_format or (items[0]["format"] if items else BadgeFormat.A6)
    badges = [
        {
            **item,
            "format": badge_format,
            "qr_uri": _qr_uri(item["code"], badge_format),
            "photo_uri": _photo_uri(item["photo_path"]),
        }
        for item in items
    ]
    per_sheet = SHEET_SIZE.get(badge_format, 4)
    sheets = [badges[i : i + per_sheet] for i in range(0, len(badges), per_sheet)]
    # The document's language (PDF metadata, hyphenation): the badges' one when they share it, else the site's;
    # each badge carries its own lang and dir.
    languages = {item.get("lang") or settings.LANGUAGE_CODE for item in items}
    language = languages.pop() if len(languages) == 1 else settings.LANGUAGE_CODE
    with translation.override(language):
        return render_to_string(
            "pdf/badges.html",
            {"badges": badges, "sheets": sheets, "layout": layout, "badge_format": badge_format,
             "language": language, "direction": "rtl" if translation.get_language_bidi() else "ltr"},
        )


def render_badges_document(items: Sequence[dict], *, layout: str = "single", badge_format: str | None = None):
    """One laid-out WeasyPrint document for ``items`` (see :func:`render_badges`)."""
    from conference.pdf import render_document

    return render_document(
        render_badges_html(items, layout=layout, badge_format=badge_format), stylesheets=STYLESHEETS, minimal_ua=True
    )


def _render_chunk(args: tuple[list[dict], str, str | None]) -> bytes:
    items, layout, badge_format = args
    from conference.pdf import write_pdf

    return write_pdf(render_badges_document(items, layout=layout, badge_format=badge_format))


def _chunks(items: Sequence[dict], size: int, layout: str, badge_format: str) -> list[list[dict]]:
    if layout == "sheet":  # keep sheets full: chunk on a multiple of the sheet size
        per_sheet = SHEET_SIZE.get(badge_format, 4)
        size = max(per_sheet, size - size % per_sheet)
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def merge_pdfs(parts: Iterable[bytes]) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _fork_render(jobs: list, processes: int, progress_chunk) -> list[bytes]:
    """Render ``jobs`` in ``processes`` forked children; results in job order.

    Plain ``os.fork`` rather than a ``multiprocessing`` pool: a Celery prefork worker is a daemonic process,
    which ``multiprocessing`` forbids to have children. Children inherit Django, the parsed templates, the
    stylesheets and the shared font configuration (no set-up cost), render their chunks one by one
    (bounded memory), write each PDF to a private temporary directory and leave with ``os._exit`` (no
    clean-up of inherited database connections). ``progress_chunk(index)`` is called as chunks arrive.
    """
    import os
    import signal
    import tempfile
    import time

    with tempfile.TemporaryDirectory(prefix="accord-badges-") as tmp:
        pids = []
        for worker in range(processes):
            pid = os.fork()
            if pid == 0:  # child
                code = 0
                try:
                    for index in range(worker, len(jobs), processes):
                        content = _render_chunk(jobs[index])
                        partial = os.path.join(tmp, f"{index}.part")
                        with open(partial, "wb") as handle:
                            handle.write(content)
                        os.rename(partial, os.path.join(tmp, f"{index}.pdf"))
                except BaseException:  # noqa: BLE001 - reported to the parent by the exit status
                    logger.exception("badge rendering process failed")
                    code = 1
                finally:
                    os._exit(code)
            pids.append(pid)
        seen: set[int] = set()
        failed = False
        running = set(pids)
        try:
            while running:
                for pid in list(running):
                    done_pid, status = os.waitpid(pid, os.WNOHANG)
                    if done_pid:
                        running.discard(pid)
                        failed = failed or os.waitstatus_to_exitcode(status) != 0
                for index in range(len(jobs)):
                    if index not in seen and os.path.exists(os.path.join(tmp, f"{index}.pdf")):
                        seen.add(index)
                        progress_chunk(index)
                if failed:
                    break
                if running:
                    time.sleep(0.05)
        finally:
            for pid in running:  # on failure or interruption, stop the others (never a reaped pid)
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                except (ProcessLookupError, ChildProcessError):
                    pass
        if failed:
            raise RuntimeError("a badge rendering process failed (see the log)")
        parts = []
        for index in range(len(jobs)):
            with open(os.path.join(tmp, f"{index}.pdf"), "rb") as handle:
                parts.append(handle.read())
            if index not in seen:
                progress_chunk(index)
        return parts


def render_badges(
    items: Sequence[dict | Participant],
    *,
    layout: str = "single",
    badge_format: str | None = None,
    processes: int = 2,
    chunk_size: int = CHUNK_SIZE,
    progress=None,
) -> bytes:
    """Pure renderer: one PDF, one badge a page (``single``) or sheets with crop marks (``sheet``).

    ``items`` are dicts from :func:`badge_data` (participants with their badge are converted). Large sets
    render in chunks (bounded memory) across ``processes`` forked processes and are merged with pypdf.
    ``progress(done)`` is called after each chunk. No database writes.
    """
    data = [badge_data(item) if isinstance(item, Participant) else item for item in items]
    if not data:
        raise ValueError("no badges to render")
    badge_format = badge_format or data[0]["format"]
    if processes > 1 and len(data) >= PARALLEL_THRESHOLD:  # at least one chunk per process
        chunk_size = min(chunk_size, -(-len(data) // processes))
    chunks = _chunks(data, chunk_size, layout, badge_format)
    jobs = [(chunk, layout, badge_format) for chunk in chunks]
    done = 0
    workers = min(processes, len(chunks)) if len(data) >= PARALLEL_THRESHOLD and hasattr(os, "fork") else 1

    def chunk_done(index: int) -> None:
        nonlocal done
        done += len(chunks[index])
        if progress:
            progress(done)

    if workers > 1:
        from conference.pdf import font_config

        font_config()  # loaded once before forking; every child shares it
        parts = _fork_render(jobs, workers, chunk_done)
    else:
        parts = []
        for index, job in enumerate(jobs):
            parts.append(_render_chunk(job))
            chunk_done(index)
    logger.info(
        "rendered %d badges in %d chunks with %s", len(data), len(chunks),
        f"{workers} processes" if workers > 1 else "1 process",
    )
    return parts[0] if len(parts) == 1 else merge_pdfs(parts)


def render_badges_naive(items: Sequence[dict]) -> list[bytes]:
    """The baseline of ``bench/badges.py``: one PDF per badge, as a straightforward view would write it.

    Per badge: ``HTML(string=...).write_pdf()`` with the stylesheets parsed again and a new
    ``FontConfiguration``, WeasyPrint's default user-agent stylesheet, in one process (still with our safe
    fetcher). The same HTML as the fast path.
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from conference.pdf import FONTS_CSS, base_url, ensure_harfbuzz_subset, static_path, url_fetcher

    ensure_harfbuzz_subset()
    parts = []
    for item in items:
        config = FontConfiguration()
        fetcher = url_fetcher()
        sheets = [
            CSS(string=static_path(name).read_text(), base_url=static_path(name).as_uri(), url_fetcher=fetcher,
                font_config=config)
            for name in [FONTS_CSS, *STYLESHEETS]
        ]
        html = render_badges_html([item])
        parts.append(
            HTML(string=html, base_url=base_url(), url_fetcher=fetcher).write_pdf(stylesheets=sheets, font_config=config)
        )
    return parts


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
        badge.cached_for = ""
        badge.save(update_fields=["token", "revoked_at", "cached_for"])
        audit_record(
            actor=actor, action="badge.revoke", target=participant, conference=participant.conference,
            changes={"reason": reason},
        )
        badge_prerender_task.delay_on_commit(participant_id=participant.pk)
    participant.badge = badge
    return badge


def _desk_queryset():
    return Participant.objects.select_related("conference", "delegation", "badge")


def badge_prerender(participant: Participant) -> Badge | None:
    """Render and store the single-badge PDF unless the cached one still shows the same data.

    Returns the badge, or ``None`` when the participant is not approved (nothing to render).
    """
    if participant.status != ParticipantStatus.APPROVED:
        return None
    badge = badge_ensure(participant)
    data = badge_data(participant, badge=badge)
    fingerprint = badge_fingerprint(data)
    if badge.cached_for == fingerprint and badge.cached_pdf and badge.cached_pdf.storage.exists(badge.cached_pdf.name):
        return badge
    content = render_badges([data], processes=1)
    old_name = badge.cached_pdf.name if badge.cached_pdf else ""
    badge.cached_pdf.save(f"{participant.public_id}-{fingerprint[:12]}.pdf", ContentFile(content), save=False)
    badge.cached_for = fingerprint
    Badge.objects.filter(pk=badge.pk).update(cached_pdf=badge.cached_pdf.name, cached_for=fingerprint)
    if old_name and old_name != badge.cached_pdf.name:
        badge.cached_pdf.storage.delete(old_name)
    return badge


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

    Served from the cached file when its fingerprint matches what the badge shows (pre-rendered on approval
    and on changes); rendered and cached otherwise. Raises :class:`AccordError` for a non-approved
    participant or a reprint without a reason.
    """
    _refuse_unapproved(participant)
    badge = badge_ensure(participant)
    if badge.printed_count > 0 and not (reprint_reason or "").strip():
        raise AccordError(_("This badge was already printed: give a reason for the reprint."))
    badge = badge_prerender(participant)
    with badge.cached_pdf.open("rb") as handle:
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


def badge_batch_run(batch: BadgeBatch) -> BadgeBatch:
    """Render the batch in chunks (progress in ``done``), store the file, then mark it done.

    The status becomes ``done`` only in the same transaction that records the stored file and the
    ``BadgePrint`` rows; a failure sets ``failed`` with the error and can be run again.
    """
    now = timezone.now()
    claimed = BadgeBatch.objects.filter(
        Q(status__in=[BatchStatus.QUEUED, BatchStatus.FAILED]) | _stale_running(now), pk=batch.pk
    ).update(status=BatchStatus.RUNNING, error="", done=0, heartbeat_at=now)
    batch.refresh_from_db()
    if not claimed:
        return batch  # running elsewhere (lease held), or already done
    try:
        participants = list(
            badge_participants(batch.conference, delegation=batch.delegation, participant_ids=batch.participant_ids)
        )
        if not participants:
            raise AccordError(_("There is no approved participant to print a badge for."))
        items = []
        for participant in participants:
            badge = badge_ensure(participant)
            items.append(badge_data(participant, badge=badge))

        def progress(done: int) -> None:
            BadgeBatch.objects.filter(pk=batch.pk).update(done=done, heartbeat_at=timezone.now())

        content = render_badges(items, layout=batch.layout, progress=progress)
        stamp = timezone.localtime(timezone.now(), batch.conference.tz).strftime("%Y%m%d-%H%M")
        scope = batch.delegation.code if batch.delegation else "all"
        name = f"badges-{batch.conference.slug}-{scope}-{stamp}-{batch.pk}.pdf"
        batch.file.save(name, ContentFile(content), save=False)
        with transaction.atomic():
            badge_prints_record([participant.badge for participant in participants], actor=batch.requested_by,
                                batch=batch)
            batch.status = BatchStatus.DONE
            batch.total = len(participants)
            batch.done = len(participants)
            batch.finished_at = timezone.now()
            batch.save(update_fields=["file", "status", "total", "done", "finished_at"])
    except Exception as exc:
        logger.exception("badge batch %s failed", batch.pk)
        BadgeBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED, error=str(exc)[:2000] or exc.__class__.__name__, finished_at=timezone.now()
        )
        batch.refresh_from_db()
        return batch
    return batch
