"""The participant's privacy pages: everything Accord holds about them (page and JSON), who read it, the privacy
notice to accept, and the request for deletion. Each page shows only the logged-in user's own participation
(404 without one): no URL names another participant."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conference.selectors import current_conference
from conference.services import AccordError

from . import registry
from .forms import DeletionRequestForm, NoticeAcceptForm
from .selectors import (
    accepted_notice,
    current_notice,
    notice_needs_acceptance,
    pending_deletion_request,
    personal_data,
    read_log_of,
)
from .services.notices import notice_accept
from .services.requests import deletion_request_open


def _own_participant(request: HttpRequest):
    participant = registry.own_participant(request.user, current_conference())
    if participant is None:
        raise Http404("No participation.")
    return participant


@login_required
@never_cache
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    participant = _own_participant(request)
    return render(request, "privacy/my_data.html", {
        "participant": participant,
        "conference": participant.conference,
        "sections": personal_data(participant),
        "reads": read_log_of(participant)[:500],
        "accepted": accepted_notice(participant),
        "notice_pending": notice_needs_acceptance(participant),
        "deletion_request": pending_deletion_request(participant),
        "deletion_form": DeletionRequestForm(),
    })


@login_required
@never_cache
@require_GET
def my_data_json(request: HttpRequest) -> HttpResponse:
    participant = _own_participant(request)
    document = {
        "conference": participant.conference.slug,
        "participant": participant.public_id,
        "generated_at": timezone.now().isoformat(),
        "data": personal_data(participant),
        "read_log": [
            {"when": entry.read_at.isoformat(), "reader": entry.reader_name, "kind": entry.kind,
             "what": entry.what, "where": entry.where}
            for entry in read_log_of(participant)
        ],
    }
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="my-data-{participant.public_id}.json"'
    return response


@login_required
@require_POST
def deletion_request(request: HttpRequest) -> HttpResponse:
    participant = _own_participant(request)
    form = DeletionRequestForm(request.POST)
    if form.is_valid():
        try:
            deletion_request_open(participant, actor=request.user, message=form.cleaned_data["message"])
        except AccordError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your request for deletion has been sent to the organizers."))
    else:
        messages.error(request, _("The message is too long."))
    return redirect("privacy:my_data")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def notice(request: HttpRequest) -> HttpResponse:
    """The current privacy notice in the page's language; a participant who has not accepted this version may
    accept it here (the registration's consent step sends them here when it changed)."""
    conference = current_conference()
    current = current_notice(conference)
    if current is None:
        raise Http404("No privacy notice.")
    participant = registry.own_participant(request.user, conference)
    form = NoticeAcceptForm(request.POST or None, initial={"version": current.version})
    if request.method == "POST":
        if participant is None:
            raise Http404("No participation.")
        if form.is_valid() and form.cleaned_data["version"] == current.version:
            notice_accept(participant, current, actor=request.user)
            messages.success(request, _("Thank you: your acceptance of the privacy notice is recorded."))
            return redirect("privacy:my_data")
        if form.is_valid():
            messages.error(request, _("The privacy notice changed while you read it: read this version."))
    return render(request, "privacy/notice.html", {
        "conference": conference,
        "notice": current,
        "text": current.localized_text(translation.get_language()),
        "participant": participant,
        "needs_acceptance": participant is not None and notice_needs_acceptance(participant),
        "form": form,
    })
