"""The registration form's travel and visa steps, added to registration's form (``registration/form_steps.py``).

Forms validate input; ``logistics/services.py`` does the writes. The passport fields are never filled in from the
database: what is on file is not shown.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from registration.form_steps import FormStep, add_form_step

from .models import TravelPlan, VisaLetter
from .services import has_travel_document, travel_plan_save, visa_request_save, visa_requested

#: Arabic-Indic and Eastern Arabic-Indic digits, read as the digits 0-9 in dates and times.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)


class DayInput(forms.TextInput):
    """A date typed day first (09/07/2023 is 9 July), as French, Arabic and British readers write it.

    Not the browser's date picker: Chromium shows that in its own locale's order (07/09/2023 on an American
    browser) and 12-hour clock, whatever the page's language.
    """

    def __init__(self, attrs=None):
        attrs = {"inputmode": "numeric", "dir": "ltr", "autocomplete": "off", "size": 10, "maxlength": 10,
                 "placeholder": _("DD/MM/YYYY"), **(attrs or {})}
        super().__init__(attrs)
        self.format = "%d/%m/%Y"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime(self.format)
        return super().format_value(value)


class ClockInput(forms.TextInput):
    """A time on the 24-hour clock (14:35), whatever the browser's locale."""

    def __init__(self, attrs=None):
        attrs = {"inputmode": "numeric", "dir": "ltr", "autocomplete": "off", "size": 5, "maxlength": 5,
                 "placeholder": _("HH:MM"), **(attrs or {})}
        super().__init__(attrs)

    def format_value(self, value):
        if isinstance(value, datetime.time):
            return value.strftime("%H:%M")
        return super().format_value(value)


class DayField(forms.DateField):
    """Day/month/year (slashes, dots or dashes; Arabic-Indic digits too), or ISO year-month-day."""

    input_formats = ["%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d"]
    widget = DayInput
    default_error_messages = {"invalid": _("Enter a date as day/month/year, for example 09/07/2023.")}

    def to_python(self, value):
        return super().to_python(value.strip().translate(DIGITS) if isinstance(value, str) else value)


class ClockField(forms.TimeField):
    """Hours and minutes on the 24-hour clock (14:35 or 14.35; Arabic-Indic digits too)."""

    input_formats = ["%H:%M", "%H.%M", "%H:%M:%S"]
    widget = ClockInput
    default_error_messages = {"invalid": _("Enter a time on the 24-hour clock, for example 14:35.")}

    def to_python(self, value):
        return super().to_python(value.strip().translate(DIGITS) if isinstance(value, str) else value)


FLIGHT = re.compile(r"^[A-Za-z0-9]{2}\s?\d{1,4}[A-Za-z]?$")
AIRPORT = re.compile(r"^[A-Za-z]{3}$")


class TravelForm(forms.ModelForm):
    class Meta:
        model = TravelPlan
        fields = [
            "arrival_date", "arrival_time", "arrival_flight", "arrival_airport",
            "departure_date", "departure_time", "departure_flight", "departure_airport",
            "transfer_needed", "hotel_needed", "room_sharing",
        ]
        field_classes = {
            "arrival_date": DayField, "departure_date": DayField,
            "arrival_time": ClockField, "departure_time": ClockField,
        }
        help_texts = {
            "arrival_date": _("Day/month/year, for example 09/07/2023."),
            "departure_date": _("Day/month/year, for example 13/07/2023."),
            "arrival_time": _("24-hour clock, for example 14:35."),
            "departure_time": _("24-hour clock, for example 18:05."),
            "arrival_airport": _("Three-letter code, for example SSH for Sharm El Sheikh."),
            "departure_airport": _("Three-letter code, for example SSH for Sharm El Sheikh."),
        }

    # How far around the conference dates travel may reasonably be.
    MARGIN = datetime.timedelta(days=30)

    def __init__(self, *args, conference, **kwargs):
        self.conference = conference
        super().__init__(*args, **kwargs)

    def _clean_code(self, name: str, pattern: re.Pattern, message) -> str:
        value = (self.cleaned_data.get(name) or "").strip().upper().replace(" ", "")
        if value and not pattern.match(value):
            raise forms.ValidationError(message)
        return value

    def clean_arrival_flight(self):
        return self._clean_code("arrival_flight", FLIGHT, _("Enter a flight number such as MS 123."))

    def clean_departure_flight(self):
        return self._clean_code("departure_flight", FLIGHT, _("Enter a flight number such as MS 123."))

    def clean_arrival_airport(self):
        return self._clean_code("arrival_airport", AIRPORT, _("Enter a three-letter airport code."))

    def clean_departure_airport(self):
        return self._clean_code("departure_airport", AIRPORT, _("Enter a three-letter airport code."))

    def clean(self):
        data = super().clean()
        start, end = self.conference.start_date, self.conference.end_date
        arrival, departure = data.get("arrival_date"), data.get("departure_date")
        if arrival and not (start - self.MARGIN <= arrival <= end):
            self.add_error("arrival_date", _("Arrival must be before the end of the conference and at most 30 days before it starts."))
        if departure and not (start <= departure <= end + self.MARGIN):
            self.add_error("departure_date", _("Departure must be after the conference starts and at most 30 days after it ends."))
        if arrival and departure:
            arrival_at = datetime.datetime.combine(arrival, data.get("arrival_time") or datetime.time.min)
            departure_at = datetime.datetime.combine(departure, data.get("departure_time") or datetime.time.max)
            if departure_at <= arrival_at:
                self.add_error("departure_date", _("Departure must be after arrival."))
        if data.get("hotel_needed") and not data.get("room_sharing"):
            self.add_error("room_sharing", _("Say whether you want a single room or are willing to share."))
        if not data.get("hotel_needed"):
            data["room_sharing"] = ""
        return data


