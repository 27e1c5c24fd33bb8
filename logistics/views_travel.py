"""The logistics team's travel pages: the arrival and departure manifest, the transfer runs and the airport
page where staff mark each person picked up or no-show on a phone (counts polled as JSON by
``static/js/logistics-airport.js``). Staff with the logistics permission only; 404 for anyone else, as for a run
that does not exist or belongs to another conference."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conference.languages import language_name
from conference.selectors import current_conference
from conference.services import AccordError
from registration.permissions import get_delegation_for, get_member_for
from registration.selectors import own_participant
from registration.views.files import private_file_response
from registration.views.staff import staff_required

from .models import ItineraryChangeRequest, TransferRun, TransferSeat
from .models.itinerary import LegDirection
from .models.transfers import SeatState
from .models.travel_pdfs import TravelPdfKind, TravelPdfStatus
from .permissions import may_manage_logistics
from .selectors_travel import manifest, move_targets, run_counts, run_with_seats, runs_with_counts
from .services_travel import (
    PDF_LANGUAGES,
    flight_delay,
    manifest_print_record,
    parse_local,
    transfer_runs_propose,
    transfer_seat_mark,
    transfer_seat_move,
    travel_pdf_read_record,
    travel_pdf_request,
)


def _guard(request) -> None:
    if not may_manage_logistics(request.user):
        raise Http404


def _run_for(request, conference, run_id: int, *, reader=None):
    _guard(request)
    run = run_with_seats(conference, run_id, reader=reader)
    if run is None:
        raise Http404
    return run


def _pdf_links() -> list[tuple[str, str]]:
    """(language code, language name) of the PDFs' languages, for the download links."""
    return [(code, language_name(code)) for code in PDF_LANGUAGES]


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def manifest_page(request: HttpRequest, conference) -> HttpResponse:
    """The manifest for the logistics team; POST records a print (the next view marks what changed since)."""
    _guard(request)
    direction = request.GET.get("direction") or request.POST.get("direction") or LegDirection.INBOUND
    if direction not in LegDirection.values:
        raise Http404
    if request.method == "POST":
        result = manifest(conference, direction=direction)
        manifest_print_record(conference, kind=direction, actor=request.user, snapshot=result.snapshot)
        messages.success(request, _("Print recorded: the next view marks what changed since."))
        return redirect(f"{request.path}?direction={direction}")
    result = manifest(conference, direction=direction, reader=request.user)
    return render(request, "logistics/manifest.html", {
        "conference": conference, "manifest": result, "direction": direction, "inbound": direction == "inbound",
        "pdf_languages": _pdf_links(),
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
            messages.success(request, ngettext("%(count)s run proposed.", "%(count)s runs proposed.", len(runs))
                             % {"count": len(runs)})
        return redirect(request.path)
    return render(request, "logistics/runs.html", {"conference": conference, "runs": runs_with_counts(conference),
                                                   "pdf_languages": _pdf_links()})


@staff_required(api="post")
@never_cache
@require_http_methods(["GET", "POST"])
def airport_run(request: HttpRequest, conference, run_id: int) -> HttpResponse:
    """The phone page of one run: each person with picked-up and no-show buttons. POST (a form without
    JavaScript, JSON with it) marks one seat."""
    run = _run_for(request, conference, run_id, reader=request.user if request.method == "GET" else None)
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
        "targets": move_targets(run), "flights": sorted({seat.flight for seat in run.seats.all() if seat.flight}),
        "pdf_languages": _pdf_links(),
    })


@staff_required
@never_cache
@require_POST
def airport_move(request: HttpRequest, conference, run_id: int) -> HttpResponse:
    """Move one person of this run to another run (same airport and way, a free seat); a seat of another run or a
    run of another conference is 404."""
    run = _run_for(request, conference, run_id)
    seat = next((s for s in run.seats.all() if str(s.pk) == request.POST.get("seat", "")), None)
    target = TransferRun.objects.filter(conference=conference, pk=_int(request.POST.get("run"))).first()
    if seat is None or target is None:
        raise Http404
    try:
        transfer_seat_move(seat, target, actor=request.user)
    except AccordError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s moved to the run of %(time)s.") % {
            "name": seat.participant.printed_name,
            "time": timezone.localtime(target.pickup_at, conference.tz).strftime("%H:%M")})
    return redirect("registration:logistics_airport_run", run_id=run.pk)


