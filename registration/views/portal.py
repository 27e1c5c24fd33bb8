"""The focal-point portal: a focal point sees and manages only their own delegation.

Every object is fetched through ``registration.permissions`` (404 for missing and forbidden alike); the
writes are services in ``registration/services/``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conference.models import Delegation
from conference.services import AccordError

from .. import selectors
from ..forms import DecisionForm, NominationForm, NominationLetterForm, SubstitutionForm
from ..permissions import (
    focal_delegations,
    get_delegation_for,
    get_member_for,
    may_decide,
    may_download_nomination_letter,
)
from ..questions import QuestionFields
from ..questions_selectors import page_questions
from ..services.nominations import (
    nomination_create,
    nomination_letter_upload,
    nomination_substitute,
    open_request_decide,
    open_request_endorse,
)
from ..services.participants import participant_approve, participant_reject
from ..services.questions import created_with_answers
from .files import private_file_response


@login_required
@require_GET
def delegation_list(request: HttpRequest) -> HttpResponse:
    delegations = list(focal_delegations(request.user))
    if len(delegations) == 1:
        return redirect("registration:delegation", code=delegations[0].code)
    return render(request, "registration/portal_list.html", {"delegations": delegations})


def _nomination_form(delegation: Delegation, data=None) -> NominationForm:
    """The nomination form with the organizers' questions marked "asked in the nomination form"."""
    form = NominationForm(data, delegation=delegation)
    form.questions = QuestionFields(
        form, page_questions(delegation.conference_id, where="nomination", delegation_kind=delegation.kind))
    return form


def _detail(request: HttpRequest, delegation: Delegation, *, status: int = 200, **forms) -> HttpResponse:
    context = {
        "delegation": delegation,
        "conference": delegation.conference,
        "members": selectors.delegation_members(delegation),
        "requests": selectors.delegation_open_requests(delegation),
        "quota": selectors.delegation_quota(delegation),
        "may_decide": may_decide(delegation),
        "nomination_form": forms.get("nomination_form") or _nomination_form(delegation),
        "letter_form": forms.get("letter_form") or NominationLetterForm(),
        "decision_form": DecisionForm(),
    }
    return render(request, "registration/portal_detail.html", context, status=status)


@login_required
@require_GET
def delegation_detail(request: HttpRequest, code: str) -> HttpResponse:
    delegation = get_delegation_for(request.user, code)
    return _detail(request, delegation)


@login_required
@require_POST
def member_nominate(request: HttpRequest, code: str) -> HttpResponse:
    delegation = get_delegation_for(request.user, code)
    form = _nomination_form(delegation, request.POST)
    if form.is_valid() and form.questions.validate(category=form.cleaned_data["category"]):
        try:
            participant = created_with_answers(
                lambda: nomination_create(delegation, actor=request.user, **{
                    k: v for k, v in form.cleaned_data.items() if not k.startswith("q_")}),
                actor=request.user, answers=form.questions.answers,
            )
        except AccordError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("%(name)s has been nominated and invited.") % {"name": participant.full_name}
            )
            return redirect("registration:delegation", code=delegation.code)
    return _detail(request, delegation, status=400, nomination_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def member_substitute(request: HttpRequest, code: str, public_id: str) -> HttpResponse:
    delegation = get_delegation_for(request.user, code)
    member = get_member_for(request.user, delegation, public_id)
    initial = {"category": member.category, "language": member.preferred_language}
    form = SubstitutionForm(request.POST or None, delegation=delegation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = nomination_substitute(member, actor=request.user, **form.cleaned_data)
        except AccordError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(new)s replaces %(old)s.") % {"new": new.full_name, "old": member.full_name or member.email},
            )
            return redirect("registration:delegation", code=delegation.code)
    return render(
        request,
        "registration/portal_substitute.html",
        {"delegation": delegation, "member": member, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def member_decide(request: HttpRequest, code: str, public_id: str) -> HttpResponse:
    delegation = get_delegation_for(request.user, code)
    member = get_member_for(request.user, delegation, public_id)
    pending_request = selectors.is_pending_request(member)
    # Open requests to join the delegation are the focal point's to decide; other members only when the
    # conference lets focal points approve.
    if not pending_request and not may_decide(delegation):
        raise Http404("Focal points may not decide in this conference.")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("registration:delegation", code=delegation.code)
    approve = form.cleaned_data["decision"] == "approve"
    reason = form.cleaned_data["reason"]
    if pending_request and approve and not may_decide(delegation):
        # Only the organizers approve in this conference: the focal point's "Accept" is an endorsement.
        try:
            open_request_endorse(member, actor=request.user)
        except AccordError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("You endorsed the request of %(name)s; the organizers will decide.")
                             % {"name": member})
        return redirect("registration:delegation", code=delegation.code)
    try:
        if pending_request:
            open_request_decide(member, actor=request.user, approve=approve, reason=reason)
        elif approve:
            participant_approve(member, actor=request.user, reason=reason)
        else:
            participant_reject(member, actor=request.user, reason=reason)
    except AccordError as exc:
        messages.error(request, str(exc))
    else:
        message = _("%(name)s is approved.") if approve else _("%(name)s is rejected.")
        messages.success(request, message % {"name": member})
    return redirect("registration:delegation", code=delegation.code)


@login_required
@require_POST
def letter_upload(request: HttpRequest, code: str) -> HttpResponse:
    delegation = get_delegation_for(request.user, code)
    form = NominationLetterForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            nomination_letter_upload(delegation, actor=request.user, upload=form.cleaned_data["letter"])
        except AccordError as exc:
            form.add_error("letter", str(exc))
        else:
            messages.success(request, _("The nomination letter has been uploaded."))
            return redirect("registration:delegation", code=delegation.code)
    return _detail(request, delegation, status=400, letter_form=form)


@login_required
@require_GET
def letter_download(request: HttpRequest, code: str) -> HttpResponse:
    """The letter, for the delegation's focal points and organizers only (never a public media URL)."""
    if request.user.is_staff:
        delegation = (
            Delegation.objects.select_related("conference")
            .filter(code=code)
            .order_by("-conference__start_date")
            .first()
        )
        if delegation is None:
            raise Http404("No such delegation.")
    else:
        delegation = get_delegation_for(request.user, code)
    if not may_download_nomination_letter(request.user, delegation):
        raise Http404("No letter.")
    return private_file_response(
        delegation.nomination_letter, content_type="application/pdf", filename=f"nomination-{delegation.code}.pdf"
    )
