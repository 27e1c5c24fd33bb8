"""Cooperation between delegations: the consented directory and bilateral meetings (requests, proposed slots,
attending members, the rooms and slot grid the organizers set, and the bookings that keep every delegation,
member and room to one meeting at a time). The meetings' table keeps its name from sessions_app (db_table)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from conference.models import Conference, Delegation
from registration.models import Participant
from sessions_app.models import Room

from .enums import BilateralStatus, BookingKind, ContactStatus, FollowUpKind, FollowUpStatus, Side


class DirectoryEntry(models.Model):
    """A participant's listing in the directory: hidden unless ``listed``, each detail shown only when shared."""

    participant = models.OneToOneField(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="directory_entry"
    )
    listed = models.BooleanField(_("listed in the directory"), default=False)
    share_position = models.BooleanField(_("share my position"), default=False)
    share_organization = models.BooleanField(_("share my organization"), default=False)
    share_languages = models.BooleanField(_("share the languages I speak"), default=False)
    share_expertise = models.BooleanField(_("share my areas of expertise"), default=False)
    share_email = models.BooleanField(_("share my e-mail address"), default=False)
    share_phone = models.BooleanField(_("share my phone number"), default=False)
    # Codes of ``enums.Expertise``.
    expertise = models.JSONField(_("areas of expertise"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        indexes = [models.Index(fields=["listed"])]

    def __str__(self) -> str:
        return str(self.participant)


class MeetingRoom(models.Model):
    """A room of the programme that the organizers give to bilateral meetings (its capacity and languages)."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="meeting_rooms"
    )
    room = models.OneToOneField(Room, verbose_name=_("room"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["conference", "room__order", "room__name"]
        verbose_name = _("meeting room")
        verbose_name_plural = _("meeting rooms")

    def __str__(self) -> str:
        return str(self.room)


class MeetingSlot(models.Model):
    """One slot of the grid in which delegations may meet (outside the plenaries)."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="meeting_slots"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["conference", "starts_at"]
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        constraints = [
            models.UniqueConstraint(fields=["conference", "starts_at"], name="meeting_slot_unique_start"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class BilateralMeeting(models.Model):
    conference = models.ForeignKey(Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="bilaterals")
    requesting = models.ForeignKey(
        Delegation, verbose_name=_("requesting delegation"), on_delete=models.CASCADE, related_name="+"
    )
    invited = models.ForeignKey(
        Delegation, verbose_name=_("invited delegation"), on_delete=models.CASCADE, related_name="+"
    )
    invited_participant = models.ForeignKey(
        Participant, verbose_name=_("invited participant"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    # Codes of ``conference.enums.LanguageCode``: the language pair the meeting needs.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    room = models.ForeignKey(Room, verbose_name=_("room"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=BilateralStatus.choices, default=BilateralStatus.REQUESTED
    )
    awaiting = models.CharField(_("awaiting an answer from"), max_length=20, choices=Side.choices, default=Side.INVITED)
    round = models.PositiveSmallIntegerField(_("round of proposals"), default=1)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
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
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.requesting} ↔ {self.invited}"

    def delegation_of(self, side: str) -> Delegation:
        return self.requesting if side == Side.REQUESTING else self.invited


class MeetingAttendee(models.Model):
    meeting = models.ForeignKey(BilateralMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendees")
    participant = models.ForeignKey(Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("attending member")
        verbose_name_plural = _("attending members")
        constraints = [models.UniqueConstraint(fields=["meeting", "participant"], name="meeting_attendee_once")]

    def __str__(self) -> str:
        return str(self.participant)


class MeetingProposal(models.Model):
    """A slot of the grid proposed for a meeting in one round (the request, then each counter-proposal)."""

    meeting = models.ForeignKey(BilateralMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="proposals")
    slot = models.ForeignKey(MeetingSlot, verbose_name=_("slot"), on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField(_("round of proposals"))
    proposed_by = models.ForeignKey(Delegation, verbose_name=_("proposed by"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["meeting", "round", "slot__starts_at"]
        verbose_name = _("proposed slot")
        verbose_name_plural = _("proposed slots")
        constraints = [models.UniqueConstraint(fields=["meeting", "round", "slot"], name="meeting_proposal_once")]

    def __str__(self) -> str:
        return str(self.slot)


class Booking(models.Model):
    """The time an accepted meeting holds for one delegation, attending member or room.

    On PostgreSQL an exclusion constraint (migration 0003) forbids two rows of one (kind, resource) whose
    [starts_at, ends_at) ranges overlap, also when two acceptances commit at the same moment; the services check
    the same before they write, on every database.
    """

    meeting = models.ForeignKey(BilateralMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="bookings")
    kind = models.CharField(_("kind"), max_length=20, choices=BookingKind.choices)
    resource_id = models.BigIntegerField(_("resource"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [models.Index(fields=["kind", "resource_id", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"),
            models.UniqueConstraint(fields=["meeting", "kind", "resource_id"], name="booking_once_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.resource_id} {self.starts_at:%Y-%m-%d %H:%M}"


class MeetingNotice(models.Model):
    """One e-mail owed to one recipient about one step of a meeting: the row is its sending task's claim, so a
    retried task never sends it twice."""

    meeting = models.ForeignKey(BilateralMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="notices")
    event = models.CharField(_("event"), max_length=20)
    round = models.PositiveSmallIntegerField(_("round of proposals"))
    email = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=2)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)
    last_error = models.TextField(_("last sending error"), blank=True)

    class Meta:
        verbose_name = _("meeting e-mail")
        verbose_name_plural = _("meeting e-mails")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "event", "round", "email"], name="meeting_notice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.email}"


class ContactExchange(models.Model):
    """One participant asked another (badge scan or the directory) to exchange contacts; once the other confirms,
    each holds the other's shared details."""

    conference = models.ForeignKey(Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="+")
    requester = models.ForeignKey(Participant, verbose_name=_("asked by"), on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Participant, verbose_name=_("asked"), on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=ContactStatus.choices, default=ContactStatus.PENDING)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contact exchange")
        verbose_name_plural = _("contact exchanges")
        constraints = [
            models.UniqueConstraint(fields=["requester", "recipient"], name="contact_exchange_once"),
            models.CheckConstraint(condition=~Q(requester=F("recipient")), name="contact_exchange_two_people"),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.recipient}"


class FollowUp(models.Model):
    """What a meeting agreed, with who follows it up by when, and how it went (asked at 3 and 6 months)."""

    meeting = models.ForeignKey(BilateralMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(_("kind"), max_length=30, choices=FollowUpKind.choices)
    owner = models.ForeignKey(Participant, verbose_name=_("owner"), on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=30, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.NOT_REPORTED)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Each reminder is sent once: its sending task writes the time in the transaction that sends.
    reminded_3m_at = models.DateTimeField(_("3-month reminder sent"), null=True, blank=True)
    reminded_6m_at = models.DateTimeField(_("6-month reminder sent"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "due_date", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.meeting})"


class CooperationSettings(models.Model):
    """The organizers' choices for one conference's cooperation features."""

    conference = models.OneToOneField(Conference, verbose_name=_("conference"), on_delete=models.CASCADE,
                                      related_name="cooperation_settings")
    contact_exchange_until = models.DateTimeField(
        _("contact exchange closes"), null=True, blank=True,
        help_text=_("Empty: a fixed number of days after the last day (ACCORD_CONTACT_EXCHANGE_DAYS)."),
    )

    class Meta:
        verbose_name = _("cooperation settings")
        verbose_name_plural = _("cooperation settings")

    def __str__(self) -> str:
        return str(self.conference)
