"""The travel page's forms (after approval): the itinerary's legs as a formset, local times as entered at each
airport, and who books and the visa status. The checks are the service's (``services_travel.legs_check``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models.itinerary import BookedBy, LegDirection, VisaStatus

LOCAL_HELP = _("Local time at the airport, YYYY-MM-DD HH:MM.")


class LegForm(forms.Form):
    direction = forms.ChoiceField(label=_("direction"), choices=LegDirection.choices)
    carrier = forms.CharField(label=_("carrier"), max_length=60)
    flight_number = forms.CharField(label=_("flight number"), max_length=10)
    from_airport = forms.CharField(label=_("from (airport)"), max_length=3,
                                   widget=forms.TextInput(attrs={"autocapitalize": "characters", "size": 4}))
    to_airport = forms.CharField(label=_("to (airport)"), max_length=3,
                                 widget=forms.TextInput(attrs={"autocapitalize": "characters", "size": 4}))
    departs_local = forms.CharField(label=_("departure"), help_text=LOCAL_HELP,
                                    widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}))
    arrives_local = forms.CharField(label=_("arrival"), help_text=LOCAL_HELP,
                                    widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}))
    booking_reference = forms.CharField(label=_("booking reference"), max_length=20, required=False)


LegFormSet = forms.formset_factory(LegForm, extra=2, max_num=8, validate_max=True)


class ItineraryForm(forms.Form):
    booked_by = forms.ChoiceField(label=_("ticket booked by"), choices=BookedBy.choices)
    visa_status = forms.ChoiceField(label=_("visa status"), choices=VisaStatus.choices)
