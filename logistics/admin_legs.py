"""A participant's flight legs on their admin change page (``registration.admin.add_participant_inline``), for
the logistics role: add, change and delete legs, entered in each airport's local time. The formset checks the legs
with the travel page's own rule (``services_travel.legs_check``: unknown airport, overlapping legs, a local time
that does not exist or is ambiguous...) and puts each problem on its row and field, so nothing is saved; a valid
set replaces all legs through ``services_travel.itinerary_save`` (as an organizer: the travel lock does not
apply), which writes the audit entry. Legs belong to the participant's itinerary, not to the participant, so the
formset is a model formset over the participant's legs rather than Django's foreign-key inline formset."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.forms.models import BaseModelFormSet, modelformset_factory
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registration.admin import add_participant_inline
from registration.enums import ParticipantStatus

from .airports import airport
from .forms_travel import LOCAL_HELP
from .models import ItineraryLeg, TravelPlan
from .permissions import may_manage_logistics
from .selectors_travel import travel_read_record
from .services_travel import LOCAL_FORMAT, itinerary_save, legs_check

LEG_FIELDS = ["direction", "carrier", "flight_number", "from_airport", "to_airport", "booking_reference"]


def _local(moment, code: str) -> str:
    place = airport(code)
    return timezone.localtime(moment, place.zone).strftime(LOCAL_FORMAT) if place and moment else ""


class LegAdminForm(forms.ModelForm):
    departs_local = forms.CharField(label=_("departure"), help_text=LOCAL_HELP,
                                    widget=forms.TextInput(attrs={"dir": "ltr", "size": 16}))
    arrives_local = forms.CharField(label=_("arrival"), help_text=LOCAL_HELP,
                                    widget=forms.TextInput(attrs={"dir": "ltr", "size": 16}))

    class Meta:
        model = ItineraryLeg
        fields = LEG_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        leg = self.instance
        if leg.pk:
            self.initial.setdefault("departs_local", _local(leg.departs_at, leg.from_airport))
            self.initial.setdefault("arrives_local", _local(leg.arrives_at, leg.to_airport))


class ParticipantLegsFormSet(BaseModelFormSet):
    """The legs of ``instance`` (a participant), checked together and saved through the travel service."""

    request = None

    def __init__(self, data=None, files=None, instance=None, save_as_new=False, prefix=None, queryset=None,
                 **kwargs):
        self.instance = instance
        legs = ItineraryLeg.objects.filter(itinerary__participant=instance).order_by("departs_at", "pk")
        super().__init__(data, files, prefix=prefix, queryset=legs, **kwargs)

    @classmethod
    def get_default_prefix(cls) -> str:
        return "itinerary_legs"

    def _kept_forms(self) -> list:
        return [form for form in self.forms
                if not self._should_delete_form(form) and (form.instance.pk or form.has_changed())]

    def _raw(self, form) -> dict:
        return {name: form.cleaned_data.get(name) for name in [*LEG_FIELDS, "departs_local", "arrives_local"]}

    def clean(self):
        super().clean()
        if not self.has_changed() or any(form.errors for form in self.forms):
            return
        if self.instance.status != ParticipantStatus.APPROVED:
            raise forms.ValidationError(gettext("Travel opens once the participation is approved."))
        kept = self._kept_forms()
        fields = {gettext("direction"): "direction", gettext("carrier"): "carrier",
                  gettext("flight number"): "flight_number", gettext("from (airport)"): "from_airport",
                  gettext("to (airport)"): "to_airport", gettext("departure"): "departs_local",
                  gettext("arrival"): "arrives_local"}
        for problem in legs_check([self._raw(form) for form in kept]).problems:
            form = kept[problem.row - 1]
            name = fields.get(problem.field)
            form.add_error(name if name in form.fields else None, problem.message)
        if any(form.errors for form in kept):
            raise forms.ValidationError(gettext("Nothing was saved: correct the flights marked below."))

    def save(self, commit=True):
        # The admin's change message reads these; the audit entry, written by the service, is the record.
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        if self.has_changed():
            itinerary_save(self.instance, actor=self.request.user, organizer=True,
                           legs=[self._raw(form) for form in self._kept_forms()])
        return []


@add_participant_inline
class ItineraryLegInline(admin.TabularInline):
    model = ItineraryLeg
    extra = 1
    verbose_name = _("flight")
    verbose_name_plural = _("flights (itinerary after approval, local times)")

    def get_formset(self, request, obj=None, **kwargs):
        formset = modelformset_factory(ItineraryLeg, form=LegAdminForm, formset=ParticipantLegsFormSet,
                                       fields=LEG_FIELDS, extra=self.extra, can_delete=True, max_num=8,
                                       validate_max=True)
        formset.request = request
        # The admin also asks for the formset class to list its fields (``fields`` given): not a read of the page.
        if (obj is not None and request.method == "GET" and "fields" not in kwargs and not TravelPlan.objects.filter(participant=obj).exists()
                and ItineraryLeg.objects.filter(itinerary__participant=obj).exists()):
            # The travel-and-hotel inline logs this page's travel read when there is a plan; else it is logged here.
            travel_read_record([obj], reader=request.user)
        return formset

    def has_view_permission(self, request, obj=None):
        return may_manage_logistics(request.user)

    def has_add_permission(self, request, obj=None):
        return may_manage_logistics(request.user)

    def has_change_permission(self, request, obj=None):
        return may_manage_logistics(request.user)

    def has_delete_permission(self, request, obj=None):
        return may_manage_logistics(request.user)
