from __future__ import annotations

from django import forms

from .models import BilateralMeeting
from .validation import bilateral_problems


class BilateralMeetingAdminForm(forms.ModelForm):
    class Meta:
        model = BilateralMeeting
        fields = ["conference", "requesting", "invited", "topic", "starts_at", "ends_at", "room", "status"]

    def clean(self):
        cleaned = super().clean()
        meeting = self.instance
        for name in self.Meta.fields:
            if name in cleaned:
                setattr(meeting, name, cleaned[name])
        for field, message in bilateral_problems(meeting):
            self.add_error(field if field in self.fields else None, message)
        return cleaned
