"""Travel after approval: who pays (funding, per participant or for a whole delegation), the itinerary with its
legs, the conference's travel lock with the change requests made after it, and the prints of the manifest.

The legs are the one truth about flights: the manifest, the transfer runs and ``selectors.stay_windows`` read
them. ``TravelPlan``'s ``arrival_*`` / ``departure_*`` fields stay what the participant wished before approval (no
airport list, no time zone) and are read only for a participant without legs.

Times are stored in UTC; each leg is entered and shown in its airports' zones (``logistics/airports.py``). A leg is
``inbound`` (towards the conference) or ``outbound`` (home): the last inbound leg is the arrival, the first outbound
leg the departure.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from conference.models import Conference, Delegation
from registration.models import Participant


class Funding(models.TextChoices):
    FUNDED = "funded", _("Funded by the organizers")
    SELF = "self", _("Self-funded")


class BookedBy(models.TextChoices):
    ORGANIZERS = "organizers", pgettext_lazy("who books the ticket", "Organizers")
    SELF = "self", pgettext_lazy("who books the ticket", "The participant")


class TicketStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("ticket", "Requested")
    BOOKED = "booked", pgettext_lazy("ticket", "Booked")
    ISSUED = "issued", pgettext_lazy("ticket", "Issued")


class VisaStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", pgettext_lazy("visa", "Not required")
    PENDING = "pending", pgettext_lazy("visa", "Pending")
    APPLIED = "applied", pgettext_lazy("visa", "Applied")
    OBTAINED = "obtained", pgettext_lazy("visa", "Obtained")
    REFUSED = "refused", pgettext_lazy("visa", "Refused")


class LegDirection(models.TextChoices):
    INBOUND = "inbound", pgettext_lazy("flight leg", "To the conference")
    OUTBOUND = "outbound", pgettext_lazy("flight leg", "Home")


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("change request", "Pending")
    ACCEPTED = "accepted", pgettext_lazy("change request", "Accepted")
    DECLINED = "declined", pgettext_lazy("change request", "Declined")


class DelegationFunding(models.Model):
    """A whole delegation funded or self-funded; a participant's own ``Itinerary.funding`` overrides it."""

    delegation = models.OneToOneField(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="travel_funding"
    )
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("delegation funding")
        verbose_name_plural = _("delegation funding")

    def __str__(self) -> str:
        return f"{self.delegation} — {self.get_funding_display()}"


class TravelSettings(models.Model):
    """Per conference: whether travel is locked (changes become requests) and the transfer grouping window."""

    conference = models.OneToOneField(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="travel_settings"
    )
    locked_at = models.DateTimeField(_("travel locked"), null=True, blank=True)
    transfer_window_minutes = models.PositiveSmallIntegerField(
        _("transfer grouping window (minutes)"), default=45,
        help_text=_("Arrivals within this many minutes of the first one share a run."),
    )

    class Meta:
        verbose_name = _("travel settings")
        verbose_name_plural = _("travel settings")

    def __str__(self) -> str:
        return str(self.conference)


class Itinerary(models.Model):
    """A participant's travel after approval: funding, who books, ticket and visa status, and the legs."""

    participant = models.OneToOneField(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="itinerary"
    )
    funding = models.CharField(
        _("funding"), max_length=20, choices=Funding.choices, blank=True,
        help_text=_("Empty: as the delegation."),
    )
    booked_by = models.CharField(_("ticket booked by"), max_length=20, choices=BookedBy.choices, blank=True)
    ticket_status = models.CharField(
        _("ticket status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.REQUESTED
    )
    visa_status = models.CharField(
        _("visa status"), max_length=20, choices=VisaStatus.choices, default=VisaStatus.NOT_REQUIRED
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("itinerary")
        verbose_name_plural = _("itineraries")

    def __str__(self) -> str:
        return str(self.participant)


class ItineraryLeg(models.Model):
    """One flight: carrier, number, from and to airport (IATA), departure and arrival (UTC)."""

    itinerary = models.ForeignKey(Itinerary, verbose_name=_("itinerary"), on_delete=models.CASCADE, related_name="legs")
    direction = models.CharField(_("direction"), max_length=10, choices=LegDirection.choices)
    carrier = models.CharField(_("carrier"), max_length=60)
    flight_number = models.CharField(_("flight number"), max_length=10)
    from_airport = models.CharField(_("from (airport)"), max_length=3)
    to_airport = models.CharField(_("to (airport)"), max_length=3)
    departs_at = models.DateTimeField(_("departure"))
    arrives_at = models.DateTimeField(_("arrival"))
    booking_reference = models.CharField(_("booking reference"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("flight")
        verbose_name_plural = _("flights")
        ordering = ["departs_at"]
        indexes = [models.Index(fields=["arrives_at"]), models.Index(fields=["departs_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(arrives_at__gt=F("departs_at")), name="leg_arrives_after_departure"),
        ]

    def __str__(self) -> str:
        return f"{self.flight_number} {self.from_airport}→{self.to_airport}"


class ItineraryChangeRequest(models.Model):
    """A change asked for after the organizers locked travel: the proposed legs (local times, as entered)."""

    itinerary = models.ForeignKey(
        Itinerary, verbose_name=_("itinerary"), on_delete=models.CASCADE, related_name="change_requests"
    )
    legs = models.JSONField(_("proposed flights"))
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ChangeRequestStatus.choices, default=ChangeRequestStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("travel change request")
        verbose_name_plural = _("travel change requests")

    def __str__(self) -> str:
        return f"{self.itinerary} ({self.get_status_display()})"


class ManifestPrint(models.Model):
    """A print of the arrival or departure manifest: what each line said then, so the next print marks changes."""

    conference = models.ForeignKey(Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=LegDirection.choices)
    printed_at = models.DateTimeField(_("printed"), auto_now_add=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("printed by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    #: {participant id: "flight|airport|utc iso time"}
    snapshot = models.JSONField(_("lines"), default=dict)

    class Meta:
        verbose_name = _("manifest print")
        verbose_name_plural = _("manifest prints")
        ordering = ["-printed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.printed_at:%Y-%m-%d %H:%M} UTC"
