"""Cooperation's pages: the directory and one's entry, bilateral meetings (list, request, answer), the organizers'
grid. Each fetches through a selector that answers 404 for what the user may not see; each write is one service."""

from __future__ import annotations

import datetime
from itertools import groupby

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conference.models import Delegation
from conference.selectors import current_conference
from conference.services import AccordError
from registration.enums import ParticipantStatus
from registration.models import Participant

from . import selectors, services
from .enums import BilateralStatus, Expertise, Side
from .forms import CounterForm, DirectoryConsentForm, DirectoryFilterForm, MeetingRequestForm
from .models import MeetingProposal
from .permissions import delegations_acted_for, is_organizer


def _language() -> str:
    return (translation.get_language() or "en")[:2]


def _conference():
    conference = current_conference()
    if conference is None:
        raise Http404
    return conference


def _participant_or_404(request: HttpRequest, conference):
    participant = selectors.approved_participant(request.user, conference)
    if participant is None:
        raise Http404
    return participant


# --- The directory ----------------------------------------------------------------------------------


@login_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    """The listed entries, searchable; only for approved participants of the conference."""
    conference = _conference()
    participant = _participant_or_404(request, conference)
    delegations = list(Delegation.objects.filter(conference=conference))
    form = DirectoryFilterForm(request.GET or None, delegations=delegations)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.directory_entries(
        conference,
        query=filters.get("q", ""),
        delegation_id=int(filters["delegation"]) if filters.get("delegation") else None,
        expertise=filters.get("expertise", ""),
        language=filters.get("language", ""),
    )
    language = _language()
    cards = [selectors.directory_card(entry, language) for entry in entries]
    return render(request, "cooperation/directory.html", {
        "form": form, "cards": cards, "participant": participant, "expertise_labels": dict(Expertise.choices),
        "language_labels": dict(form.fields["language"].choices), "conference": conference,
    })


@login_required
@require_http_methods(["GET", "POST"])
def directory_me(request: HttpRequest) -> HttpResponse:
    """One's own entry: listed or not, and which details to share."""
    conference = _conference()
    participant = _participant_or_404(request, conference)
    entry = selectors.directory_entry_of(participant)
    if request.method == "POST":
        form = DirectoryConsentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.directory_entry_update(
                    participant, actor=request.user, listed=data["listed"], expertise=data["expertise"],
                    **{name: data[name] for name in services.SHARE_FIELDS},
                )
            except AccordError as error:
                form.add_error(None, str(error))
            else:
                if data["listed"]:
                    messages.success(request, _("Your directory entry is saved."))
                else:
                    messages.success(request, _("You are not listed in the directory."))
                return redirect("cooperation:directory_me")
    else:
        initial = {"listed": False}
        if entry is not None:
            initial = {"listed": entry.listed, "expertise": entry.expertise,
                       **{name: getattr(entry, name) for name in services.SHARE_FIELDS}}
        form = DirectoryConsentForm(initial=initial)
    return render(request, "cooperation/directory_me.html", {"form": form, "participant": participant, "entry": entry})


# --- Bilateral meetings -----------------------------------------------------------------------------


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    conference = _conference()
    mine = list(delegations_acted_for(request.user, conference))
    if not mine and not is_organizer(request.user) and selectors.approved_participant(request.user, conference) is None:
        raise Http404
    meetings = selectors.meeting_list(request.user, conference)
    return render(request, "cooperation/meeting_list.html", {
        "meetings": meetings, "mine": mine, "conference": conference, "tz": conference.tz,
    })