@staff_required
@never_cache
@require_POST
def airport_delay(request: HttpRequest, conference, run_id: int) -> HttpResponse:
    """Record a flight of this run as delayed: its new local landing time at this airport; its people move to a
    later run (``services_travel.flight_delay``)."""
    run = _run_for(request, conference, run_id)
    flight = request.POST.get("flight", "")
    seat = next((s for s in run.seats.all() if s.flight and s.flight == flight and s.lands_at), None)
    if seat is None:
        raise Http404
    arrives_local = parse_local(request.POST.get("arrives_local"))
    if arrives_local is None:
        messages.error(request, _("Give the new local date and time of landing (YYYY-MM-DD HH:MM)."))
        return redirect("registration:logistics_airport_run", run_id=run.pk)
    try:
        moved = flight_delay(conference, actor=request.user, flight_number=flight, day=seat.lands_at.date(),
                             arrives_local=arrives_local)
    except AccordError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, ngettext(
            "Flight %(flight)s delayed: %(count)s person moved to a later run.",
            "Flight %(flight)s delayed: %(count)s people moved to a later run.", moved) % {
            "flight": flight, "count": moved})
    return redirect("registration:logistics_airport_run", run_id=run.pk)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# The stored PDFs: the manifests and the driver sheets ------------------------------------------------------


def _pdf_answer(request: HttpRequest, answer, *, filename: str, back_url: str) -> HttpResponse:
    """The PDF when it is stored (the read written to the read log), else the "being prepared" page, which
    reloads itself until the file is there."""
    if answer.pdf.status == TravelPdfStatus.DONE:
        response = private_file_response(answer.pdf.file, content_type="application/pdf", filename=filename)
        travel_pdf_read_record(answer, reader=request.user)
        return response
    response = render(request, "logistics/pdf_pending.html", {"back_url": back_url}, status=202)
    response["Retry-After"] = "5"
    return response


@staff_required
@never_cache
@require_GET
def manifest_pdf(request: HttpRequest, conference, direction: str, language: str) -> HttpResponse:
    """The arrival or departure manifest as a PDF in ``language`` (rendered by a task, reused while it prints the
    same)."""
    _guard(request)
    if direction not in LegDirection.values or language not in PDF_LANGUAGES:
        raise Http404
    answer = travel_pdf_request(conference, kind=direction, language=language, actor=request.user)
    back = f"{reverse('registration:logistics_manifest')}?direction={direction}"
    return _pdf_answer(request, answer, filename=f"{conference.slug}-manifest-{direction}-{language}.pdf",
                       back_url=back)


@staff_required
@never_cache
@require_GET
def driver_sheet_pdf(request: HttpRequest, conference, run_id: int, language: str) -> HttpResponse:
    """One run's driver sheet as a PDF in ``language``; 404 for a run of another conference."""
    _guard(request)
    if language not in PDF_LANGUAGES:
        raise Http404
    run = TransferRun.objects.filter(conference=conference, pk=run_id).first()
    if run is None:
        raise Http404
    answer = travel_pdf_request(conference, kind=TravelPdfKind.DRIVER_SHEET, run=run, language=language,
                                actor=request.user)
    return _pdf_answer(request, answer, filename=f"{conference.slug}-driver-sheet-{run.pk}-{language}.pdf",
                       back_url=reverse("registration:logistics_airport_run", args=[run.pk]))


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




# The travel page after approval: the participant's own, a focal point's for a member ----------------------


