"""Self-registration: the participant's status page and the six form steps, saved one at a time.

The participant is always the user's own (``registration.selectors.own_participant``): linked to the account,
or found under a verified e-mail address. Passport data is never put into a page: the visa step says whether it is
on file.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conference.selectors import current_conference
from conference.services import AccordError

from ..enums import ParticipantStatus
from ..forms import (
    ConsentForm,
    NeedsForm,
    PersonalDetailsForm,
    PhotoForm,
    TravelForm,
    VisaForm,
    set_language_cookie,
)
from ..models import Participant
from ..permissions import focal_delegations, may_edit_step, registration_open
from ..selectors import own_participant
from ..services.steps import (
    STEP_COUNT,
    consents_save,
    has_travel_document,
    missing_for_submission,
    participant_link_user,
    participant_photo_save,
    privacy_notice_pending,
    registration_step_save,
    registration_submit,
    travel_document_save,
)
from .files import private_file_response

STEPS = [
    (1, gettext_lazy("Personal details")),
    (2, gettext_lazy("Photo")),
    (3, gettext_lazy("Dietary and accessibility needs")),
    (4, gettext_lazy("Travel and hotel")),
    (5, gettext_lazy("Visa support")),
    (6, gettext_lazy("Consents")),
]


def _own_participant(request: HttpRequest) -> Participant | None:
    participant = own_participant(request.user, current_conference())
    if participant is not None and participant.user_id is None:
        participant_link_user(participant, user=request.user)
    return participant


def _step_form(participant: Participant, step: int, data=None, files=None):
    """The form of ``step``. Model forms get a copy of the participant: validating a model form writes the
    cleaned values into its instance, and the service must see the old values to record what changed."""
    conference = participant.conference
    participant = copy.copy(participant)
    if step == 1:
        return PersonalDetailsForm(data, instance=participant)
    if step == 2:
        return PhotoForm(data, files, has_photo=bool(participant.photo))
    if step == 3:
        return NeedsForm(data, instance=participant)
    if step == 4:
        return TravelForm(data, instance=participant, conference=conference)
    if step == 5:
        # Only the checkbox comes from the database; the passport fields always start empty.
        return VisaForm(
            data,
            initial={"needs_visa_letter": participant.needs_visa_letter},
            conference=conference,
            document_on_file=has_travel_document(participant),
        )
    initial = {
        # Unticked again when a newer version of the privacy notice is published: it must be accepted anew.
        "privacy": not privacy_notice_pending(participant),
        "directory": participant.consent_directory,
        "photos": participant.consent_photos,
    }
    return ConsentForm(data, initial=initial)


def _save_step(request: HttpRequest, participant: Participant, step: int, form) -> None:
    user = request.user
    data = form.cleaned_data
    if step == 1:
        registration_step_save(participant, actor=user, step=1, **{name: data[name] for name in form.Meta.fields})
    elif step == 2:
        if data["photo"]:
            participant_photo_save(participant, actor=user, upload=data["photo"])
        else:
            registration_step_save(participant, actor=user, step=2)
    elif step in (3, 4):
        registration_step_save(participant, actor=user, step=step, **{name: data[name] for name in form.Meta.fields})
    elif step == 5:
        travel_document_save(
            participant,
            actor=user,
            needs_visa_letter=data["needs_visa_letter"],
            passport_number=data["passport_number"],
            passport_expiry=data["passport_expiry"],
            issuing_country=data["issuing_country"] or "",
        )
    else:
        consents_save(participant, actor=user, directory=data["directory"], photos=data["photos"])


def _steps_context(participant: Participant) -> list[dict]:
    return [
        {
            "number": number,
            "label": label,
            "done": participant.form_step >= number and (number != 2 or bool(participant.photo)),
            "editable": may_edit_step(participant, number),
        }
        for number, label in STEPS
    ]


@login_required
@never_cache
@require_GET
def register_status(request: HttpRequest) -> HttpResponse:
    participant = _own_participant(request)
    if participant is None:
        return render(
            request,
            "registration/register_none.html",
            {"conference": current_conference(), "managed": list(focal_delegations(request.user))},
        )
    if participant.consent_privacy_at is not None and privacy_notice_pending(participant):
        # A newer version of the privacy notice was published after the participant accepted one.
        messages.warning(request, _("The privacy notice has changed: read it and accept it again in the last step."))
    context = {
        "managed": list(focal_delegations(request.user)),
        "participant": participant,
        "conference": participant.conference,
        "steps": _steps_context(participant),
        "missing": missing_for_submission(participant) if participant.status == ParticipantStatus.INVITED else [],
        "can_submit": participant.status == ParticipantStatus.INVITED and registration_open(participant.conference),
        "registration_open": registration_open(participant.conference),
        "document_on_file": has_travel_document(participant),
        "next_step": min(participant.form_step + 1, STEP_COUNT),
    }
    return render(request, "registration/register_status.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def register_step(request: HttpRequest, step: int) -> HttpResponse:
    if not 1 <= step <= STEP_COUNT:
        raise Http404("No such step.")
    participant = _own_participant(request)
    if participant is None:
        return redirect("registration:register")
    if not may_edit_step(participant, step):
        messages.info(request, _("This part of your registration can no longer be changed."))
        return redirect("registration:register")
    form = _step_form(participant, step, request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                _save_step(request, participant, step, form)
            except AccordError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved."))
                if step < STEP_COUNT and "save_and_exit" not in request.POST:
                    response = redirect("registration:register_step", step=step + 1)
                else:
                    response = redirect("registration:register")
                if step == 1:
                    # The preferred language applies from now on (the switcher can still change it).
                    set_language_cookie(response, participant.preferred_language)
                return response
    context = {
        "participant": participant,
        "conference": participant.conference,
        "form": form,
        "step": step,
        "step_label": dict(STEPS)[step],
        "steps": _steps_context(participant),
        "step_count": STEP_COUNT,
        "document_on_file": step == 5 and has_travel_document(participant),
        "previous_step": step - 1 if step > 1 else None,
    }
    return render(
        request,
        "registration/register_step.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def register_submit(request: HttpRequest) -> HttpResponse:
    participant = _own_participant(request)
    if participant is None:
        return redirect("registration:register")
    try:
        registration_submit(participant, actor=request.user)
    except AccordError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you: your registration has been submitted."))
    return redirect("registration:register")


@login_required
@never_cache
@require_GET
def register_photo(request: HttpRequest) -> HttpResponse:
    """The participant's own photo (never through a public media URL)."""
    participant = _own_participant(request)
    if participant is None:
        raise Http404("No photo.")
    return private_file_response(participant.photo, content_type="image/jpeg")