def _members(delegation) -> list[Participant]:
    return list(
        Participant.objects.filter(delegation=delegation, status=ParticipantStatus.APPROVED)
        .order_by("last_name", "first_name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_request(request: HttpRequest) -> HttpResponse:
    """A focal point or head of delegation asks another delegation for a meeting."""
    conference = _conference()
    mine = list(delegations_acted_for(request.user, conference))
    if not mine:
        raise Http404
    chosen = request.POST.get("requesting") or request.GET.get("requesting") or str(mine[0].pk)
    requesting = next((d for d in mine if str(d.pk) == chosen), mine[0])
    others = list(Delegation.objects.filter(conference=conference).exclude(pk=requesting.pk))
    members = _members(requesting)
    invited_id = request.POST.get("invited") or request.GET.get("invited")
    invited = next((d for d in others if str(d.pk) == invited_id), None)
    delegation_ids = [requesting.pk] + ([invited.pk] if invited else [])
    slots = selectors.free_slots(conference, delegation_ids=delegation_ids, participant_ids=[], size=1)
    initial = {"requesting": str(requesting.pk), "invited": str(invited.pk) if invited else None}
    # A named person can be asked for only from the directory: listing is their consent to be found.
    listed = [e for e in selectors.listed_entries(conference).select_related("participant__delegation")
              .order_by("participant__last_name", "participant__first_name")
              if e.participant.delegation_id and e.participant.delegation_id != requesting.pk]
    form = MeetingRequestForm(request.POST or None, initial=initial, mine=mine, others=others, members=members,
                              slots=slots, tz=conference.tz, listed=listed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.bilateral_request(
                conference=conference, requesting=requesting,
                invited=next(d for d in others if str(d.pk) == data["invited"]),
                actor=request.user, topic=data["topic"], attendee_ids=[int(x) for x in data["attendees"]],
                languages=data["languages"], slot_ids=[int(x) for x in data["slots"]],
                invited_participant=next((e.participant for e in listed
                                          if e.participant.public_id == data["invited_participant"]), None),
            )
        except AccordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your request is sent to the other delegation."))
            return redirect("cooperation:meeting", pk=meeting.pk)
    warnings = {str(choice.slot.pk): choice.warnings for choice in slots if choice.warnings}
    return render(request, "cooperation/meeting_request.html", {
        "form": form, "conference": conference, "warnings": warnings, "requesting": requesting,
    })


def _answer_slots(meeting):
    """The proposals of the last round, with the warnings of each (a member expected at a session)."""
    return [p for p in meeting.proposals.all() if p.round == meeting.round]


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference()
    meeting = selectors.meeting_for(request.user, conference, pk)
    side = services.side_of(request.user, meeting)
    may_answer = meeting.status == BilateralStatus.REQUESTED and side is not None and side == meeting.awaiting
    counter_form = None
    answer_members = []
    if may_answer:
        members = list(meeting.attendees.all())
        choices = selectors.free_slots(
            conference, delegation_ids=[meeting.requesting_id, meeting.invited_id],
            participant_ids=[a.participant_id for a in members], languages=meeting.languages,
            exclude_meeting_id=meeting.pk,
        )
        counter_form = CounterForm(slots=choices, tz=conference.tz)
        mine = meeting.delegation_of(side)
        chosen = {a.participant_id for a in members}
        answer_members = [(p, p.pk in chosen) for p in _members(mine)]
    rounds = [(number, list(group)) for number, group in groupby(meeting.proposals.all(), key=lambda p: p.round)]
    return render(request, "cooperation/meeting_detail.html", {
        "meeting": meeting, "side": side, "may_answer": may_answer, "counter_form": counter_form,
        "answer_slots": _answer_slots(meeting) if may_answer else [], "rounds": rounds,
        "answer_members": answer_members,
        "may_cancel": meeting.status in (BilateralStatus.REQUESTED, BilateralStatus.ACCEPTED)
        and (side is not None or is_organizer(request.user)),
        "warnings": services.clash_warnings(meeting) if meeting.status == BilateralStatus.ACCEPTED else [],
        "tz": conference.tz, "conference": conference, "Side": Side,
        **_follow_up_context(request, meeting, side),
    })


def _follow_up_context(request: HttpRequest, meeting, side) -> dict:
    from .forms import FollowUpForm
    from .models import FollowUp

    if meeting.status != BilateralStatus.ACCEPTED:
        return {}
    may_record = side is not None or is_organizer(request.user)
    follow_ups = list(FollowUp.objects.filter(meeting=meeting).select_related("owner"))
    return {
        "follow_ups": follow_ups,
        "follow_up_form": FollowUpForm(meeting=meeting, instance=FollowUp(meeting=meeting)) if may_record else None,
        "may_record": may_record,
        "status_choices": FollowUp._meta.get_field("status").choices,
    }


@login_required
@require_POST
def meeting_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept one slot, propose others, decline or cancel: one service each."""
    conference = _conference()
    meeting = selectors.meeting_for(request.user, conference, pk)
    action = request.POST.get("action")
    attendee_ids = [int(x) for x in request.POST.getlist("attendees") if x.isdigit()] or None
    try:
        if action == "accept":
            slot_id = request.POST.get("slot", "")
            if not slot_id.isdigit():
                raise AccordError(_("Choose one of the slots proposed in the last round."))
            meeting, warnings = services.bilateral_accept(meeting, actor=request.user, slot_id=int(slot_id),
                                                          attendee_ids=attendee_ids)
            messages.success(request, _("The meeting is confirmed."))
            for warning in warnings:
                messages.warning(request, warning)
        elif action == "counter":
            ids = [int(x) for x in request.POST.getlist("slots") if x.isdigit()]
            services.bilateral_counter(meeting, actor=request.user, slot_ids=ids, attendee_ids=attendee_ids)
            messages.success(request, _("Your proposal is sent to the other delegation."))
        elif action == "decline":
            services.bilateral_decline(meeting, actor=request.user)
            messages.success(request, _("The request is declined."))
        elif action == "cancel":
            services.bilateral_cancel(meeting, actor=request.user)
            messages.success(request, _("The meeting is cancelled."))
        else:
            raise AccordError(_("Unknown action."))
    except AccordError as error:
        messages.error(request, str(error))
    return redirect("cooperation:meeting", pk=pk)


# --- The organizers' grid ---------------------------------------------------------------------------


@staff_member_required
@require_GET
def meeting_grid(request: HttpRequest, day: str | None = None) -> HttpResponse:
    """Rooms (columns) by slots (rows) of one day, with the meetings booked in them."""
    conference = _conference()
    tz = conference.tz
    try:
        the_day = datetime.date.fromisoformat(day) if day else conference.start_date
    except ValueError as error:
        raise Http404 from error
    if not conference.start_date <= the_day <= conference.end_date:
        raise Http404
    rooms = [r.room for r in selectors.meeting_rooms(conference)]
    slots = [s for s in selectors.grid_slots(conference) if timezone.localtime(s.starts_at, tz).date() == the_day]
    meetings = [m for m in selectors.meetings_queryset(request.user, conference).filter(status=BilateralStatus.ACCEPTED)
                if m.starts_at and timezone.localtime(m.starts_at, tz).date() == the_day]
    rows = []
    for slot in slots:
        cells = []
        for room in rooms:
            cells.append([m for m in meetings if m.room_id == room.pk and m.starts_at < slot.ends_at
                          and m.ends_at > slot.starts_at])
        rows.append((slot, cells))
    days = [conference.start_date + datetime.timedelta(days=n)
            for n in range((conference.end_date - conference.start_date).days + 1)]
    pending = MeetingProposal.objects.filter(
        meeting__conference=conference, meeting__status=BilateralStatus.REQUESTED
    ).count()
    return render(request, "cooperation/grid.html", {
        "rooms": rooms, "rows": rows, "day": the_day, "days": days, "tz": tz, "conference": conference,
        "pending": pending,
    })


# --- Contact exchange -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def contact_scan(request: HttpRequest) -> HttpResponse:
    """The phone page: scan another participant's badge (or type its code) to ask them to exchange contacts."""
    conference = _conference()
    participant = _participant_or_404(request, conference)
    if request.method == "POST":
        try:
            exchange = services.contact_request_by_code(participant, request.POST.get("code", ""), actor=request.user)
        except AccordError as error:
            messages.error(request, str(error))
        else:
            if exchange.status == "confirmed":
                messages.success(request, _("Contacts exchanged."))
            else:
                messages.success(request, _("Request sent: the other person confirms on their contacts page."))
        return redirect("cooperation:contact_scan")
    return render(request, "cooperation/contact_scan.html", {
        "participant": participant, "open_until": services.contact_exchange_open_until(conference),
        "is_open": timezone.now() < services.contact_exchange_open_until(conference), "conference": conference,
    })


@login_required
@require_POST
def contact_exchange(request: HttpRequest) -> HttpResponse:
    """"Exchange contacts" from the directory: only with a listed entry of the same conference."""
    conference = _conference()
    participant = _participant_or_404(request, conference)
    entry = selectors.listed_entries(conference).select_related("participant").filter(
        participant__public_id=request.POST.get("participant", "")
    ).first()
    if entry is None:
        raise Http404
    try:
        services.contact_request(participant, entry.participant, actor=request.user)
    except AccordError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Request sent: the other person confirms on their contacts page."))
    return redirect("cooperation:directory")


@login_required
@require_http_methods(["GET", "POST"])
def contacts(request: HttpRequest) -> HttpResponse:
    """My contacts, the requests waiting for my confirmation, and the exports."""
    conference = _conference()
    participant = _participant_or_404(request, conference)
    if request.method == "POST":
        pending = {str(e.pk): e for e in selectors.pending_contact_requests(participant)}
        exchange = pending.get(request.POST.get("exchange", ""))
        if exchange is None:
            raise Http404
        try:
            services.contact_answer(exchange, recipient=participant, accept=request.POST.get("action") == "confirm",
                                    actor=request.user)
        except AccordError as error:
            messages.error(request, str(error))
        return redirect("cooperation:contacts")
    return render(request, "cooperation/contacts.html", {
        "contacts": selectors.my_contacts(participant, _language()),
        "pending": selectors.pending_contact_requests(participant), "participant": participant,
    })


@login_required
@require_GET
def contacts_export(request: HttpRequest, fmt: str) -> HttpResponse:
    from .exports import contacts_csv, contacts_vcard

    conference = _conference()
    participant = _participant_or_404(request, conference)
    found = selectors.my_contacts(participant, _language())
    if fmt == "vcf":
        response = HttpResponse(contacts_vcard(found), content_type="text/vcard; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="contacts.vcf"'
    else:
        response = HttpResponse(contacts_csv(found), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="contacts.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- The cooperation register -----------------------------------------------------------------------


@login_required
@require_POST
def follow_up_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Either delegation (or an organizer) records a follow-up of the meeting, or changes one's status."""
    from .forms import FollowUpForm
    from .models import FollowUp

    conference = _conference()
    meeting = selectors.meeting_for(request.user, conference, pk)
    instance = None
    if request.POST.get("follow_up"):
        instance = FollowUp.objects.filter(meeting=meeting, pk=request.POST["follow_up"]).first()
        if instance is None:
            raise Http404
    form = FollowUpForm(request.POST, instance=instance or FollowUp(meeting=meeting), meeting=meeting)
    if form.is_valid():
        try:
            services.follow_up_save(form.instance, actor=request.user)
        except AccordError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The follow-up is saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("cooperation:meeting", pk=meeting.pk)


@staff_member_required
@require_http_methods(["GET", "POST"])
def outcome_report(request: HttpRequest) -> HttpResponse:
    """The organizers' outcome report (tables with bars), its XLSX, and its PDF prepared by a task."""
    from django.core.files.storage import default_storage

    from .tasks import render_outcome_report_task

    conference = _conference()
    language = _language()
    if request.method == "POST":
        render_outcome_report_task.delay_on_commit(conference_id=conference.pk, language=language)
        messages.success(request, _("The PDF is being prepared: reload this page in a moment."))
        return redirect("cooperation:report")
    return render(request, "cooperation/report.html", {
        "report": selectors.outcome_report(conference, language),
        "pdf_ready": default_storage.exists(services.outcome_report_name(conference, language)),
    })


@staff_member_required
@require_GET
def outcome_report_pdf(request: HttpRequest) -> HttpResponse:
    from django.core.files.storage import default_storage
    from django.http import FileResponse

    conference = _conference()
    name = services.outcome_report_name(conference, _language())
    if not default_storage.exists(name):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), content_type="application/pdf",
                            filename="outcome-report.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@staff_member_required
@require_GET
def outcome_report_xlsx(request: HttpRequest) -> HttpResponse:
    from .exports import outcome_report_xlsx as build

    conference = _conference()
    response = HttpResponse(
        build(selectors.outcome_report(conference, _language())),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="outcome-report.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
