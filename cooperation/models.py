"""Cooperation between delegations: bilateral meetings (the table keeps its name from sessions_app, db_table)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from conference.models import Conference, Delegation
from sessions_app.models import Room

from .enums import BilateralStatus


class BilateralMeeting(models.Model):
    conference = models.ForeignKey(Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="bilaterals")
    requesting = models.ForeignKey(
        Delegation, verbose_name=_("requesting delegation"), on_delete=models.CASCADE, related_name="+"
    )
    invited = models.ForeignKey(
        Delegation, verbose_name=_("invited delegation"), on_delete=models.CASCADE, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    room = models.ForeignKey(Room, verbose_name=_("room"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=BilateralStatus.choices, default=BilateralStatus.REQUESTED
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        db_table = "sessions_app_bilateralmeeting"
        ordering = ["starts_at", "id"]
        verbose_name = _("bilateral meeting")
        verbose_name_plural = _("bilateral meetings")
        constraints = [
            models.CheckConstraint(condition=~Q(requesting=F("invited")), name="bilateral_two_delegations"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="bilateral_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requesting} ↔ {self.invited}"
