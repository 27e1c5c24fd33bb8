"""Admin of onsite: the read-mostly lists of badges, prints, batches and scans, and the action on participants that
renders their badges as one batch (the desk shows its progress)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from conference.services import AccordError
from registration.admin import add_participant_action

from .models import Badge, BadgeBatch, BadgePrint, CheckIn
from .services.badges import badge_batch_start


@add_participant_action
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
        request, ngettext("Rendering %(count)d badge: follow the progress on the desk's batch page.",
                          "Rendering %(count)d badges: follow the progress on the desk's batch page.", total)
        % {"count": total},
        messages.SUCCESS,
    )
    return HttpResponseRedirect(reverse("registration:desk_batches"))


# Badges and check-in: read-mostly lists (the badge services own their writes) ------------------------


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    list_display = ["participant", "printed_count", "last_printed_at", "revoked_at", "created_at"]
    list_select_related = ["participant"]
    search_fields = ["participant__first_name", "participant__last_name", "participant__email",
                     "participant__badge_name"]
    list_filter = ["participant__conference", "revoked_at"]
    readonly_fields = ["participant", "printed_count", "last_printed_at", "revoked_at", "created_at"]
    exclude = ["token"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BadgePrint)
class BadgePrintAdmin(admin.ModelAdmin):
    list_display = ["badge", "printed_at", "printed_by", "is_reprint", "reason", "batch"]
    list_select_related = ["badge__participant", "printed_by", "batch"]
    list_filter = ["is_reprint"]
    date_hierarchy = "printed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BadgeBatch)
class BadgeBatchAdmin(admin.ModelAdmin):
    list_display = ["pk", "conference", "delegation", "layout", "status", "done", "total", "created_at",
                    "finished_at"]
    list_select_related = ["conference", "delegation"]
    list_filter = ["conference", "status"]
    readonly_fields = ["conference", "requested_by", "delegation", "participant_ids", "layout", "status", "total",
                       "done", "file", "error", "created_at", "finished_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["received_at", "scanned_at", "participant", "result", "scanned_by", "device"]
    list_select_related = ["participant", "scanned_by"]
    list_filter = ["conference", "result"]
    date_hierarchy = "received_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


from .documents import admin as documents_admin  # noqa: E402,F401  (the official documents' pages)
