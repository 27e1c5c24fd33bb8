"""Forms for the programme: the admin's session and room forms (local times), role formset, agenda filters."""

from __future__ import annotations

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from conference import languages

from .enums import SessionKind, SignupStatus
from .models import Room, Session
from .validation import LocalTimeError, local_to_utc, role_conflicts, session_problems


class RoomAdminForm(forms.ModelForm):
    interpretation_languages = forms.MultipleChoiceField(
        label=_("interpretation languages offered"),
        choices=languages.languages,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Room
        fields = ["conference", "name", "name_fr", "name_ar", "capacity", "interpretation_languages", "order"]


class SessionAdminForm(forms.ModelForm):
    """Start and end are entered as a day and two wall-clock times in the conference's own time zone."""

    day = forms.DateField(label=_("day"), widget=admin_widgets.AdminDateWidget)
    start_time = forms.TimeField(
        label=_("starts (local time)"),
        widget=admin_widgets.AdminTimeWidget(format="%H:%M"),
        help_text=_("In the conference's time zone, 24-hour clock."),
    )
    end_time = forms.TimeField(label=_("ends (local time)"), widget=admin_widgets.AdminTimeWidget(format="%H:%M"))
    interpretation_languages = forms.MultipleChoiceField(
        label=_("interpretation languages"),
        choices=languages.languages,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty to use the languages the room offers."),
    )

    class Meta:
        model = Session
        fields = [
            "conference", "kind", "is_public", "title", "title_fr", "title_ar", "description", "description_fr",
            "description_ar", "room", "capacity", "signup_required", "interpretation_languages",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk and instance.starts_at and instance.ends_at:
            tz = instance.conference.tz
            start = timezone.localtime(instance.starts_at, tz)
            end = timezone.localtime(instance.ends_at, tz)
            self.initial.setdefault("day", start.date())
            self.initial.setdefault("start_time", start.time().replace(second=0, microsecond=0))
            self.initial.setdefault("end_time", end.time().replace(second=0, microsecond=0))

    FIELD_FOR_PROBLEM = {"starts_at": "day", "ends_at": "end_time", "room": "room"}

    def clean(self):
        cleaned = super().clean()
        conference = cleaned.get("conference") or (self.instance.conference if self.instance.conference_id else None)
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if conference is None or day is None or start is None or end is None:
            return cleaned
        tz = conference.tz
        starts_at = ends_at = None
        try:
            starts_at = local_to_utc(day, start, tz)
        except LocalTimeError as error:
            self.add_error("start_time", str(error))
        try:
            ends_at = local_to_utc(day, end, tz)
        except LocalTimeError as error:
            self.add_error("end_time", str(error))
        if starts_at is None or ends_at is None:
            return cleaned
        if end <= start:
            self.add_error("end_time", _("The session must end after it starts."))
            return cleaned
        session = self.instance
        session.conference = conference
        session.room = cleaned.get("room")
        session.starts_at, session.ends_at = starts_at, ends_at
        for field, message in session_problems(session):
            self.add_error(self.FIELD_FOR_PROBLEM.get(field), message)
        capacity = cleaned.get("capacity")
        if session.pk and capacity is not None:
            confirmed = session.signups.filter(status=SignupStatus.CONFIRMED).count()
            if capacity < confirmed:
                self.add_error(
                    "capacity",
                    ngettext("The capacity cannot be lower than the %(count)d confirmed sign-up.",
                             "The capacity cannot be lower than the %(count)d confirmed sign-ups.", confirmed)
                    % {"count": confirmed},
                )
        return cleaned


class SessionRoleFormSet(BaseInlineFormSet):
    """Refuses people holding roles in another session that overlaps this one."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        session = self.instance
        if not session.conference_id or session.starts_at is None or session.ends_at is None:
            return
        participant_ids = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            participant = data.get("participant")
            if participant is None or data.get("DELETE"):
                continue
            if participant.conference_id != session.conference_id:
                form.add_error("participant", _("This person is registered for another conference."))
                continue
            participant_ids.append(participant.pk)
        problems = role_conflicts(session, participant_ids)
        if problems:
            raise ValidationError(problems)


class AgendaFilterForm(forms.Form):
    """The public day page's filters (GET): kind, room, interpretation language."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    room = forms.TypedChoiceField(label=_("Room"), required=False, coerce=int, empty_value=None)
    lang = forms.ChoiceField(label=_("Interpretation"), required=False)

    def __init__(self, *args, rooms, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *SessionKind.choices]
        self.fields["room"].choices = [("", _("All rooms"))] + [
            (room.pk, room.localized_name(language)) for room in rooms
        ]
        self.fields["lang"].choices = [("", _("Any language")), *languages.languages()]
