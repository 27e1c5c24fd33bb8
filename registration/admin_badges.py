"""Admin action: render the badges of the selected participants as one batch (the desk shows its progress)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conference.services import AccordError

from .services.badges import badge_batch_start


@admin.action(description=_("Render badges for selected participants"))
def render_badges_for_selected(modeladmin, request, queryset):
    """One batch per conference of the selection; refuses a selection with non-approved participants."""
    if not request.user.is_staff:
        raise PermissionDenied
    by_conference: dict = {}
    for participant in queryset.select_related(None).select_related("conference"):
        by_conference.setdefault(participant.conference, []).append(participant.pk)
    started = []
    for conference, ids in by_conference.items():
        try:
            started.append(badge_batch_start(conference, actor=request.user, participant_ids=ids))
        except AccordError as exc:
            modeladmin.message_user(request, f"{conference}: {exc}", messages.ERROR)
    if not started:
        return None
    total = sum(batch.total for batch in started)
    modeladmin.message_user(
        request, gettext("Rendering %(count)d badges: follow the progress on the desk's batch page.") % {"count": total},
        messages.SUCCESS,
    )
    return HttpResponseRedirect(reverse("registration:desk_batches"))
