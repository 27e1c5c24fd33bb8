"""Forms of the focal-point portal, the self-registration steps and open requests.

Forms validate input; the services in ``registration/services/`` do the writes.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from conference.enums import LanguageCode
from conference.validators import validate_single_line

from .enums import ParticipantCategory
from .models import Participant
from .services.nominations import REQUESTABLE_CATEGORIES, nominable_categories

# The six UN languages: what participants may say they speak.
SPOKEN_LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]

# Arabic script blocks (Arabic, Supplement, Extended-A, Presentation Forms A and B) plus the separators a
# name may contain; at least one Arabic letter is required.
_ARABIC_LETTER = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
ARABIC_NAME = re.compile(rf"^[{_ARABIC_LETTER}\s.\-'\u200c\u200d]+$")
ARABIC_LETTER = re.compile(rf"[{_ARABIC_LETTER}]")
# Latin-script names: letters (any script except control characters), spaces and the usual punctuation.
FLIGHT = re.compile(r"^[A-Za-z0-9]{2}\s?\d{1,4}[A-Za-z]?$")
AIRPORT = re.compile(r"^[A-Za-z]{3}$")


def validate_arabic_name(value: str) -> None:
    if value and (not ARABIC_NAME.match(value) or not ARABIC_LETTER.search(value)):
        raise forms.ValidationError(_("Write this name in Arabic script only."), code="arabic")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


# Focal-point portal -------------------------------------------------------------------------------


class NominationForm(forms.Form):
    first_name = forms.CharField(label=_("Given names"), max_length=150, validators=[validate_single_line],
                                 widget=forms.TextInput(attrs={"dir": "auto"}))
    last_name = forms.CharField(label=_("Surname"), max_length=150, validators=[validate_single_line],
                                widget=forms.TextInput(attrs={"dir": "auto"}))
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"dir": "ltr"}))
    category = forms.ChoiceField(label=_("Category"), choices=ParticipantCategory.choices)
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=LanguageCode.choices)

    def __init__(self, *args, delegation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if delegation is not None:  # only the categories the organizers let this delegation's focal points use
            allowed = set(nominable_categories(delegation))
            self.fields["category"].choices = [
                (value, label) for value, label in ParticipantCategory.choices if value in allowed
            ]
        self.fields["category"].initial = ParticipantCategory.DELEGATE
        self.fields["language"].initial = "en"


class SubstitutionForm(NominationForm):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class NominationLetterForm(forms.Form):
    letter = forms.FileField(
        label=_("Nomination letter (note verbale), PDF"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for the rejection."))
        return data


# Self-registration steps --------------------------------------------------------------------------


class PersonalDetailsForm(forms.ModelForm):
    languages_spoken = forms.MultipleChoiceField(
        label=_("Languages spoken"), choices=SPOKEN_LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Participant
        fields = [
            "title", "first_name", "last_name", "badge_name", "badge_name_ar", "gender", "position",
            "organization", "nationality", "phone", "preferred_language", "languages_spoken",
        ]
        widgets = {
            "first_name": forms.TextInput(attrs={"dir": "auto"}),
            "last_name": forms.TextInput(attrs={"dir": "auto"}),
            "badge_name": forms.TextInput(attrs={"dir": "auto"}),
            "badge_name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }
        help_texts = {
            "badge_name": _("As it should print on your badge, for example “Dr. Amina Haddad”."),
            "badge_name_ar": _("Optional: your name in Arabic script, if you have one."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "gender", "nationality", "preferred_language"):
            self.fields[name].required = True

    def clean_badge_name_ar(self):
        value = (self.cleaned_data.get("badge_name_ar") or "").strip()
        validate_arabic_name(value)
        return value

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip()
        if value and not re.fullmatch(r"\+?[0-9 ()./-]{6,30}", value):
            raise forms.ValidationError(_("Enter a phone number with digits, for example +20 69 360 0000."))
        return value


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo (JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=_("A recent passport-style photo of your face; it prints on your badge."),
    )

    def __init__(self, *args, has_photo: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # With a photo on file the step can be passed without uploading another one.
        self.fields["photo"].required = not has_photo


class NeedsForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["dietary_needs", "accessibility_needs"]


class TravelForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = [
            "arrival_date", "arrival_time", "arrival_flight", "arrival_airport",
            "departure_date", "departure_time", "departure_flight", "departure_airport",
            "transfer_needed", "hotel_needed", "room_sharing",
        ]
        widgets = {
            "arrival_date": DateInput(),
            "departure_date": DateInput(),
            "arrival_time": TimeInput(),
            "departure_time": TimeInput(),
        }
        help_texts = {
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
    """Step 5. The passport fields are never filled in from the database: what is on file is not shown."""

    needs_visa_letter = forms.BooleanField(label=_("I need a visa support letter"), required=False)
    passport_number = forms.CharField(
        label=_("Passport number"), max_length=40, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    passport_expiry = forms.DateField(label=_("Passport expiry date"), required=False, widget=DateInput())
    issuing_country = CountryField(blank=True).formfield(label=_("Issuing country"), required=False)

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
        given = any([number, expiry, country])
        if data.get("needs_visa_letter") and not given and not self.document_on_file:
            self.add_error("passport_number", _("Give your passport details for the visa support letter."))
        if given:
            for name, value in (("passport_number", number), ("passport_expiry", expiry), ("issuing_country", country)):
                if not value and name not in self.errors:
                    self.add_error(name, _("This field is required."))
        if expiry and expiry <= self.conference.end_date:
            self.add_error("passport_expiry", _("The passport must be valid after the end of the conference."))
        return data


class ConsentForm(forms.Form):
    privacy = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my data is processed to organize the conference."),
        required=True,
    )
    directory = forms.BooleanField(
        label=_("List me in the participants' directory shared with other participants."), required=False
    )
    photos = forms.BooleanField(label=_("I agree to be photographed and filmed during the conference."), required=False)


# Open requests ------------------------------------------------------------------------------------


class OpenRequestForm(forms.Form):
    OBSERVER = "observer"

    delegation = forms.ChoiceField(label=_("Join"))
    category = forms.ChoiceField(
        label=_("As"), choices=[(value, ParticipantCategory(value).label) for value in REQUESTABLE_CATEGORIES]
    )
    first_name = forms.CharField(label=_("Given names (as in passport)"), max_length=150,
                                 validators=[validate_single_line], widget=forms.TextInput(attrs={"dir": "auto"}))
    last_name = forms.CharField(label=_("Surname (as in passport)"), max_length=150,
                                validators=[validate_single_line], widget=forms.TextInput(attrs={"dir": "auto"}))
    position = forms.CharField(label=_("Position"), max_length=200, required=False, validators=[validate_single_line])
    organization = forms.CharField(label=_("Organization"), max_length=200, required=False,
                                   validators=[validate_single_line])
    reason = forms.CharField(
        label=_("Why do you wish to attend?"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, delegations, **kwargs):
        super().__init__(*args, **kwargs)
        self.delegations = {str(d.pk): d for d in delegations}
        self.fields["delegation"].choices = [
            (self.OBSERVER, _("As an observer (no delegation)")),
            *[(key, d.display_name()) for key, d in self.delegations.items()],
        ]

    def clean_delegation(self):
        value = self.cleaned_data["delegation"]
        return None if value == self.OBSERVER else self.delegations[value]


# Preferred language cookie helper (shared by the register views) ----------------------------------

LANGUAGE_COOKIE_AGE = 365 * 24 * 3600


def set_language_cookie(response, language: str):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        httponly=False,
    )
    return response
