"""Admin action: queue the issue (or the issue again) of the selected participants' visa letters and their e-mails.

The letters print the passport number: the action needs the passport permission, and the PDFs are rendered by
the task, never in the request."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from registration.admin import add_participant_action
from registration.permissions import may_see_passport_data

from .services import visa_letter_queue_reissue, visa_letter_refusal


@add_participant_action
@admin.action(description=_("Issue visa letters"))
def issue_visa_letters(modeladmin, request, queryset):
    """Queue each selected participant's letter (re-issued when one exists); the others are listed with why."""
    if not may_see_passport_data(request.user):
        raise PermissionDenied
    queued = []
    for participant in queryset.select_related(None).select_related("travel_document").order_by("pk"):
        refusal = visa_letter_refusal(participant)
        if refusal:
            modeladmin.message_user(request, refusal, messages.WARNING)
        else:
            queued.append(participant.pk)
    if queued:
        visa_letter_queue_reissue(queued, actor=request.user)
        modeladmin.message_user(
            request,
            ngettext("%(count)d visa letter queued: it is issued and e-mailed in the background.",
                     "%(count)d visa letters queued: they are issued and e-mailed in the background.",
                     len(queued)) % {"count": len(queued)},
            messages.SUCCESS,
        )
    elif not queryset.exists():
        modeladmin.message_user(request, gettext("No participant selected."), messages.WARNING)
