from __future__ import annotations

from django.conf import settings

from .models import Conference


def current_conference() -> Conference | None:
    """The conference the public pages show: ACCORD_DEFAULT_CONFERENCE, else the latest one."""
    conference = (
        Conference.objects.prefetch_related("partners").filter(slug=settings.ACCORD_DEFAULT_CONFERENCE).first()
    )
    if conference is None:
        conference = Conference.objects.prefetch_related("partners").first()
    return conference
