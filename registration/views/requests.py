"""Open requests: a logged-in person without an invitation asks to join a delegation or to attend as observer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from conference.selectors import current_conference
from conference.services import AccordError

from .. import selectors
from ..forms import OpenRequestForm
from ..questions import QuestionFields
from ..questions_selectors import page_questions
from ..selectors import own_participant
from ..services.questions import created_with_answers


@login_required
@require_http_methods(["GET", "POST"])
def open_request(request: HttpRequest) -> HttpResponse:
    conference = current_conference()
    if conference is None:
        return render(request, "registration/register_none.html", {"conference": None})
    if own_participant(request.user, conference) is not None:
        messages.info(request, _("You are already registered for this conference."))
        return redirect("registration:register")
    form = OpenRequestForm(request.POST or None, delegations=selectors.conference_delegations(conference))
    # The organizers' questions marked "asked in the request to attend" (whatever delegation is chosen).
    questions = QuestionFields(form, page_questions(conference.pk, where="request", delegation_kind=None))
    if request.method == "POST" and form.is_valid() and questions.validate(category=form.cleaned_data["category"]):
        from ..services.nominations import open_request_create

        try:
            created_with_answers(
                lambda: open_request_create(
                    conference,
                    user=request.user,
                    language=(get_language() or "en")[:2],
                    **{k: v for k, v in form.cleaned_data.items() if not k.startswith("q_")},
                ),
                actor=request.user, answers=questions.answers,
            )
        except AccordError as exc:
            # Double click, second tab, retried request: the database constraint let only one through.
            messages.error(request, str(exc))
            return redirect("registration:register")
        messages.success(
            request, _("Your request has been sent. You will receive an e-mail when it has been decided.")
        )
        return redirect("registration:register")
    return render(
        request,
        "registration/request_form.html",
        {"form": form, "conference": conference},
        status=400 if request.method == "POST" else 200,
    )
