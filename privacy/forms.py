"""Forms of the participant's privacy pages and the organizers' retention policy."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RetentionPolicy


class DeletionRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organizers (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoticeAcceptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    accept = forms.BooleanField(label=_("I have read and accept the privacy notice."))


class RetentionPolicyForm(forms.ModelForm):
    """The admin's form: the model's ``clean`` refuses values outside the deployment's floor and ceiling."""

    class Meta:
        model = RetentionPolicy
        fields = ["conference", "sensitive_days", "photos_days", "travel_hotel_days", "contacts_directory_days",
                  "rest_days", "automatic_purge"]
