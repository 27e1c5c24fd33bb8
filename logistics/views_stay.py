"""Staff pages of the stay: the logistics dashboard (charts with their tables), the caterer's meal counts (page
and CSV: counts only) and the needs list with names (organizers who may see participants only); the logistics
team's hotels, bookings, rooming lists, DSA rates and allowances, payment sheets; the funded participant's (or
their focal point's) bank details form.

Each checks its permission where the data is fetched: a user without it gets 404, as for a page that does not
exist."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conference.selectors import current_conference
from conference.services import AccordError
from registration.exports import neutralize
from registration.models import Participant
from registration.permissions import get_delegation_for, get_member_for
from registration.selectors import own_participant
from registration.views.staff import staff_required

from . import selectors_stay, services_allowances, services_stay
from .forms_stay import (
    AllowanceForm,
    BankDetailsForm,
    BookingForm,
    DsaRateForm,
    RoommateRequestForm,
    add_service_error,
)
from .models.stay import RoomType
from .permissions import may_manage_logistics
from .selectors_dashboard import logistics_dashboard
from .selectors_meals import meal_counts, needs_list
from .tasks_stay import render_payment_sheets_task

#: Who sees the logistics pages: the Logistics group holds it (and organizers who hold every permission).
LOGISTICS_PERMISSION = "logistics.view_roombooking"
#: Who sees names with needs: those who may see participants.
NEEDS_PERMISSION = "registration.view_participant"


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise Http404


@require_GET
@staff_required
def dashboard(request, conference):
    _require(request.user, LOGISTICS_PERMISSION)
    data = logistics_dashboard(conference)
    movements = data["movements"]
    transfers = data["transfers"]
    context = {
        "conference": conference,
        "charts": data,
        "movement_rows": list(zip(movements["days"], movements["arrivals"], movements["departures"], strict=True)),
        "transfer_rows": list(zip(transfers["days"], transfers["landing"], transfers["seats"], strict=True)),
        "funded_rows": list(zip(data["funded"]["labels"], data["funded"]["counts"], strict=True)),
        "room_tables": [{"label": block["label"], "rows": list(zip(block["nights"], block["quota"], block["taken"],
                                                                    strict=True))} for block in data["rooms"]],
        "title": _("Logistics dashboard"),
    }
    return render(request, "logistics/dashboard.html", context)


def _meal_table(conference):
    rows = meal_counts(conference)
    needs = sorted({need for row in rows for need in row["needs"]})
    return rows, needs


@require_GET
@staff_required
def meals(request, conference):
    _require(request.user, LOGISTICS_PERMISSION)
    rows, needs = _meal_table(conference)
    table = [{"day": row["day"], "label": row["label"], "people": row["people"],
              "needs": [row["needs"].get(need, 0) for need in needs], "accessibility": row["accessibility"]}
             for row in rows]
    return render(request, "logistics/meals.html", {"conference": conference, "rows": table, "needs": needs,
                                                    "title": _("Meals for the caterer")})


@require_GET
@staff_required
def meals_csv(request, conference):
    _require(request.user, LOGISTICS_PERMISSION)
    rows, needs = _meal_table(conference)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Day"), _("Meal"), _("People")] + [neutralize(need) for need in needs]
                    + [_("With accessibility needs")])
    for row in rows:
        writer.writerow([row["day"].isoformat(), row["label"], row["people"]]
                        + [row["needs"].get(need, 0) for need in needs] + [row["accessibility"]])
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meals.csv"'
    return response


@require_GET
@staff_required
def needs(request, conference):
    _require(request.user, LOGISTICS_PERMISSION)
    _require(request.user, NEEDS_PERMISSION)
    return render(request, "logistics/needs.html", {"conference": conference, "people": needs_list(conference),
                                                    "title": _("Dietary and accessibility needs")})


# The logistics team's stay pages: hotels, bookings, rooming lists, DSA rates and allowances, payment sheets.
# Staff with the logistics role only (``permissions.may_manage_logistics``: the "Logistics" group); a hotel,
# booking, list, line or file of another conference answers 404 as a missing one does. Every write is one call
# of a service (checks, lock, audit entry); its refusal is shown on the field it names, and nothing is saved.

def _saved(request, form, write, message: str, *, to: str | None = None):
    """Call ``write`` (one service call): on its refusal, show it on the field it names and answer None; else say
    ``message`` and answer the redirect (to ``to``, a URL name, or back to this page)."""
    try:
        write()
    except AccordError as error:
        add_service_error(form, error)
        return None
    messages.success(request, message)
    return redirect(to or request.path)


def _guard(request) -> None:
    if not may_manage_logistics(request.user):
        raise Http404


def _hotel(request, conference, hotel_id):
    _guard(request)
    hotel = selectors_stay.hotel_for(conference, hotel_id)
    if hotel is None:
        raise Http404
    return hotel


def _person(public_id: str):
    """The participant posted by public id (any conference: the service refuses another conference's by name)."""
    if not public_id:
        return None
    return Participant.objects.select_related("conference", "delegation").filter(public_id=public_id).first()


@require_GET
@staff_required
@never_cache
def hotels_page(request, conference):
    """Each hotel with its contacts, and per night its blocks against their quotas (rooms taken)."""
    _guard(request)
    return render(request, "logistics/stay/hotels.html", {
        "conference": conference, "hotels": selectors_stay.hotels_overview(conference),
        "room_types": RoomType.choices})


def _booking_initial(booking) -> dict:
    return {"booking": booking.pk, "guest": booking.guest.public_id, "room_type": booking.room_type,
            "roommate": booking.roommate.public_id if booking.roommate else "",
            "check_in": booking.check_in if booking.dates_edited else None,
            "check_out": booking.check_out if booking.dates_edited else None, "notes": booking.notes}


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def hotel_bookings(request, conference, hotel_id: int):
    """The hotel's bookings: assign or change a room (``room_booking_save``), record a sharing request
    (``roommate_request_save``); ``?change=<booking>`` fills the form with that booking."""
    hotel = _hotel(request, conference, hotel_id)
    data = selectors_stay.booking_page(hotel, reader=request.user)
    candidates = data["candidates"]
    form = BookingForm(candidates=candidates, prefix="booking")
    request_form = RoommateRequestForm(candidates=candidates, prefix="sharing")
    status = 200
    if request.method == "POST" and request.POST.get("action") == "sharing":
        request_form = RoommateRequestForm(request.POST, candidates=candidates, prefix="sharing")
        if request_form.is_valid():
            participant = _person(request_form.cleaned_data["participant"])
            requested = _person(request_form.cleaned_data["requested"])
            if participant is None or participant.conference_id != conference.pk:
                request_form.add_error("participant", _("Participant: choose a participant of this conference."))
            elif request_form.cleaned_data["requested"] and requested is None:
                request_form.add_error("requested", _("Would share with: no participant has this reference."))
            else:
                saved = _saved(request, request_form, lambda: services_stay.roommate_request_save(
                    participant, requested=requested, actor=request.user), _("Sharing request saved."))
                if saved:
                    return saved
        status = 400
    elif request.method == "POST":
        form = BookingForm(request.POST, candidates=candidates, prefix="booking")
        if form.is_valid():
            cleaned = form.cleaned_data
            booking = None
            if cleaned.get("booking"):
                booking = selectors_stay.booking_for(hotel, cleaned["booking"])
                if booking is None:
                    raise Http404
            guest = _person(cleaned["guest"])
            roommate = _person(cleaned["roommate"])
            if guest is None:
                form.add_error("guest", _("Guest: no participant has this reference."))
            elif cleaned["roommate"] and roommate is None:
                form.add_error("roommate", _("Roommate: no participant has this reference."))
            else:
                dates = {"check_in": cleaned["check_in"], "check_out": cleaned["check_out"]} if cleaned.get(
                    "check_in") else {}
                saved = _saved(request, form, lambda: services_stay.room_booking_save(
                    hotel=hotel, guest=guest, roommate=roommate, room_type=cleaned["room_type"],
                    notes=cleaned["notes"], actor=request.user, booking=booking, **dates), _("Room saved."))
                if saved:
                    return saved
        status = 400
    elif request.GET.get("change"):
        booking = selectors_stay.booking_for(hotel, request.GET["change"])
        if booking is None:
            raise Http404
        form = BookingForm(initial=_booking_initial(booking), candidates=candidates, prefix="booking")
    return render(request, "logistics/stay/hotel_bookings.html", {
        "conference": conference, "hotel": hotel, "bookings": data["bookings"], "requests": data["requests"],
        "form": form, "request_form": request_form,
        "changing": bool(form.initial.get("booking") or (form.is_bound and form.data.get("booking-booking")))},
        status=status)


@require_POST
@staff_required
def booking_cancel(request, conference, hotel_id: int, booking_id: int):
    hotel = _hotel(request, conference, hotel_id)
    booking = selectors_stay.booking_for(hotel, booking_id)
    if booking is None:
        raise Http404
    services_stay.room_booking_cancel(booking, actor=request.user)
    messages.success(request, _("Room cancelled: the next rooming list shows it as cancelled."))
    return redirect("registration:logistics_hotel_bookings", hotel_id=hotel.pk)


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def rooming_lists_page(request, conference, hotel_id: int):
    """The hotel's rooming lists: what the next one will say, send it now, and every list sent with its files."""
    hotel = _hotel(request, conference, hotel_id)
    if request.method == "POST":
        try:
            services_stay.rooming_list_send(hotel, actor=request.user)
        except AccordError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Rooming list sent: it is e-mailed in the background."))
        return redirect(request.path)
    data = selectors_stay.rooming_page(hotel, reader=request.user)
    return render(request, "logistics/stay/rooming_lists.html", {"conference": conference, "hotel": hotel, **data})


@require_GET
@staff_required
def rooming_list_download(request, conference, hotel_id: int, send_id: int, file_format: str):
    hotel = _hotel(request, conference, hotel_id)
    stored = selectors_stay.rooming_list_file(hotel, send_id, file_format, reader=request.user)
    if stored is None:
        raise Http404
    extension, content_type = selectors_stay.ROOMING_FORMATS[file_format]
    return FileResponse(stored.open("rb"), as_attachment=True, content_type=content_type,
                        filename=f"rooming-list-{hotel.pk}-{send_id}.{extension}")


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def allowances_page(request, conference):
    """DSA rates (set one), the allowance lines of the funded participants (compute them, mark one paid), bank
    details shown to the finance officer only (masked for the others)."""
    _guard(request)
    rate_form = DsaRateForm(prefix="rate")
    status = 200
    action = request.POST.get("action")
    if request.method == "POST" and action == "rate":
        rate_form = DsaRateForm(request.POST, prefix="rate")
        if rate_form.is_valid():
            saved = _saved(request, rate_form, lambda: services_allowances.dsa_rate_save(
                conference, actor=request.user, **rate_form.cleaned_data), _("DSA rate saved."))
            if saved:
                return saved
        status = 400
    elif request.method == "POST" and action == "compute":
        counts = services_allowances.allowances_compute_funded(conference, actor=request.user)
        messages.success(request, _("Allowances computed: %(computed)s; without travel dates or rate: "
                                    "%(refused)s.") % counts)
        return redirect(request.path)
    elif request.method == "POST" and action == "paid":
        allowance = selectors_stay.allowance_for(conference, request.POST.get("allowance"))
        if allowance is None:
            raise Http404
        try:
            services_allowances.allowance_mark_paid(allowance, actor=request.user)
        except AccordError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Allowance marked paid."))
        return redirect(request.path)
    elif request.method == "POST":
        raise Http404
    show_bank = services_allowances.may_see_bank_details(request.user)
    data = selectors_stay.allowances_page(conference, reader=request.user, show_bank=show_bank)
    return render(request, "logistics/stay/allowances.html", {
        "conference": conference, "rate_form": rate_form, "show_bank": show_bank, **data}, status=status)


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def allowance_edit(request, conference, allowance_id: int):
    """Change one line (nights, journeys, lodging or meals provided); a paid line needs a reason."""
    _guard(request)
    allowance = selectors_stay.allowance_for(conference, allowance_id)
    if allowance is None:
        raise Http404
    status = 200
    if request.method == "POST":
        form = AllowanceForm(request.POST)
        if form.is_valid():
            saved = _saved(request, form, lambda: services_allowances.allowance_compute(
                allowance.participant, actor=request.user, **form.cleaned_data), _("Allowance saved."),
                to="registration:logistics_allowances")
            if saved:
                return saved
        status = 400
    else:
        form = AllowanceForm(initial={"nights": allowance.nights, "journeys": allowance.journeys,
                                      "lodging_provided": allowance.lodging_provided,
                                      "meals_provided": allowance.meals_provided})
    return render(request, "logistics/stay/allowance_edit.html", {
        "conference": conference, "allowance": allowance, "form": form}, status=status)


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def payment_sheets_page(request, conference):
    """The payment sheets of the last render (one PDF per delegation, in its language; the finance XLSX); POST
    renders them again in the background."""
    _guard(request)
    if request.method == "POST":
        render_payment_sheets_task.delay_on_commit(conference_id=conference.pk, actor_id=request.user.pk)
        messages.success(request, _("The payment sheets are rendered in the background."))
        return redirect(request.path)
    return render(request, "logistics/stay/payment_sheets.html", {
        "conference": conference, "show_bank": services_allowances.may_see_bank_details(request.user),
        **selectors_stay.payment_sheet_files(conference)})


@require_GET
@staff_required
def payment_sheet_download(request, conference, name: str):
    _guard(request)
    show_bank = services_allowances.may_see_bank_details(request.user)
    if name == selectors_stay.FINANCE_FILES["finance"] and show_bank:
        from .rendering_allowances import render_allowances_xlsx

        lines, bank = selectors_stay.finance_lines_with_bank(conference, reader=request.user)
        return FileResponse(io.BytesIO(render_allowances_xlsx(lines, bank=bank)), as_attachment=True,
                            content_type=selectors_stay.ROOMING_FORMATS["xlsx"][1], filename=name)
    stored = selectors_stay.payment_sheet_file(conference, name, reader=request.user, show_bank=show_bank)
    if stored is None:
        raise Http404
    content_type = "application/pdf" if name.endswith(".pdf") else selectors_stay.ROOMING_FORMATS["xlsx"][1]
    return FileResponse(default_storage.open(stored, "rb"), as_attachment=True, content_type=content_type,
                        filename=name)


# Bank details: the funded participant's own, and a focal point's for a member ------------------------------


def _bank_details_page(request, participant, *, back_url: str):
    from .selectors_travel import effective_funding

    if participant.status != "approved" or effective_funding(participant) != "funded":
        raise Http404
    on_file = selectors_stay.bank_details_on_file(participant)
    status = 200
    if request.method == "POST":
        form = BankDetailsForm(request.POST)
        if form.is_valid():
            saved = _saved(request, form, lambda: services_allowances.bank_details_save(
                participant, actor=request.user, **form.cleaned_data), _("Bank details saved."))
            if saved:
                return saved
        status = 400
    else:
        form = BankDetailsForm()
    return render(request, "logistics/stay/bank_details.html", {
        "participant": participant, "form": form, "on_file": on_file, "back_url": back_url}, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def own_bank_details(request):
    """The logged-in funded participant's bank details (404 before approval, when not funded, without one)."""
    participant = own_participant(request.user, current_conference())
    if participant is None:
        raise Http404
    return _bank_details_page(request, participant, back_url=reverse("registration:logistics_own_travel"))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def member_bank_details(request, code: str, public_id: str):
    """A focal point enters a funded member's bank details: their own delegation's members only (404 else)."""
    delegation = get_delegation_for(request.user, code)
    member = get_member_for(request.user, delegation, public_id)
    return _bank_details_page(request, member, back_url=reverse(
        "registration:logistics_member_travel", kwargs={"code": delegation.code, "public_id": member.public_id}))
