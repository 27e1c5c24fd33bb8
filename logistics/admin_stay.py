"""The stay and allowances in the admin: hotels with their room blocks, room bookings, the sharing rule, DSA rates,
allowance lines and the rooming lists sent. Every write goes through ``services_stay`` / ``services_allowances``
(checks, lock, audit entry); a refusal rolls the form back and shows as a message. The hotels' action sends the
rooming list on demand; the allowances' actions compute the lines and render the payment sheets (in a task)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from conference.admin import RefusalAsMessageMixin
from conference.services import AccordError

from . import services_allowances, services_stay
from .models import Allowance, DsaRate, Hotel, RoomBlock, RoomBooking, RoomingListSend, StayRules
from .tasks_stay import render_payment_sheets_task


class _ServiceAdmin(RefusalAsMessageMixin, admin.ModelAdmin):
    """A refusal of the service rolls the whole form back and is shown as a message."""


class RoomBlockInline(admin.TabularInline):
    model = RoomBlock
    extra = 1
    fields = ["room_type", "night", "quota"]


@admin.action(description=_("Send the rooming list to the selected hotels"))
def send_rooming_lists(modeladmin, request, queryset):
    sent = 0
    for hotel in queryset.select_related("conference"):
        try:
            services_stay.rooming_list_send(hotel, actor=request.user)
            sent += 1
        except AccordError as error:
            modeladmin.message_user(request, f"{hotel}: {error}", messages.ERROR)
    if sent:
        modeladmin.message_user(request, ngettext(
            "%(count)d rooming list sent: it is e-mailed in the background.",
            "%(count)d rooming lists sent: they are e-mailed in the background.", sent) % {"count": sent},
            messages.SUCCESS)


@admin.action(description=_("Take the dates again from the travel of the selected hotels' guests"))
def follow_travel(modeladmin, request, queryset):
    for conference in {hotel.conference for hotel in queryset.select_related("conference")}:
        result = services_stay.room_bookings_follow_travel(conference, actor=request.user)
        modeladmin.message_user(request, ngettext("%(count)d booking moved to the travel dates.",
                                                 "%(count)d bookings moved to the travel dates.",
                                                 len(result["moved"])) % {"count": len(result["moved"])},
                                messages.SUCCESS)
        for booking_id, reason in result["refused"]:
            modeladmin.message_user(request, f"#{booking_id}: {reason}", messages.WARNING)


@admin.register(Hotel)
class HotelAdmin(_ServiceAdmin):
    list_display = ["name", "conference", "contact_email", "language", "send_on_schedule"]
    list_filter = ["conference"]
    search_fields = ["name"]
    inlines = [RoomBlockInline]
    actions = [send_rooming_lists, follow_travel]

    def save_model(self, request, obj, form, change):
        services_stay.hotel_save(obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        for block_form in formset.forms:
            if not block_form.has_changed() and not formset._should_delete_form(block_form):
                continue
            block = block_form.instance
            if formset._should_delete_form(block_form):
                if block.pk:
                    services_stay.room_block_delete(block, actor=request.user)
                continue
            block = block_form.save(commit=False)
            block.hotel = form.instance
            services_stay.room_block_save(block, actor=request.user)

    def delete_model(self, request, obj):
        raise AccordError(_("A hotel is not deleted here: cancel its bookings and set its blocks to zero."))


@admin.register(RoomBooking)
class RoomBookingAdmin(_ServiceAdmin):
    list_display = ["guest", "roommate", "hotel", "room_type", "check_in", "check_out", "dates_edited"]
    list_filter = ["hotel", "room_type"]
    list_select_related = ["guest", "roommate", "hotel"]
    autocomplete_fields = ["guest", "roommate"]
    search_fields = ["guest__last_name", "guest__first_name", "roommate__last_name"]
    fields = ["hotel", "room_type", "guest", "roommate", "check_in", "check_out", "notes"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        for name in ("check_in", "check_out"):
            form.base_fields[name].required = False
            form.base_fields[name].help_text = _("Leave empty to take the participant's travel dates.")
        return form

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        dates = {}
        if data.get("check_in") and data.get("check_out"):
            dates = {"check_in": data["check_in"], "check_out": data["check_out"]}
        existing = RoomBooking.objects.get(pk=obj.pk) if change else None
        saved = services_stay.room_booking_save(
            hotel=data["hotel"], guest=data["guest"], roommate=data.get("roommate"), room_type=data["room_type"],
            notes=data.get("notes", ""), actor=request.user, booking=existing, **dates)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services_stay.room_booking_cancel(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for booking in queryset.select_related("hotel__conference"):
            services_stay.room_booking_cancel(booking, actor=request.user)


@admin.register(StayRules)
class StayRulesAdmin(_ServiceAdmin):
    list_display = ["conference", "sharing_rule"]

    def save_model(self, request, obj, form, change):
        services_stay.stay_rules_save(obj.conference, sharing_rule=obj.sharing_rule, actor=request.user)


@admin.register(RoomingListSend)
class RoomingListSendAdmin(admin.ModelAdmin):
    list_display = ["hotel", "created_at", "trigger", "recipient", "sent_at", "failed_at"]
    list_filter = ["hotel", "trigger"]
    list_select_related = ["hotel"]
    readonly_fields = ["hotel", "created_at", "actor", "trigger", "recipient", "counts", "xlsx", "csv", "pdf",
                       "sent_at", "failed_at", "last_error"]
    exclude = ["lines"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DsaRate)
class DsaRateAdmin(_ServiceAdmin):
    list_display = ["duty_station", "conference", "amount", "currency", "valid_from", "terminal_expenses",
                    "lodging_share", "meals_share"]
    list_filter = ["conference"]

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data.get(name) for name in services_allowances.RATE_FIELDS}
        saved = services_allowances.dsa_rate_save(
            form.cleaned_data["conference"], actor=request.user, rate=DsaRate.objects.get(pk=obj.pk) if change
            else None, **values)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        raise AccordError(_("A rate is not deleted: add one valid from a later date."))


@admin.action(description=_("Render the payment sheets of the selected lines' conferences"))
def render_payment_sheets(modeladmin, request, queryset):
    conferences = set(queryset.values_list("participant__conference_id", flat=True))
    for conference_id in conferences:
        render_payment_sheets_task.delay_on_commit(conference_id=conference_id, actor_id=request.user.pk)
    modeladmin.message_user(request, _("The payment sheets are rendered in the background."), messages.SUCCESS)


@admin.action(description=_("Compute the allowances of every funded participant of the selected lines' conferences"))
def compute_funded(modeladmin, request, queryset):
    for conference_id in set(queryset.values_list("participant__conference_id", flat=True)):
        from conference.models import Conference

        counts = services_allowances.allowances_compute_funded(Conference.objects.get(pk=conference_id),
                                                               actor=request.user)
        modeladmin.message_user(request, _("Allowances computed: %(computed)s; without travel dates or rate: "
                                           "%(refused)s.") % counts, messages.SUCCESS)


@admin.action(description=_("Mark the selected allowances paid"))
def mark_paid(modeladmin, request, queryset):
    for allowance in queryset:
        try:
            services_allowances.allowance_mark_paid(allowance, actor=request.user)
        except AccordError as error:
            modeladmin.message_user(request, f"{allowance}: {error}", messages.WARNING)


class AllowanceForm(forms.ModelForm):
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=300,
                             help_text=_("Needed when the allowance has already been paid."))

    class Meta:
        model = Allowance
        fields = ["participant", "nights", "journeys", "lodging_provided", "meals_provided"]


@admin.register(Allowance)
class AllowanceAdmin(_ServiceAdmin):
    form = AllowanceForm
    list_display = ["participant", "nights", "dsa_amount", "terminal_amount", "total", "currency", "paid_at"]
    list_select_related = ["participant"]
    list_filter = ["participant__conference", "currency"]
    readonly_fields = ["currency", "dsa_amount", "terminal_amount", "total", "paid_at", "paid_by"]
    fields = ["participant", "nights", "journeys", "lodging_provided", "meals_provided", "currency", "dsa_amount",
              "terminal_amount", "total", "paid_at", "paid_by", "reason"]
    autocomplete_fields = ["participant"]
    actions = [compute_funded, render_payment_sheets, mark_paid]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        reason = data.get("reason", "")
        saved = services_allowances.allowance_compute(
            data["participant"], actor=request.user, nights=data.get("nights"), journeys=data.get("journeys"),
            lodging_provided=data.get("lodging_provided"), meals_provided=data.get("meals_provided"), reason=reason)
        obj.pk = saved.pk
