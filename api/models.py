"""The API's records: check-in devices, their enrollment codes and tokens.

``HashedToken`` is the one shape of a stored secret (``api/tokens.py``): the clear prefix that finds the row, the
SHA-256 digest, the last use, the expiry and the revocation; the integration tokens share it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HashedToken(models.Model):
    """A bearer secret kept as its digest: shown once when made, never again."""

    prefix = models.CharField(_("prefix"), max_length=16, unique=True, help_text=_("The token's first characters, to recognise it"))
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


# The integration tokens (api/integration/models.py), a HashedToken too: imported here for Django to find them.
from .integration.models import IntegrationToken  # noqa: E402,F401


class ScanPoint(models.TextChoices):
    DESK = "desk", _("Check-in desk")
    DOOR = "door", _("Session door")
    AIRPORT = "airport", _("Airport")
    HOTEL = "hotel", _("Hotel")


class Device(models.Model):
    """A phone or tablet that scans badges for one conference, at the scan points it is allowed.

    Its own account (``user``: inactive, no password, named like the device) is the actor of what it does: the
    check-ins it makes name it ("checked in by Door 3"), the audit log and the read log list it."""

    conference = models.ForeignKey(
        "conference.Conference", verbose_name=_("conference"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=80)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.PROTECT, related_name="accord_device",
        editable=False,
    )
    at_desk = models.BooleanField(_("check-in desk"), default=True)
    at_airport = models.BooleanField(_("airport"), default=False)
    at_hotel = models.BooleanField(_("hotel"), default=False)
    doors = models.ManyToManyField(
        "sessions_app.Session", verbose_name=_("session doors"), blank=True, related_name="+",
        help_text=_("The sessions at whose door the device may record attendance."),
    )
    shows_details = models.BooleanField(
        _("shows the participant's details"), default=True,
        help_text=_("Name, delegation and category in each answer and in the offline list."),
    )
    shows_photos = models.BooleanField(_("shows photos"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["conference", "name"]
        verbose_name = _("check-in device")
        verbose_name_plural = _("check-in devices")

    def __str__(self) -> str:
        return self.name

    def allows(self, point: str, session_id: int | None = None) -> bool:
        """Whether this device may scan at ``point`` (a door: ``session_id`` must be one of ``doors``, one query)."""
        if point == ScanPoint.DESK:
            return self.at_desk
        if point == ScanPoint.AIRPORT:
            return self.at_airport
        if point == ScanPoint.HOTEL:
            return self.at_hotel
        if point == ScanPoint.DOOR and session_id is not None:
            return self.doors.filter(pk=session_id).exists()
        return False


class DeviceEnrollment(HashedToken):
    """A one-time code, shown as a QR code on the device's admin page, that a device exchanges for its token."""

    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.CASCADE, related_name="enrollments")
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("enrollment code")
        verbose_name_plural = _("enrollment codes")

    def __str__(self) -> str:
        return f"{self.device} {self.prefix}…"

    @property
    def is_active(self) -> bool:
        return self.used_at is None and super().is_active


class DeviceToken(HashedToken):
    """A device's bearer token, made when it enrolled; revoked at once by an organizer."""

    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.CASCADE, related_name="tokens")
    enrollment = models.OneToOneField(
        DeviceEnrollment, verbose_name=_("enrollment code"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="token",
    )
    label = models.CharField(_("label"), max_length=80, blank=True, help_text=_("What the device calls itself"))
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("device token")
        verbose_name_plural = _("device tokens")

    def __str__(self) -> str:
        return f"{self.device} {self.prefix}…"


class DeviceScan(models.Model):
    """One scan a device sent: its nonce makes a resend answer as the first time (``answer``) and count once.

    At the airport and the hotel this row is the arrival record itself (one accepted scan per participant and
    point, whatever the number of devices); at the desk and a door the check-in service records its own rows."""

    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.CASCADE, related_name="scans")
    nonce = models.CharField(_("nonce"), max_length=48)
    point = models.CharField(_("scan point"), max_length=10, choices=ScanPoint.choices)
    session = models.ForeignKey(
        "sessions_app.Session", verbose_name=_("session"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    participant = models.ForeignKey(
        "registration.Participant", verbose_name=_("participant"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="+",
    )
    result = models.CharField(_("result"), max_length=20)
    scanned_at = models.DateTimeField(_("scanned"), help_text=_("The device's time of the scan"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    answer = models.JSONField(_("answer"), default=dict, help_text=_("The first answer, sent again to a resend"))

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("device scan")
        verbose_name_plural = _("device scans")
        constraints = [
            models.UniqueConstraint(fields=["device", "nonce"], name="devicescan_nonce_once_per_device"),
            # Arrival at the airport and at the hotel: one accepted scan per participant and point.
            models.UniqueConstraint(
                fields=["participant", "point"], condition=Q(result="ok", point__in=["airport", "hotel"]),
                name="devicescan_arrival_once",
            ),
        ]
        indexes = [models.Index(fields=["participant", "point"], name="devicescan_participant_point")]

    def __str__(self) -> str:
        return f"{self.device} {self.point} {self.result} {self.nonce}"
