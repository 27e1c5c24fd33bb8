"""Airport transfers: the conference's vehicles, the runs (airport → hotel or back, pickup time) and their seats.

A seat is one participant on one run, planned, then marked picked up or no-show by the airport staff.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from conference.models import Conference
from registration.models import Participant

from .itinerary import LegDirection


class RunStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("transfer run", "Proposed")
    CONFIRMED = "confirmed", pgettext_lazy("transfer run", "Confirmed")


class SeatState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("transfer seat", "Expected")
    PICKED_UP = "picked_up", pgettext_lazy("transfer seat", "Picked up")
    NO_SHOW = "no_show", pgettext_lazy("transfer seat", "No-show")


class Vehicle(models.Model):
    conference = models.ForeignKey(Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    capacity = models.PositiveSmallIntegerField(_("seats"))
    plate = models.CharField(_("plate"), max_length=20, blank=True)
    driver_name = models.CharField(_("driver"), max_length=120, blank=True)
    driver_phone = models.CharField(_("driver's phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(capacity__gt=0), name="vehicle_capacity_positive")]

    def __str__(self) -> str:
        return f"{self.name} ({self.capacity})"


class TransferRun(models.Model):
    """One trip of one vehicle: from the airport to the hotel (inbound) or back (outbound)."""

    conference = models.ForeignKey(Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(_("direction"), max_length=10, choices=LegDirection.choices)
    airport = models.CharField(_("airport"), max_length=3)
    hotel = models.CharField(_("hotel"), max_length=200, blank=True)
    pickup_at = models.DateTimeField(_("pickup"))
    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("vehicle"), on_delete=models.SET_NULL, null=True, blank=True, related_name="runs"
    )
    status = models.CharField(_("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.PROPOSED)

    class Meta:
        verbose_name = _("transfer run")
        verbose_name_plural = _("transfer runs")
        ordering = ["pickup_at", "pk"]
        indexes = [models.Index(fields=["conference", "pickup_at"])]

    def __str__(self) -> str:
        return f"{self.airport} {self.pickup_at:%Y-%m-%d %H:%M} UTC"


class TransferSeat(models.Model):
    run = models.ForeignKey(TransferRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="seats")
    participant = models.ForeignKey(Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(_("direction"), max_length=10, choices=LegDirection.choices)
    flight = models.CharField(_("flight"), max_length=20, blank=True)
    lands_at = models.DateTimeField(_("flight time"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=SeatState.choices, default=SeatState.PLANNED)
    marked_at = models.DateTimeField(_("marked"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("marked by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("transfer seat")
        verbose_name_plural = _("transfer seats")
        ordering = ["lands_at", "pk"]
        constraints = [
            # One transfer each way per participant.
            models.UniqueConstraint(fields=["participant", "direction"], name="one_transfer_each_way"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.run}"