def _travel_page(request: HttpRequest, participant, *, back_url: str, reader=None) -> HttpResponse:
    from .forms_travel import ItineraryForm, LegFormSet
    from .models.itinerary import TicketStatus
    from .selectors_travel import effective_funding, itinerary_for, last_change_decision
    from .services_travel import ItineraryError, itinerary_save, travel_locked

    if participant.status != "approved":
        raise Http404
    itinerary, legs, pending = itinerary_for(participant, reader=reader if request.method == "GET" else None)
    zone_legs = [leg_initial(leg) for leg in legs]
    context = {"participant": participant, "itinerary": itinerary, "pending": pending, "back_url": back_url,
               "funding": effective_funding(participant), "locked": travel_locked(participant.conference),
               "last_decision": None if pending or itinerary is None else last_change_decision(itinerary),
               "ticket_requested": TicketStatus.REQUESTED.label}
    if request.method == "POST":
        formset = LegFormSet(request.POST, prefix="legs")
        form = ItineraryForm(request.POST)
        if formset.is_valid() and form.is_valid():
            raw = [row for row in formset.cleaned_data if row]
            try:
                result = itinerary_save(participant, actor=request.user, legs=raw, **form.cleaned_data)
            except ItineraryError as exc:
                problems = exc.problems
                return render(request, "logistics/travel.html", {
                    **context, "formset": formset, "form": form, "problems": problems}, status=400)
            except AccordError as exc:
                messages.error(request, str(exc))
            else:
                if isinstance(result, ItineraryChangeRequest):
                    messages.success(request, _("Travel is locked: the change was sent to the organizers."))
                else:
                    messages.success(request, _("Travel saved."))
                return redirect(request.path)
    else:
        formset = LegFormSet(prefix="legs", initial=zone_legs)
        form = ItineraryForm(initial={"booked_by": itinerary.booked_by if itinerary else "",
                                      "visa_status": itinerary.visa_status if itinerary else ""})
    return render(request, "logistics/travel.html", {**context, "formset": formset, "form": form, "problems": []})


def leg_initial(leg) -> dict:
    from .airports import airport

    def local(moment, code):
        place = airport(code)
        return timezone.localtime(moment, place.zone).strftime("%Y-%m-%d %H:%M") if place else ""

    return {"direction": leg.direction, "carrier": leg.carrier, "flight_number": leg.flight_number,
            "from_airport": leg.from_airport, "to_airport": leg.to_airport,
            "departs_local": local(leg.departs_at, leg.from_airport),
            "arrives_local": local(leg.arrives_at, leg.to_airport), "booking_reference": leg.booking_reference}


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def own_travel(request: HttpRequest) -> HttpResponse:
    """The logged-in participant's travel (404 before approval or without a participation)."""
    participant = own_participant(request.user, current_conference())
    if participant is None:
        raise Http404
    return _travel_page(request, participant, back_url=reverse("registration:register"))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def member_travel(request: HttpRequest, code: str, public_id: str) -> HttpResponse:
    """A focal point fills in a member's travel: their own delegation's members only (404 for the others)."""
    delegation = get_delegation_for(request.user, code)
    member = get_member_for(request.user, delegation, public_id)
    return _travel_page(request, member, back_url=reverse("registration:delegation", args=[delegation.code]),
                        reader=request.user)


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def itineraries_import(request: HttpRequest, conference) -> HttpResponse:
    """The travel agency's CSV (``services_travel.CSV_COLUMNS``): all rows saved, or none and a report per row."""
    from .services_travel import CSV_COLUMNS, itineraries_import_csv

    _guard(request)
    report = None
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            text = upload.read().decode("utf-8-sig") if upload else ""
        except UnicodeDecodeError:
            text = None
        if not text:
            messages.error(request, _("Choose a CSV file in UTF-8."))
            status = 400
        else:
            report = itineraries_import_csv(conference, text, actor=request.user)
            if report.ok:
                messages.success(request, ngettext(
                    "%(count)s participant's flights imported.", "%(count)s participants' flights imported.",
                    report.participants) % {"count": report.participants})
                return redirect(request.path)
            status = 400
    return render(request, "logistics/import.html", {"conference": conference, "report": report,
                                                     "columns": CSV_COLUMNS}, status=status)
