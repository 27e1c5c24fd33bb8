"""Travel and stay: passport data for visa letters, the travel and hotel wishes, the visa support letter.

``TravelDocument`` keeps the table it had in ``registration`` (``db_table``); ``TravelPlan`` and ``VisaLetter``
hold what used to be the participant's ``arrival_*``, ``departure_*``, hotel and ``visa_letter*`` fields (a data
migration copied every row). Each belongs to one participant; a participant without a row has given nothing yet.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from registration.models import Participant

from ..enums import RoomSharing


def visa_letter_path(instance: VisaLetter, filename: str) -> str:
    participant = instance.participant
    return f"visa-letters/{participant.conference_id}/{participant.public_id}.pdf"


class TravelDocument(models.Model):
    """Passport data for visa letters: organizers only, every read logged, purged after the event."""

    participant = models.OneToOneField(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="travel_document"
    )
    passport_number = models.CharField(_("passport number"), max_length=40, blank=True)
    passport_expiry = models.DateField(_("passport expiry"), null=True, blank=True)
    issuing_country = CountryField(_("issuing country"), blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    purged_at = models.DateTimeField(_("purged"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "registration_traveldocument"
        verbose_name = _("travel document")
        verbose_name_plural = _("travel documents")

    def __str__(self) -> str:
        return f"{self.participant} — {self.issuing_country}"


class TravelPlan(models.Model):
    """The participant's journey and stay as they gave it in the travel step (times in the conference's zone)."""

    participant = models.OneToOneField(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="travel_plan"
    )
    arrival_date = models.DateField(_("arrival date"), null=True, blank=True)
    arrival_time = models.TimeField(_("arrival time"), null=True, blank=True)
    arrival_flight = models.CharField(_("arrival flight"), max_length=20, blank=True)
    arrival_airport = models.CharField(_("arrival airport"), max_length=10, blank=True)
    departure_date = models.DateField(_("departure date"), null=True, blank=True)
    departure_time = models.TimeField(_("departure time"), null=True, blank=True)
    departure_flight = models.CharField(_("departure flight"), max_length=20, blank=True)
    departure_airport = models.CharField(_("departure airport"), max_length=10, blank=True)
    transfer_needed = models.BooleanField(_("airport transfer needed"), default=False)
    hotel_needed = models.BooleanField(_("hotel room needed"), default=False)
    room_sharing = models.CharField(_("room"), max_length=20, choices=RoomSharing.choices, blank=True)
    hotel_name = models.CharField(_("hotel"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("travel and hotel")
        verbose_name_plural = _("travel and hotel")

    def __str__(self) -> str:
        return str(self.participant)


class VisaLetter(models.Model):
    """Whether the participant asked for a visa support letter, and the letter once issued and sent."""

    participant = models.OneToOneField(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="visa_letter"
    )
    requested = models.BooleanField(_("needs a visa support letter"), default=False)
    file = models.FileField(_("visa letter"), upload_to=visa_letter_path, blank=True)
    issued_at = models.DateTimeField(_("visa letter issued"), null=True, blank=True)
    reference = models.CharField(_("visa letter reference"), max_length=60, blank=True)
    # The e-mail of the issued letter (passport data inside) is sent at most once per issue: the sending task
    # claims it by writing sent_at in the transaction that sends; an issue empties it again.
    sent_at = models.DateTimeField(_("visa letter sent"), null=True, blank=True)
    failed_at = models.DateTimeField(_("visa letter sending failed"), null=True, blank=True)
    last_error = models.TextField(_("last visa letter sending error"), blank=True)

    class Meta:
        verbose_name = _("visa support letter")
        verbose_name_plural = _("visa support letters")

    def __str__(self) -> str:
        return str(self.participant)
