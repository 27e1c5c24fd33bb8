"""The stay: hotels, their room blocks (per room type and night, with a quota), the rooms assigned to
participants, who asked to share with whom, the conference's rule on who may share, and every rooming list sent.

A ``RoomBooking`` is one room for a stay: its guest, for a double room possibly a roommate, the check-in and
check-out dates (nights = the dates from check-in up to the day before check-out). It takes one room of its
hotel's block of that type on each of those nights; ``services_stay.room_booking_save`` never lets a night's
bookings exceed the block's quota (the block rows are locked while counting).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from conference.models import Conference
from registration.models import Participant


class RoomType(models.TextChoices):
    SINGLE = "single", pgettext_lazy("hotel room", "Single")
    DOUBLE = "double", pgettext_lazy("hotel room", "Double")


class SharingRule(models.TextChoices):
    ANY = "any", _("Anyone may share with anyone")
    SAME_GENDER = "same_gender", _("Same gender only")
    SAME_DELEGATION = "same_delegation", _("Same delegation only")
    SAME_GENDER_AND_DELEGATION = "same_gender_delegation", _("Same gender and same delegation only")


class StayRules(models.Model):
    """The conference's rules for the stay (one row per conference; without one, the defaults apply)."""

    conference = models.OneToOneField(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="stay_rules"
    )
    sharing_rule = models.CharField(
        _("who may share a room"), max_length=30, choices=SharingRule.choices, default=SharingRule.SAME_GENDER
    )

    class Meta:
        verbose_name = _("stay rules")
        verbose_name_plural = _("stay rules")

    def __str__(self) -> str:
        return str(self.conference)


class Hotel(models.Model):
    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="hotels"
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language of the rooming list"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    send_on_schedule = models.BooleanField(
        _("send changes on schedule"), default=False,
        help_text=_("Every day, send the rooming list to the hotel when something changed since the last one sent."),
    )

    class Meta:
        verbose_name = _("hotel")
        verbose_name_plural = _("hotels")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["conference", "name"], name="hotel_unique_name")]

    def __str__(self) -> str:
        return self.name


class RoomBlock(models.Model):
    """How many rooms of one type the hotel holds for the conference on one night."""

    hotel = models.ForeignKey(Hotel, verbose_name=_("hotel"), on_delete=models.CASCADE, related_name="blocks")
    room_type = models.CharField(_("room type"), max_length=10, choices=RoomType.choices)
    night = models.DateField(_("night of"))
    quota = models.PositiveIntegerField(_("rooms"))

    class Meta:
        verbose_name = _("room block")
        verbose_name_plural = _("room blocks")
        ordering = ["hotel", "night", "room_type"]
        constraints = [
            models.UniqueConstraint(fields=["hotel", "room_type", "night"], name="roomblock_unique_night"),
        ]

    def __str__(self) -> str:
        return f"{self.hotel} — {self.get_room_type_display()} — {self.night.isoformat()}"


class RoomBooking(models.Model):
    """One room for one stay: the guest and, in a double room, possibly a roommate."""

    hotel = models.ForeignKey(Hotel, verbose_name=_("hotel"), on_delete=models.PROTECT, related_name="bookings")
    room_type = models.CharField(_("room type"), max_length=10, choices=RoomType.choices)
    guest = models.OneToOneField(
        Participant, verbose_name=_("guest"), on_delete=models.CASCADE, related_name="room_booking"
    )
    roommate = models.OneToOneField(
        Participant, verbose_name=_("roommate"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="shared_room_booking",
    )
    check_in = models.DateField(_("check-in"))
    check_out = models.DateField(_("check-out"))
    #: True once an organizer set the dates by hand: a later itinerary change no longer moves them.
    dates_edited = models.BooleanField(_("dates set by hand"), default=False)
    notes = models.CharField(_("notes for the hotel"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("room booking")
        verbose_name_plural = _("room bookings")
        constraints = [
            models.CheckConstraint(condition=Q(check_out__gt=F("check_in")), name="roombooking_checkout_after_checkin"),
            models.CheckConstraint(condition=~Q(roommate=F("guest")), name="roombooking_roommate_not_guest"),
            models.CheckConstraint(
                condition=Q(roommate__isnull=True) | Q(room_type="double"), name="roombooking_roommate_in_double"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hotel} — {self.guest}"

    @property
    def nights(self) -> list[datetime.date]:
        count = (self.check_out - self.check_in).days
        return [self.check_in + datetime.timedelta(days=offset) for offset in range(count)]


class RoommateRequest(models.Model):
    """Whom a participant asked to share a room with. It counts only when the other asked for them too."""

    participant = models.OneToOneField(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="roommate_request"
    )
    requested = models.ForeignKey(
        Participant, verbose_name=_("would share with"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("roommate request")
        verbose_name_plural = _("roommate requests")
        constraints = [
            models.CheckConstraint(condition=~Q(requested=F("participant")), name="roommaterequest_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.requested}"


def rooming_list_path(instance: RoomingListSend, filename: str) -> str:
    return f"rooming-lists/{instance.hotel.conference_id}/{instance.hotel_id}/{filename}"


class RoomingListSend(models.Model):
    """One rooming list sent (or being sent) to a hotel: the lines as they went (the next list compares with
    them), the three files that went, and the e-mail's sending markers (sent at most once)."""

    class Trigger(models.TextChoices):
        MANUAL = "manual", _("Sent by an organizer")
        SCHEDULE = "schedule", _("Sent on schedule")

    hotel = models.ForeignKey(Hotel, verbose_name=_("hotel"), on_delete=models.CASCADE, related_name="sends")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices, default=Trigger.MANUAL)
    recipient = models.EmailField(_("recipient"))
    #: {booking id: {field: value}} of the current lines (cancelled ones are not kept: they go once).
    lines = models.JSONField(_("lines"), default=dict)
    #: {state: count} of the list that went.
    counts = models.JSONField(_("counts"), default=dict)
    xlsx = models.FileField(_("XLSX file"), upload_to=rooming_list_path)
    csv = models.FileField(_("CSV file"), upload_to=rooming_list_path)
    pdf = models.FileField(_("PDF file"), upload_to=rooming_list_path)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    failed_at = models.DateTimeField(_("sending failed"), null=True, blank=True)
    last_error = models.TextField(_("last sending error"), blank=True)

    class Meta:
        verbose_name = _("rooming list sent")
        verbose_name_plural = _("rooming lists sent")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.hotel} — {self.created_at:%Y-%m-%d %H:%M}"
