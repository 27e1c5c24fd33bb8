"""Logistics on the participant's admin pages: travel and hotel, the visa letter, the restricted passport data, and
the action that queues the issue of visa letters.

Each inline writes through a service (its formset's ``save``) with an audit entry. Passport data (the travel
document, and the visa letter that prints its number) needs ``logistics.view_traveldocument``: without it the
inline is not shown at all, and every time it is shown the read is written to the audit log. The PDFs are
rendered by the task, never in the request."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from conference.services import AccordError
from registration.admin import add_participant_action, add_participant_inline

from .models import TravelDocument, TravelPlan, VisaLetter
from .permissions import may_see_passport_data
from .services import (
    TRAVEL_FIELDS,
    travel_document_admin_save,
    travel_document_view_record,
    travel_plan_save,
    travel_plan_view_record,
    visa_letter_queue_reissue,
    visa_letter_refusal,
)


def _service_formset(save_one):
    """A formset class whose ``save`` hands each changed form to ``save_one(request, participant, form)``."""

    class ServiceFormSet(BaseInlineFormSet):
        request = None

        def save(self, commit=True):
            # The admin's change message reads these; the audit log, written by the services, is the record.
            self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
            for form in self.forms:
                if form.has_changed() and not self._should_delete_form(form):
                    try:
                        save_one(self.request, self.instance, form)
                    except AccordError as exc:
                        raise PermissionDenied(str(exc)) from exc
            return []

    return ServiceFormSet


class _ServiceInline(admin.StackedInline):
    extra = 0
    max_num = 1
    can_delete = False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request
        return formset


def _save_travel(request, participant, form):
    values = {name: form.cleaned_data[name] for name in TRAVEL_FIELDS if name in form.cleaned_data}
    plan = TravelPlan.objects.filter(participant=participant).first()
    changed = {name: value for name, value in values.items() if plan is None or getattr(plan, name) != value}
    if changed:
        # An organizer's correction: no step of the participant's form, so no progress and no closing date.
        travel_plan_save(participant, actor=request.user, step=None, **changed)


@add_participant_inline
class TravelPlanInline(_ServiceInline):
    model = TravelPlan
    formset = _service_formset(_save_travel)
    fields = [
        ("arrival_date", "arrival_time", "arrival_flight", "arrival_airport"),
        ("departure_date", "departure_time", "departure_flight", "departure_airport"),
        "transfer_needed", "hotel_needed", "room_sharing", "hotel_name",
    ]
    verbose_name_plural = _("travel and hotel")

    def get_formset(self, request, obj=None, **kwargs):
        if obj is not None and request.method == "GET" and TravelPlan.objects.filter(participant=obj).exists():
            travel_plan_view_record(obj, actor=request.user)
        return super().get_formset(request, obj, **kwargs)


@add_participant_inline
class VisaLetterInline(_ServiceInline):
    model = VisaLetter
    fields = ["requested", "issued_at", "reference", ("sent_at", "failed_at"), "last_error"]
    readonly_fields = fields
    verbose_name_plural = _("visa support letter")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


def _save_document(request, participant, form):
    if not may_see_passport_data(request.user):
        raise PermissionDenied
    travel_document_admin_save(participant, actor=request.user, values={
        name: form.cleaned_data[name]
        for name in ("passport_number", "passport_expiry", "issuing_country", "date_of_birth")
    })


@add_participant_inline
class TravelDocumentInline(_ServiceInline):
    model = TravelDocument
    formset = _service_formset(_save_document)
    fields = ["passport_number", "passport_expiry", "issuing_country", "date_of_birth", "purged_at", "updated_at"]
    readonly_fields = ["purged_at", "updated_at"]
    verbose_name_plural = _("travel document (restricted)")

    def has_view_permission(self, request, obj=None):
        return may_see_passport_data(request.user)

    def has_add_permission(self, request, obj=None):
        return may_see_passport_data(request.user)

    def has_change_permission(self, request, obj=None):
        return may_see_passport_data(request.user)

    def get_formset(self, request, obj=None, **kwargs):
        if not may_see_passport_data(request.user):
            raise PermissionDenied
        if obj is not None and request.method == "GET" and TravelDocument.objects.filter(participant=obj).exists():
            travel_document_view_record(obj, actor=request.user, via="admin")
        return super().get_formset(request, obj, **kwargs)


@add_participant_action
@admin.action(description=_("Issue visa letters"))
def issue_visa_letters(modeladmin, request, queryset):
    """Queue each selected participant's letter (re-issued when one exists); the others are listed with why."""
    if not may_see_passport_data(request.user):
        raise PermissionDenied
    queued = []
    for participant in queryset.select_related(None).select_related("travel_document", "visa_letter").order_by("pk"):
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


# The stay, allowances and travel register theirs beside; admin_legs adds the flight legs inline.
from . import admin_legs, admin_stay, admin_travel  # noqa: E402,F401