class VisaForm(forms.Form):
    """The visa step. The passport fields are never filled in from the database: what is on file is not shown."""

    needs_visa_letter = forms.BooleanField(label=_("I need a visa support letter"), required=False)
    passport_number = forms.CharField(
        label=_("Passport number"), max_length=40, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    passport_expiry = DayField(label=_("Passport expiry date"), required=False)
    issuing_country = CountryField(blank=True).formfield(label=_("Issuing country"), required=False)
    date_of_birth = DayField(label=_("Date of birth"), required=False)

    def __init__(self, *args, conference, document_on_file: bool, **kwargs):
        self.conference = conference
        self.document_on_file = document_on_file
        super().__init__(*args, **kwargs)

    def clean_passport_number(self):
        value = (self.cleaned_data.get("passport_number") or "").strip().upper()
        if value and not re.fullmatch(r"[A-Z0-9<\- ]{5,40}", value):
            raise forms.ValidationError(_("Enter the passport number as printed (letters and digits)."))
        return value

    def clean(self):
        data = super().clean()
        number, expiry, country = data.get("passport_number"), data.get("passport_expiry"), data.get("issuing_country")
        birth = data.get("date_of_birth")
        given = any([number, expiry, country, birth])
        if data.get("needs_visa_letter") and not given and not self.document_on_file:
            self.add_error("passport_number", _("Give your passport details for the visa support letter."))
        if given:
            for name, value in (("passport_number", number), ("passport_expiry", expiry), ("issuing_country", country),
                                ("date_of_birth", birth)):
                if not value and name not in self.errors:
                    self.add_error(name, _("This field is required."))
        if expiry and expiry <= self.conference.end_date:
            self.add_error("passport_expiry", _("The passport must be valid after the end of the conference."))
        if birth and not (datetime.date(1900, 1, 1) <= birth < self.conference.start_date):
            self.add_error("date_of_birth", _("Enter your date of birth as in your passport."))
        return data


# The steps ------------------------------------------------------------------------------------------------


def _travel_form(participant, data, files):
    # An unsaved copy: validating a model form writes into its instance, and the service compares old values.
    plan = TravelPlan.objects.filter(participant=participant).first() or TravelPlan(participant=participant)
    return TravelForm(data, instance=plan, conference=participant.conference)


def _save_travel(participant, actor, form, number):
    travel_plan_save(participant, actor=actor, step=number, **{name: form.cleaned_data[name] for name in form.Meta.fields})


def _visa_form(participant, data, files):
    return VisaForm(data, initial={"needs_visa_letter": visa_requested(participant)}, conference=participant.conference,
                    document_on_file=has_travel_document(participant))


def _save_visa(participant, actor, form, number):
    data = form.cleaned_data
    visa_request_save(
        participant, actor=actor, step=number, needs_visa_letter=data["needs_visa_letter"],
        passport_number=data["passport_number"], passport_expiry=data["passport_expiry"],
        issuing_country=data["issuing_country"] or "", date_of_birth=data["date_of_birth"],
    )


def _visa_missing(participant) -> list[str]:
    if visa_requested(participant) and not has_travel_document(participant):
        return [gettext("Give your passport details for the visa support letter.")]
    return []


def _visa_context(participant) -> dict:
    letter = VisaLetter.objects.filter(participant=participant).first()
    return {
        "document_on_file": has_travel_document(participant),
        "visa_letter_requested": bool(letter and letter.requested),
        # The letter's state on the status page: issued (with its download), or still to come.
        "visa_letter": letter if letter and letter.requested else None,
    }


add_form_step(FormStep(
    key="travel", order=40, label=_("Travel and hotel"),
    build_form=_travel_form, save=_save_travel,
    # Once approved, the status page says what the travel page asks now and links it.
    status_template="logistics/steps/travel_status.html",
))
add_form_step(FormStep(
    key="visa", order=50, label=_("Visa support"), identity=True,
    build_form=_visa_form, save=_save_visa, missing=_visa_missing, context=_visa_context,
    intro_template="logistics/steps/visa_intro.html", status_template="logistics/steps/visa_status.html",
))
