"""The travel logistics in the admin: vehicles, transfer runs (organizers change a run's vehicle, which confirms
it), travel change requests (accept or decline), delegations' funding and the conference's travel settings (the
lock, the grouping window). Every write goes through ``services_travel`` (checks, audit entry); a refusal rolls the
form back and shows as a message."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from conference.admin import RefusalAsMessageMixin
from conference.services import AccordError

from . import services_travel
from .models import (
    DelegationFunding,
    ItineraryChangeRequest,
    TransferRun,
    TransferSeat,
    TravelSettings,
    Vehicle,
)


class _ServiceAdmin(RefusalAsMessageMixin, admin.ModelAdmin):
    """A refusal of the service rolls the whole form back and is shown as a message; nothing is deleted here."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Vehicle)
class VehicleAdmin(_ServiceAdmin):
    list_display = ["name", "capacity", "plate", "driver_name", "conference"]
    list_filter = ["conference"]
    fields = ["conference", "name", "capacity", "plate", "driver_name", "driver_phone"]

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in ("name", "capacity", "plate", "driver_name",
                                                               "driver_phone")}
        saved = services_travel.vehicle_save(form.cleaned_data["conference"], actor=request.user,
                                             vehicle=obj if change else None, **values)
        obj.pk = saved.pk


class TransferSeatInline(admin.TabularInline):
    model = TransferSeat
    fields = ["participant", "flight", "lands_at", "state", "marked_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # read-only here: seats move through the services


@admin.register(TransferRun)
class TransferRunAdmin(_ServiceAdmin):
    list_display = ["pickup_at", "direction", "airport", "hotel", "vehicle", "status"]
    list_filter = ["conference", "direction", "status", "airport"]
    fields = ["conference", "direction", "airport", "hotel", "pickup_at", "status", "vehicle"]
    readonly_fields = ["conference", "direction", "airport", "hotel", "pickup_at", "status"]
    inlines = [TransferSeatInline]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        services_travel.transfer_run_confirm(obj, actor=request.user, vehicle=form.cleaned_data["vehicle"])


@admin.register(ItineraryChangeRequest)
class ItineraryChangeRequestAdmin(admin.ModelAdmin):
    list_display = ["itinerary", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["status"]
    readonly_fields = ["itinerary", "legs", "note", "status", "requested_by", "requested_at", "decided_by",
                       "decided_at"]
    actions = ["accept", "decline"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, *, accept: bool):
        done = 0
        for change_request in queryset.order_by("pk"):
            try:
                services_travel.change_request_decide(change_request, actor=request.user, accept=accept)
            except AccordError as error:
                self.message_user(request, f"{change_request.itinerary}: {error}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, ngettext("%(count)d request decided.", "%(count)d requests decided.",
                                                done) % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Accept the selected changes"))
    def accept(self, request, queryset):
        self._decide(request, queryset, accept=True)

    @admin.action(description=_("Decline the selected changes"))
    def decline(self, request, queryset):
        self._decide(request, queryset, accept=False)


@admin.register(DelegationFunding)
class DelegationFundingAdmin(_ServiceAdmin):
    list_display = ["delegation", "funding", "updated_at"]
    list_filter = ["funding"]
    fields = ["delegation", "funding"]

    def save_model(self, request, obj, form, change):
        saved = services_travel.delegation_funding_set(form.cleaned_data["delegation"], actor=request.user,
                                                       funding=form.cleaned_data["funding"])
        obj.pk = saved.pk


class TravelSettingsForm(forms.ModelForm):
    locked = forms.BooleanField(label=_("Travel locked"), required=False,
                                help_text=_("Locked: participants' and focal points' changes become requests."))

    class Meta:
        model = TravelSettings
        fields = ["conference", "transfer_window_minutes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locked"].initial = bool(self.instance.locked_at)


@admin.register(TravelSettings)
class TravelSettingsAdmin(_ServiceAdmin):
    form = TravelSettingsForm
    list_display = ["conference", "locked_at", "transfer_window_minutes"]

    def save_model(self, request, obj, form, change):
        saved = services_travel.travel_lock_set(
            form.cleaned_data["conference"], actor=request.user, locked=form.cleaned_data["locked"],
            transfer_window_minutes=form.cleaned_data["transfer_window_minutes"])
        obj.pk = saved.pk
