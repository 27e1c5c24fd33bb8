"""Admin widgets that say which time zone their times are in."""

from __future__ import annotations

from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils import timezone

from .zones import zone_label


class ZonedAdminSplitDateTime(AdminSplitDateTime):
    """The admin's date and time inputs, with the time zone they are entered and shown in (the current one,
    which ``ConferenceTimeZoneMiddleware`` sets to the conference's)."""

    template_name = "conference/widgets/zoned_split_datetime.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        zone = timezone.get_current_timezone_name()
        context["zone_name"] = zone
        context["zone_label"] = zone_label(zone)
        return context
