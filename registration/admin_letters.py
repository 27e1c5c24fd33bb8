"""Admin action: issue (or issue again) the visa letters of the selected participants and e-mail them."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from conference.services import AccordError

from .services.letters import visa_letter_issue


@admin.action(description=_("Issue visa letters"))
def issue_visa_letters(modeladmin, request, queryset):
    """Issue each selected participant's letter (re-issue when one exists); the others are listed with why."""
    if not request.user.is_staff:
        raise PermissionDenied
    issued = 0
    for participant in queryset.select_related(None).order_by("pk"):
        try:
            visa_letter_issue(participant, actor=request.user, reissue=True)
        except AccordError as exc:
            modeladmin.message_user(request, str(exc), messages.WARNING)
        else:
            issued += 1
    if issued:
        modeladmin.message_user(
            request,
            ngettext("%(count)d visa letter issued and e-mailed.", "%(count)d visa letters issued and e-mailed.",
                     issued) % {"count": issued},
            messages.SUCCESS,
        )
    elif not queryset.exists():
        modeladmin.message_user(request, gettext("No participant selected."), messages.WARNING)
