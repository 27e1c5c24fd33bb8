"""Visa letter downloads: the participant's own letter, and any participant's letter for staff at the desk."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from conference.selectors import current_conference
from registration.selectors import get_staff_participant, own_participant
from registration.views.files import private_file_response
from registration.views.staff import staff_required

from .models import VisaLetter
from .permissions import may_see_passport_data
from .services import visa_letter_download_record


def _letter_response(request: HttpRequest, participant) -> FileResponse:
    """The letter as a download, written to the audit log (who read whose passport data, and when); 404 when the
    participant has no letter."""
    letter = VisaLetter.objects.filter(participant=participant).exclude(file="").first()
    if letter is None:
        raise Http404("No visa letter.")
    letter.participant = participant
    response = private_file_response(
        letter.file, content_type="application/pdf", filename=f"visa-letter-{participant.public_id}.pdf"
    )
    visa_letter_download_record(letter, actor=request.user)
    return response


@login_required
@never_cache
@require_GET
def register_visa_letter(request: HttpRequest) -> FileResponse:
    """The logged-in participant's own visa letter (404 when there is none)."""
    participant = own_participant(request.user, current_conference())
    if participant is None:
        raise Http404("No visa letter.")
    return _letter_response(request, participant)


@staff_required
@never_cache
@require_GET
def desk_visa_letter(request: HttpRequest, conference, public_id: str) -> FileResponse:
    """Any participant's visa letter of the current conference, for staff with the passport permission only (404
    for the others, as for a letter that is not there)."""
    if not may_see_passport_data(request.user):
        raise Http404
    return _letter_response(request, get_staff_participant(conference, public_id))
