"""The programme: rooms, sessions, roles, sign-ups with waiting lists, agenda files."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from conference.models import Conference, localized
from conference.validators import validate_single_line
from registration.models import Participant

from .enums import RoleKind, SessionKind, SignupStatus


class Room(models.Model):
    conference = models.ForeignKey(Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name (English)"), max_length=120, validators=[validate_single_line])
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True, validators=[validate_single_line])
    name_ar = models.CharField(_("name (Arabic)"), max_length=120, blank=True, validators=[validate_single_line])
    capacity = models.PositiveIntegerField(_("capacity"), default=0)
    interpretation_languages = models.JSONField(_("interpretation languages offered"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["conference", "order", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["conference", "name"], name="room_unique_name"),
            models.CheckConstraint(condition=Q(capacity__gte=0), name="room_capacity_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    def localized_name(self, language: str | None = None) -> str:
        return localized(self, "name", language)


class Session(models.Model):
    conference = models.ForeignKey(Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    title = models.CharField(_("title (English)"), max_length=300, validators=[validate_single_line])
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True, validators=[validate_single_line])
    title_ar = models.CharField(_("title (Arabic)"), max_length=300, blank=True, validators=[validate_single_line])
    description = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no sign-up limit.")
    )
    signup_required = models.BooleanField(_("sign-up required"), default=False)
    interpretation_languages = models.JSONField(_("interpretation languages"), default=list, blank=True)
    is_public = models.BooleanField(_("shown on the public agenda"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "room__order", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0), name="session_capacity_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["conference", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})

    def localized_title(self, language: str | None = None) -> str:
        return localized(self, "title", language)

    def localized_description(self, language: str | None = None) -> str:
        return localized(self, "description", language)


class SessionRole(models.Model):
    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="roles")
    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="session_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["session", "order", "id"]
        verbose_name = _("session role")
        verbose_name_plural = _("session roles")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant", "role"], name="role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.participant}"


class SessionSignup(models.Model):
    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="signups")
    participant = models.ForeignKey(Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="signups")
    status = models.CharField(_("status"), max_length=20, choices=SignupStatus.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("promoted from the waiting list"), null=True, blank=True)
    # Set in the transaction that claims the promotion e-mail, so a retried task never sends twice.
    promotion_notified_at = models.DateTimeField(_("promotion notified"), null=True, blank=True)
    # The promotion e-mail's tries: a fault no retry cures, or the last retry, sets ``promotion_failed_at``.
    promotion_attempts = models.PositiveIntegerField(_("promotion e-mail attempts"), default=0)
    promotion_error = models.TextField(_("promotion e-mail error"), blank=True)
    promotion_failed_at = models.DateTimeField(_("promotion e-mail failed"), null=True, blank=True)

    class Meta:
        ordering = ["session", "created_at", "id"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="signup_once_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.session}"


class PersonalFeed(models.Model):
    """A participant's private iCal feed: secret token (hashed), revocable."""

    participant = models.OneToOneField(Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="ical_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal calendar feed")
        verbose_name_plural = _("personal calendar feeds")

    def __str__(self) -> str:
        return f"{self.participant_id}: calendar feed"


class AgendaFile(models.Model):
    """A rendered agenda PDF per language, re-rendered when the programme changes."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="agenda_files"
    )
    language = models.CharField(_("language"), max_length=2)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    file = models.FileField(_("file"), upload_to="agenda/")
    rendered_at = models.DateTimeField(_("rendered"), auto_now=True)

    class Meta:
        verbose_name = _("agenda file")
        verbose_name_plural = _("agenda files")
        constraints = [
            models.UniqueConstraint(fields=["conference", "language"], name="agenda_file_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.conference_id} agenda ({self.language})"
