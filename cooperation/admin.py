"""The organizers' admin for bilateral meetings, meeting rooms and the slot grid (times entered and shown in the
conference's zone, which conference.middleware activates on every request). Every save and delete goes through a
service (checks, bookings, audit entry)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conference.services import AccordError

from . import services
from .forms import BilateralMeetingAdminForm
from .models import BilateralMeeting, CooperationSettings, FollowUp, MeetingRoom, MeetingSlot


class _ServiceDeleteMixin:
    def delete_model(self, request, obj):
        services.meeting_grid_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


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

    def save_model(self, request, obj, form, change):
        try:
            services.bilateral_schedule(obj, actor=request.user)
        except AccordError as error:
            messages.error(request, str(error))

    def delete_model(self, request, obj):
        services.bilateral_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.bilateral_delete(obj, actor=request.user)


@admin.register(MeetingRoom)
class MeetingRoomAdmin(_ServiceDeleteMixin, admin.ModelAdmin):
    list_display = ["room", "conference", "capacity"]
    list_filter = ["conference"]
    list_select_related = ["room", "conference"]
    autocomplete_fields = ["room"]

    @admin.display(description=_("capacity"))
    def capacity(self, obj: MeetingRoom) -> int:
        return obj.room.capacity

    def save_model(self, request, obj, form, change):
        services.meeting_room_save(obj, actor=request.user)


class MeetingSlotForm(forms.ModelForm):
    class Meta:
        model = MeetingSlot
        fields = ["conference", "starts_at", "ends_at"]

    def clean(self):
        cleaned = super().clean()
        slot = self.instance
        for name in self.Meta.fields:
            if name in cleaned:
                setattr(slot, name, cleaned[name])
        if slot.conference_id and slot.starts_at and slot.ends_at:
            for message in services.meeting_slot_problems(slot):
                self.add_error(None, message)
        return cleaned


@admin.register(MeetingSlot)
class MeetingSlotAdmin(_ServiceDeleteMixin, admin.ModelAdmin):
    form = MeetingSlotForm
    list_display = ["local_start", "local_end", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]

    @admin.display(description=_("starts"), ordering="starts_at")
    def local_start(self, obj: MeetingSlot) -> str:
        return timezone.localtime(obj.starts_at, obj.conference.tz).strftime("%Y-%m-%d %H:%M")

    @admin.display(description=_("ends"), ordering="ends_at")
    def local_end(self, obj: MeetingSlot) -> str:
        return timezone.localtime(obj.ends_at, obj.conference.tz).strftime("%H:%M")

    def save_model(self, request, obj, form, change):
        services.meeting_slot_save(obj, actor=request.user)


@admin.register(FollowUp)
class FollowUpAdmin(_ServiceDeleteMixin, admin.ModelAdmin):
    list_display = ["meeting", "kind", "owner", "due_date", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["meeting__requesting", "meeting__invited", "owner"]
    raw_id_fields = ["meeting", "owner"]
    exclude = ["recorded_by", "reminded_3m_at", "reminded_6m_at"]

    def save_model(self, request, obj, form, change):
        try:
            services.follow_up_save(obj, actor=request.user)
        except AccordError as error:
            messages.error(request, str(error))

    def delete_model(self, request, obj):
        services.follow_up_delete(obj, actor=request.user)


@admin.register(CooperationSettings)
class CooperationSettingsAdmin(admin.ModelAdmin):
    list_display = ["conference", "contact_exchange_until"]

    def save_model(self, request, obj, form, change):
        services.cooperation_settings_save(obj, actor=request.user)
