from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conference.enums import LanguageCode
from conference.selectors import delegations_by_name
from registration.forms import SPOKEN_LANGUAGES
from registration.models import Participant

from .enums import Expertise
from .models import BilateralMeeting, FollowUp
from .validation import bilateral_problems


class BilateralMeetingAdminForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Language pair"), choices=LanguageCode.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = BilateralMeeting
        fields = ["conference", "requesting", "invited", "topic", "languages", "starts_at", "ends_at", "room", "status"]

    def clean(self):
        cleaned = super().clean()
        meeting = self.instance
        for name in self.Meta.fields:
            if name in cleaned:
                setattr(meeting, name, cleaned[name])
        for field, message in bilateral_problems(meeting):
            self.add_error(field if field in self.fields else None, message)
        return cleaned


class DirectoryConsentForm(forms.Form):
    listed = forms.BooleanField(label=_("List me in the participants' directory"), required=False)
    share_position = forms.BooleanField(label=_("Position"), required=False)
    share_organization = forms.BooleanField(label=_("Organization"), required=False)
    share_languages = forms.BooleanField(label=_("Languages spoken"), required=False)
    share_expertise = forms.BooleanField(label=_("Areas of expertise"), required=False)
    share_email = forms.BooleanField(label=_("E-mail address"), required=False)
    share_phone = forms.BooleanField(label=_("Phone number"), required=False)
    expertise = forms.MultipleChoiceField(
        label=_("My areas of expertise"), choices=Expertise.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    delegation = forms.ChoiceField(label=_("Delegation"), required=False)
    expertise = forms.ChoiceField(label=_("Area of expertise"), required=False)
    language = forms.ChoiceField(label=_("Language spoken"), required=False)

    def __init__(self, *args, delegations=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["delegation"].choices = everything + [(str(d.pk), d.display_name()) for d in delegations_by_name(delegations)]
        self.fields["expertise"].choices = everything + list(Expertise.choices)
        self.fields["language"].choices = everything + SPOKEN_LANGUAGES


def _slot_label(slot, tz) -> str:
    start = timezone.localtime(slot.starts_at, tz)
    end = timezone.localtime(slot.ends_at, tz)
    from django.utils.formats import date_format

    return f"{date_format(start, 'D j M')} {start:%H:%M}–{end:%H:%M}"


class MeetingRequestForm(forms.Form):
    requesting = forms.ChoiceField(label=_("On behalf of"))
    invited = forms.ChoiceField(label=_("Delegation to meet"))
    invited_participant = forms.ChoiceField(
        label=_("Person to meet (optional; people listed in the directory)"), required=False
    )
    topic = forms.CharField(label=_("Subject"), max_length=300)
    attendees = forms.MultipleChoiceField(label=_("Members attending"), widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(
        label=_("Language pair"), choices=LanguageCode.choices, widget=forms.CheckboxSelectMultiple
    )
    slots = forms.MultipleChoiceField(label=_("Proposed slots"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, mine=(), others=(), members=(), slots=(), tz=None, listed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invited_participant"].choices = [("", "—")] + [
            (entry.participant.public_id,
             f"{entry.participant.printed_name} ({entry.participant.delegation.display_name()})")
            for entry in listed
        ]
        self.fields["requesting"].choices = [(str(d.pk), d.display_name()) for d in mine]
        self.fields["invited"].choices = [(str(d.pk), d.display_name()) for d in delegations_by_name(others)]
        self.fields["attendees"].choices = [(str(p.pk), p.printed_name) for p in members]
        self.fields["slots"].choices = [(str(s.slot.pk), _slot_label(s.slot, tz)) for s in slots]


class CounterForm(forms.Form):
    slots = forms.MultipleChoiceField(label=_("Other slots"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, slots=(), tz=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slots"].choices = [(str(s.slot.pk), _slot_label(s.slot, tz)) for s in slots]


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["kind", "owner", "due_date", "status", "notes"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Participant.objects.filter(
            delegation_id__in=[meeting.requesting_id, meeting.invited_id], status="approved"
        ).order_by("last_name", "first_name")
        self.fields["owner"].label_from_instance = lambda p: p.printed_name
