"""The logistics team's travel pages: the arrival and departure manifest, the transfer runs and the airport
page where staff mark each person picked up or no-show on a phone (counts polled as JSON by
``static/js/logistics-airport.js``). Staff with the logistics permission only; 404 for anyone else, as for a run
that does not exist or belongs to another conference."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from conference.services import AccordError
from registration.views.staff import staff_required

from .models import TransferSeat
from .models.itinerary import LegDirection
from .models.transfers import SeatState
from .permissions import may_manage_logistics
from .selectors_travel import manifest, run_counts, run_with_seats, runs_with_counts
from .services_travel import manifest_print_record, transfer_runs_propose, transfer_seat_mark


def _guard(request) -> None:
    if not may_manage_logistics(request.user):
        raise Http404


def _run_for(request, conference, run_id: int):
    _guard(request)
    run = run_with_seats(conference, run_id)
    if run is None:
        raise Http404
    return run


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def manifest_page(request: HttpRequest, conference) -> HttpResponse:
    """The manifest for the logistics team; POST records a print (the next view marks what changed since)."""
    _guard(request)
    direction = request.GET.get("direction") or request.POST.get("direction") or LegDirection.INBOUND
    if direction not in LegDirection.values:
        raise Http404
    result = manifest(conference, direction=direction)
    if request.method == "POST":
        manifest_print_record(conference, kind=direction, actor=request.user, snapshot=result.snapshot)
        messages.success(request, _("Print recorded: the next view marks what changed since."))
        return redirect(f"{request.path}?direction={direction}")
    return render(request, "logistics/manifest.html", {
        "conference": conference, "manifest": result, "direction": direction, "inbound": direction == "inbound",
    })


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def runs_page(request: HttpRequest, conference) -> HttpResponse:
    """The transfer runs; POST proposes them again (confirmed runs are kept)."""
    _guard(request)
    if request.method == "POST":
        direction = request.POST.get("direction", LegDirection.INBOUND)
        if direction not in LegDirection.values:
            raise Http404
        try:
            runs = transfer_runs_propose(conference, actor=request.user, direction=direction)
        except AccordError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(count)s runs proposed.") % {"count": len(runs)})
        return redirect(request.path)
    return render(request, "logistics/runs.html", {"conference": conference, "runs": runs_with_counts(conference)})


@staff_required(api="post")
@never_cache
@require_http_methods(["GET", "POST"])
def airport_run(request: HttpRequest, conference, run_id: int) -> HttpResponse:
    """The phone page of one run: each person with picked-up and no-show buttons. POST (a form without
    JavaScript, JSON with it) marks one seat."""
    run = _run_for(request, conference, run_id)
    if request.method == "POST":
        wants_json = request.content_type == "application/json"
        try:
            data = json.loads(request.body or b"{}") if wants_json else request.POST
            seat = next((s for s in run.seats.all() if str(s.pk) == str(data.get("seat"))), None)
            if seat is None:
                raise Http404
            seat = transfer_seat_mark(seat, actor=request.user, state=str(data.get("state")))
        except (AccordError, ValueError) as exc:
            if wants_json:
                return JsonResponse({"error": str(exc) or _("Unknown state.")}, status=400)
            messages.error(request, str(exc))
        if wants_json:
            return JsonResponse({"seat": seat.pk, "state": seat.state, "counts": run_counts(run)})
        return redirect(request.path)
    return render(request, "logistics/airport_run.html", {
        "conference": conference, "run": run, "counts": run_counts(run),
        "pickup": timezone.localtime(run.pickup_at, conference.tz), "states": SeatState,
    })


@staff_required(api=True)
@never_cache
def airport_run_counts(request: HttpRequest, conference, run_id: int) -> JsonResponse:
    """The run's counts and each seat's state, for the page's polling."""
    _guard(request)
    seats = TransferSeat.objects.filter(run__conference=conference, run_id=run_id)
    rows = list(seats.values_list("pk", "state"))
    if not rows and not runs_with_counts(conference).filter(pk=run_id).exists():
        raise Http404
    counts = {state: 0 for state in SeatState.values}
    for _pk, state in rows:
        counts[state] += 1
    counts["total"] = len(rows)
    return JsonResponse({"counts": counts, "seats": {str(pk): state for pk, state in rows}})


