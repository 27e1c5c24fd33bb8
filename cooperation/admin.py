"""The organizers' admin for bilateral meetings (times entered and shown in the conference's zone)."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conference.selectors import current_conference

from .forms import BilateralMeetingAdminForm
from .models import BilateralMeeting


def _admin_zone():
    conference = current_conference()
    return conference.tz if conference else "Africa/Cairo"


@admin.register(BilateralMeeting)
class BilateralMeetingAdmin(admin.ModelAdmin):
    form = BilateralMeetingAdminForm
    list_display = ["requesting", "invited", "topic", "local_start", "room", "status"]
    list_filter = ["conference", "status"]
    search_fields = ["topic", "requesting__code", "invited__code"]
    list_select_related = ["conference", "requesting", "invited", "room"]
    autocomplete_fields = ["requesting", "invited", "room"]

    @admin.display(description=_("starts"), ordering="starts_at")
    def local_start(self, obj: BilateralMeeting) -> str:
        if not obj.starts_at:
            return "—"
        return timezone.localtime(obj.starts_at, obj.conference.tz).strftime("%Y-%m-%d %H:%M")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with timezone.override(_admin_zone()):
            return super().changeform_view(request, object_id, form_url, extra_context)
