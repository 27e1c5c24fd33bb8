"""The signed-in person's home: what each of their roles lets them do, where they land after logging in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from conference.selectors import current_conference

from ..permissions import focal_delegations, registration_open
from ..selectors import own_participant


@login_required
@never_cache
@require_GET
def my_home(request: HttpRequest) -> HttpResponse:
    """One section per role the person has: participant (registration, agenda), focal point (each delegation
    managed), staff (administration, desk, dashboard); and, with none, how to attend."""
    conference = current_conference()
    participant = own_participant(request.user, conference)
    managed = list(focal_delegations(request.user))
    context = {
        "conference": conference,
        "participant": participant,
        "managed": managed,
        "is_staff": request.user.is_staff,
        "registration_open": conference is not None and registration_open(conference),
    }
    return render(request, "registration/my_home.html", context)
