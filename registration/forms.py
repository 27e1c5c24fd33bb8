"""Forms of the focal-point portal, the self-registration steps and open requests.

Forms validate input; the services in ``registration/services/`` do the writes.
"""

from __future__ import annotations

import copy
import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conference.enums import LanguageCode
from conference.validators import validate_single_line

from .enums import ParticipantCategory
from .form_steps import FormStep, add_form_step
from .models import Participant
from .services.nominations import REQUESTABLE_CATEGORIES, nominable_categories
from .services.steps import (
    consents_save,
    participant_photo_save,
    privacy_notice_pending,
    registration_step_save,
)

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


class ConsentForm(forms.Form):
    privacy = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my data is processed to organize the conference."),
        required=True,
    )
    directory = forms.BooleanField(
        label=_("List me in the participants' directory shared with other participants."), required=False
    )
    photos = forms.BooleanField(label=_("I agree to be photographed and filmed during the conference."), required=False)


# The form's own steps (logistics adds travel and visa support: ``registration/form_steps.py``) ------


def _copy(participant: Participant) -> Participant:
    """Model forms get a copy of the participant: validating a model form writes the cleaned values into its
    instance, and the service must see the old values to record what changed."""
    return copy.copy(participant)


def _save_fields(participant, actor, form, number):
    registration_step_save(participant, actor=actor, step=number, **{name: form.cleaned_data[name] for name in form.Meta.fields})


def _save_photo(participant, actor, form, number):
    if form.cleaned_data["photo"]:
        participant_photo_save(participant, actor=actor, upload=form.cleaned_data["photo"], step=number)
    else:
        registration_step_save(participant, actor=actor, step=number)


def _consent_form(participant, data, files):
    initial = {
        # Unticked again when a newer version of the privacy notice is published: it must be accepted anew.
        "privacy": not privacy_notice_pending(participant),
        "directory": participant.consent_directory,
        "photos": participant.consent_photos,
    }
    return ConsentForm(data, initial=initial)


def _save_consents(participant, actor, form, number):
    consents_save(participant, actor=actor, directory=form.cleaned_data["directory"],
                  photos=form.cleaned_data["photos"])


add_form_step(FormStep(
    key="personal", order=10, label=_("Personal details"), identity=True,
    build_form=lambda participant, data, files: PersonalDetailsForm(data, instance=_copy(participant)),
    save=_save_fields,
    missing=lambda p: [] if p.first_name and p.last_name else [gettext("Give your names as in your passport.")],
))
add_form_step(FormStep(
    key="photo", order=20, label=_("Photo"), identity=True,
    build_form=lambda participant, data, files: PhotoForm(data, files, has_photo=bool(participant.photo)),
    save=_save_photo,
    missing=lambda p: [] if p.photo else [gettext("Upload a photo.")],
    done=lambda p: bool(p.photo),
    intro_template="registration/steps/photo_intro.html",
))
add_form_step(FormStep(
    key="needs", order=30, label=_("Dietary and accessibility needs"),
    build_form=lambda participant, data, files: NeedsForm(data, instance=_copy(participant)),
    save=_save_fields,
))
add_form_step(FormStep(
    key="consents", order=90, label=_("Consents"),
    build_form=_consent_form,
    save=_save_consents,
    missing=lambda p: [gettext("Accept the privacy notice.")] if privacy_notice_pending(p) else [],
    intro_template="registration/steps/consents_intro.html",
))


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
