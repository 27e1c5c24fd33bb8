"""The on-site desk (staff only): search, print and reprint badges, batches, check-in scans, arrivals."""

from __future__ import annotations

import datetime
import json

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from conference.models import Delegation
from conference.services import AccordError
from privacy.enums import ReadWhere, RetentionKind
from privacy.services.reads import record_read
from registration.views.files import private_file_response
from registration.views.staff import staff_required
from sessions_app.models import Session

from .enums import BatchStatus
from .flags import flag_path
from .selectors import (
    arrivals,
    badge_prints,
    conference_batches,
    desk_search,
    door_sessions,
    get_batch_for,
    get_desk_participant,
)
from .services.badges import (
    badge_batch_can_rerun,
    badge_batch_rerun,
    badge_batch_start,
    badge_participants,
    badge_pdf_for_desk,
    badge_revoke,
)
from .services.checkin import attendance_scan, checkin_scan


@staff_required
def desk_home(request, conference):
    query = request.GET.get("q", "").strip()
    results = list(desk_search(conference, query)[:50]) if query else []
    for person in results:  # the flag image beside the delegation: namesakes told apart at a glance
        flag = flag_path(person.delegation.country.code if person.delegation_id and person.delegation.country else "")
        person.flag_url = static(flag) if flag else ""
    return render(
        request,
        "onsite/desk/search.html",
        {"conference": conference, "query": query, "results": results, "sessions": door_sessions(conference)[:100]},
    )


@staff_required
def desk_participant(request, conference, public_id: str):
    participant = get_desk_participant(conference, public_id)
    return render(
        request,
        "onsite/desk/participant.html",
        {"conference": conference, "participant": participant, "prints": badge_prints(participant)[:50]},
    )


@staff_required
@require_POST
def desk_print(request, conference, public_id: str):
    """Print (or reprint, with a reason) one badge: the PDF comes back inline, ready for the printer."""
    participant = get_desk_participant(conference, public_id)
    reason = request.POST.get("reason", "").strip()[:300]
    try:
        if request.POST.get("revoke") and reason:
            badge_revoke(participant, actor=request.user, reason=reason)
            participant = get_desk_participant(conference, public_id)
        content = badge_pdf_for_desk(participant, actor=request.user, reprint_reason=reason or None)
    except AccordError as exc:
        messages.error(request, str(exc))
        return redirect("registration:desk_participant", public_id=public_id)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="badge-{participant.public_id}.pdf"'
    response["Cache-Control"] = "no-store"
    if participant.photo:  # the badge prints the photo
        record_read(participant, reader=request.user, kind=RetentionKind.PHOTOS, what="badge", where=ReadWhere.DESK)
    return response


@staff_required
def desk_photo(request, conference, public_id: str):
    """The participant's photo, for staff only (never a public media URL); each answer is in the read log."""
    participant = get_desk_participant(conference, public_id)
    response = private_file_response(participant.photo, content_type="image/jpeg", cache_control="private, max-age=300")
    record_read(participant, reader=request.user, kind=RetentionKind.PHOTOS, what="photo", where=ReadWhere.DESK)
    return response


def _scan_answer(outcome) -> dict:
    """The scan's JSON answer with what the desk compares with the person in front of it: the photo, the name in
    both scripts, the delegation with its code and flag image, the category (its colour) and the position, so two
    people of the same name are told apart. Nothing more than ``as_json`` for a badge of another conference."""
    answer = outcome.as_json()
    participant = outcome.participant
    if answer.get("participant") is None or participant is None:
        return answer
    delegation = participant.delegation if participant.delegation_id else None
    country = str(delegation.country.code or "") if delegation is not None and delegation.country else ""
    flag = flag_path(country)
    answer["participant"].update(
        {
            "url": reverse("registration:desk_participant", args=[participant.public_id]),
            "photo_url": reverse("registration:desk_photo", args=[participant.public_id]) if participant.photo else "",
            "category_key": participant.category,
            "delegation_code": delegation.code if delegation is not None else "",
            "country": country.upper(),
            "flag_url": static(flag) if flag else "",
            "position": participant.position,
        }
    )
    return answer


def _scan_payload(request) -> tuple[str, str, datetime.datetime | None, str]:
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError("invalid JSON") from exc
    if not isinstance(payload, dict):
        raise ValueError("invalid JSON")
    code = str(payload.get("code", ""))[:300]
    client_id = str(payload.get("client_id", ""))
    scanned_at = parse_datetime(str(payload.get("scanned_at", ""))) if payload.get("scanned_at") else None
    device = str(payload.get("device", ""))[:60]
    return code, client_id, scanned_at, device


