"""Self-registration: the participant's status page and the form's steps (``registration/form_steps.py``),
saved one at a time.

The participant is always the user's own (``registration.selectors.own_participant``): linked to the account,
or found under a verified e-mail address. Passport data is never put into a page: the visa step says whether it is
on file.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conference.selectors import current_conference
from conference.services import AccordError

from ..enums import ParticipantStatus
from ..form_steps import form_steps, step_at, step_context, step_count
from ..forms import set_language_cookie
from ..models import Participant
from ..permissions import focal_delegations, may_edit_step, registration_open
from ..questions import QuestionFields
from ..questions_selectors import conference_questions, participant_questions
from ..selectors import own_participant
from ..services.questions import answers_locked, step_with_answers_save
from ..services.steps import (
    missing_for_submission,
    participant_link_user,
    privacy_notice_pending,
    registration_submit,
)
from ..status_panels import status_panels
from .files import private_file_response


def _own_participant(request: HttpRequest) -> Participant | None:
    participant = own_participant(request.user, current_conference())
    if participant is not None and participant.user_id is None:
        participant_link_user(participant, user=request.user)
    return participant


def _steps_context(participant: Participant) -> list[dict]:
    return [
        {
            "number": number,
            "key": step.key,
            "label": step.label,
            "done": participant.form_step >= number and (step.done is None or step.done(participant)),
            "editable": may_edit_step(participant, number),
        }
        for number, step in enumerate(form_steps(), start=1)
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
        "status_templates": [step.status_template for step in form_steps() if step.status_template],
        "status_panels": status_panels(participant),
        "next_step": min(participant.form_step + 1, step_count()),
        **step_context(participant),
    }
    return render(request, "registration/register_status.html", context)


def _step_questions(participant: Participant, key: str, form, files) -> QuestionFields:
    """The organizers' questions asked on this step, attached to its form (read-only once approved); a question
    asking for a file gets the request's files even where the step's own form takes none."""
    from ..models import Answer

    asked = participant_questions(participant, conference_questions(participant.conference_id), where=key)
    if files and not form.files:
        form.files = files
    answers = list(Answer.objects.filter(participant=participant).select_related("question")) if asked else []
    return QuestionFields(
        form, asked, values={a.question_id: a.data for a in answers},
        files={a.question_id for a in answers if a.stored_file}, locked=answers_locked(participant),
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def register_step(request: HttpRequest, step: int) -> HttpResponse:
    form_step = step_at(step)
    if form_step is None:
        raise Http404("No such step.")
    participant = _own_participant(request)
    if participant is None:
        return redirect("registration:register")
    if not may_edit_step(participant, step):
        messages.info(request, _("This part of your registration can no longer be changed."))
        return redirect("registration:register")
    form = form_step.build_form(participant, request.POST or None, request.FILES or None)
    questions = _step_questions(participant, form_step.key, form, request.FILES or None)
    if request.method == "POST":
        if form.is_valid() and questions.validate():
            try:
                step_with_answers_save(form_step.save, participant, actor=request.user, form=form, number=step,
                                       answers=questions.answers)
            except AccordError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved."))
                if step < step_count() and "save_and_exit" not in request.POST:
                    response = redirect("registration:register_step", step=step + 1)
                else:
                    response = redirect("registration:register")
                if form_step.key == "personal":
                    # The preferred language applies from now on (the switcher can still change it).
                    set_language_cookie(response, participant.preferred_language)
                return response
    context = {
        "participant": participant,
        "conference": participant.conference,
        "form": form,
        "step": step,
        "step_key": form_step.key,
        "step_label": form_step.label,
        "step_intro": form_step.intro_template,
        "steps": _steps_context(participant),
        "step_count": step_count(),
        "previous_step": step - 1 if step > 1 else None,
        **(form_step.context(participant) if form_step.context else {}),
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
