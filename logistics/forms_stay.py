"""Forms of the stay pages (bookings, sharing requests, DSA rates, allowance lines, bank details). They only read
what was posted: every check that decides is the service's (``services_stay``, ``services_allowances``), whose
refusal the view puts back on the field it names (``add_service_error``). They work without JavaScript."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models.allowances import DEFAULT_LODGING_SHARE, DEFAULT_MEALS_SHARE
from .models.stay import RoomType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_error(form: forms.Form, error) -> None:
    """Show a service's refusal on the field whose label starts its message ("Roommate: …", French "… : …"),
    else on the form. The labels are the services' own words for the fields, in every language."""
    message = str(error)
    prefix = message.split(":", 1)[0].strip(" \u00a0\u202f").casefold() if ":" in message else None
    for name, field in form.fields.items():
        if prefix and str(field.label or "").strip().casefold() == prefix:
            form.add_error(name, message)
            return
    form.add_error(None, message)


def _people_choices(candidates, *, blank: str) -> list[tuple[str, str]]:
    def label(person):
        name = person.full_name or person.printed_name or person.email
        return f"{name} — {person.delegation.code}" if person.delegation_id else name

    return [("", blank)] + [(person.public_id, label(person)) for person in candidates]


class BookingForm(forms.Form):
    """A room for a guest (and a roommate). The people are posted by their public id; who they are, and whether
    they may be booked here, is decided by ``room_booking_save``."""

    booking = forms.IntegerField(widget=forms.HiddenInput, required=False)
    guest = forms.CharField(label=pgettext_lazy("rooming list", "Guest"), widget=forms.Select)
    room_type = forms.ChoiceField(label=pgettext_lazy("rooming list", "Room type"), choices=RoomType.choices)
    roommate = forms.CharField(label=pgettext_lazy("rooming list", "Roommate"), required=False, widget=forms.Select)
    check_in = forms.DateField(label=pgettext_lazy("rooming list", "Check-in date"), required=False, widget=DATE,
                               help_text=_("Leave both dates empty to take the participant's travel dates."))
    check_out = forms.DateField(label=pgettext_lazy("rooming list", "Check-out date"), required=False, widget=DATE)
    notes = forms.CharField(label=_("Notes for the hotel"), required=False, max_length=300)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guest"].widget.choices = _people_choices(candidates, blank=_("Choose the guest"))
        self.fields["roommate"].widget.choices = _people_choices(candidates, blank=_("Nobody"))

    def clean(self):
        data = super().clean()
        if bool(data.get("check_in")) != bool(data.get("check_out")):
            self.add_error("check_out" if data.get("check_in") else "check_in",
                           _("Give both dates, or neither to take the travel dates."))
        return data


class RoommateRequestForm(forms.Form):
    participant = forms.CharField(label=_("Participant"), widget=forms.Select)
    requested = forms.CharField(label=_("Would share with"), required=False, widget=forms.Select)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].widget.choices = _people_choices(candidates, blank=_("Choose the participant"))
        self.fields["requested"].widget.choices = _people_choices(candidates, blank=_("Nobody"))


class DsaRateForm(forms.Form):
    """A DSA rate as typed; amounts are checked by ``dsa_rate_save`` (missing, negative, not a number)."""

    duty_station = forms.CharField(label=_("Duty station"), max_length=100, required=False)
    amount = forms.CharField(label=_("DSA per night"), required=False, max_length=20)
    currency = forms.CharField(label=_("Currency"), required=False, max_length=3, initial="USD")
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE)
    terminal_expenses = forms.CharField(label=_("Terminal expenses per journey"), required=False, max_length=20)
    lodging_share = forms.CharField(label=_("Share deducted when lodging is provided (%)"), required=False,
                                    max_length=10, initial=DEFAULT_LODGING_SHARE)
    meals_share = forms.CharField(label=_("Share deducted when meals are provided (%)"), required=False,
                                  max_length=10, initial=DEFAULT_MEALS_SHARE)

    def clean(self):
        data = super().clean()
        for name in ("amount", "terminal_expenses", "lodging_share", "meals_share"):
            # Arabic-Indic digits and a decimal comma read as the service expects them.
            data[name] = (data.get(name) or "").translate(ARABIC_DIGITS).replace("\u066b", ".").replace(",", ".")
        return data


ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)


class AllowanceForm(forms.Form):
    nights = forms.IntegerField(label=_("Nights"), min_value=0)
    journeys = forms.IntegerField(label=_("Journeys"), min_value=0)
    lodging_provided = forms.BooleanField(label=_("Lodging provided"), required=False)
    meals_provided = forms.BooleanField(label=_("Meals provided"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300,
                             help_text=_("Needed when the allowance has already been paid."))


class BankDetailsForm(forms.Form):
    """Where the allowance is paid. Never shown back: a new entry replaces what is on file."""

    account_holder = forms.CharField(label=_("Account holder"), max_length=200, required=False,
                                     widget=forms.TextInput(attrs={"autocomplete": "off"}))
    bank_name = forms.CharField(label=_("Bank"), max_length=200, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    iban = forms.CharField(label=_("IBAN or account number"), max_length=50, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr", "spellcheck": "false"}),
                           help_text=_("An IBAN where your country has them (its length and check digits are "
                                       "checked); otherwise the account number, with the bank's SWIFT/BIC."))
    swift_bic = forms.CharField(label="SWIFT/BIC", max_length=15, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr",
                                                              "spellcheck": "false"}))