@staff_required(api="post")
@require_http_methods(["GET", "POST"])
def desk_scan(request, conference):
    """GET: the scan page (USB scanner input, camera, offline queue). POST: the JSON scan API."""
    if request.method == "GET":
        return render(
            request,
            "onsite/desk/scan.html",
            {"conference": conference, "scan_url": reverse("registration:desk_scan"), "scope": "desk",
             "title": _("Check-in")},
        )
    try:
        code, client_id, scanned_at, device = _scan_payload(request)
        outcome = checkin_scan(
            conference, code=code, client_id=client_id, scanned_at=scanned_at, actor=request.user, device=device
        )
    except ValueError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse(_scan_answer(outcome))


@staff_required(api="post")
@require_http_methods(["GET", "POST"])
def desk_session_scan(request, conference, session_id: int):
    """Attendance at a room's door: same page and API as the check-in, for one session."""
    session = Session.objects.filter(conference=conference, pk=session_id).select_related("room").first()
    if session is None:
        raise Http404
    session.conference = conference  # the current one, already loaded: no query when the scan reads it
    if request.method == "GET":
        return render(
            request,
            "onsite/desk/scan.html",
            {"conference": conference, "session": session, "scope": f"session-{session.pk}",
             "scan_url": reverse("registration:desk_session_scan", args=[session.pk]), "title": session.title},
        )
    try:
        code, client_id, scanned_at, _device = _scan_payload(request)
        outcome = attendance_scan(session, code=code, client_id=client_id, scanned_at=scanned_at, actor=request.user)
    except ValueError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse(_scan_answer(outcome))


@staff_required
@require_POST
def desk_batch_rerun(request, conference, batch_id: int):
    """Run a failed or stalled batch again (its worker died or it failed)."""
    batch = get_batch_for(conference, batch_id)
    try:
        badge_batch_rerun(batch, actor=request.user)
    except AccordError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The batch was queued again."))
    return redirect("registration:desk_batches")


@staff_required
@require_http_methods(["GET", "POST"])
def desk_batches(request, conference):
    """Start a batch (all approved participants, or one delegation) and list the batches with progress."""
    delegations = Delegation.objects.filter(conference=conference).order_by("code")
    if request.method == "POST":
        code = request.POST.get("delegation", "").strip()
        delegation = delegations.filter(code=code).first() if code else None
        if code and delegation is None:
            messages.error(request, _("Unknown delegation."))
            return redirect("registration:desk_batches")
        try:
            batch = badge_batch_start(
                conference, actor=request.user, delegation=delegation, layout=request.POST.get("layout", "single")
            )
        except AccordError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, ngettext("Batch started: %(count)d badge.", "Batch started: %(count)d badges.",
                                               batch.total) % {"count": batch.total})
        return redirect("registration:desk_batches")
    batches = list(conference_batches(conference)[:30])
    for batch in batches:
        batch.can_rerun = badge_batch_can_rerun(batch)
    return render(
        request,
        "onsite/desk/batches.html",
        {"conference": conference, "delegations": delegations, "batches": batches},
    )


@staff_required(api=True)
def desk_batch_status(request, conference, batch_id: int):
    batch = get_batch_for(conference, batch_id)
    return JsonResponse(
        {
            "id": batch.pk,
            "status": batch.status,
            "status_label": batch.get_status_display(),
            "done": batch.done,
            "total": batch.total,
            "error": batch.error if batch.status == BatchStatus.FAILED else "",
            "download": reverse("registration:desk_batch_download", args=[batch.pk])
            if batch.status == BatchStatus.DONE
            else "",
        }
    )


@staff_required
def desk_batch_download(request, conference, batch_id: int):
    batch = get_batch_for(conference, batch_id)
    if batch.status != BatchStatus.DONE:
        raise Http404
    response = private_file_response(
        batch.file, content_type="application/pdf", filename=batch.file.name.rsplit("/", 1)[-1], cache_control=None
    )
    # The badges print the photos: the read log names each participant of the batch who has one.
    printed = badge_participants(conference, delegation=batch.delegation, participant_ids=batch.participant_ids)
    record_read(printed.exclude(photo=""), reader=request.user, kind=RetentionKind.PHOTOS, what="badge",
                where=ReadWhere.DOWNLOAD)
    return response


@staff_required
def desk_arrivals(request, conference):
    return render(request, "onsite/desk/arrivals.html", {"conference": conference, "data": arrivals(conference)})


@staff_required(api=True)
def desk_arrivals_json(request, conference):
    return JsonResponse(arrivals(conference))
