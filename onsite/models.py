"""On site: badges (tokens, prints, batches), check-in scans at the desk and attendance at a room's door.

The tables keep the names they had in ``registration`` and ``sessions_app`` (``db_table``): the move changed the
code, not the rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conference.enums import BadgeFormat
from conference.models import Conference, Delegation
from registration.models import Participant
from sessions_app.models import Session

from .enums import BatchStatus, CheckInResult


class Badge(models.Model):
    """A participant's badge: the signed check-in token in its QR code, and its print history."""

    participant = models.OneToOneField(Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="badge")
    # Random, unguessable; the QR carries it signed. Rotating it revokes the old printed badge.
    token = models.CharField(max_length=64, unique=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    printed_count = models.PositiveIntegerField(_("times printed"), default=0)
    last_printed_at = models.DateTimeField(_("last printed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        db_table = "registration_badge"
        verbose_name = _("badge")
        verbose_name_plural = _("badges")

    def __str__(self) -> str:
        return str(self.participant)


class BadgePage(models.Model):
    """A badge pre-rendered in one format: a one-page PDF and the fingerprint of what it shows.

    The desk prints this file, a batch merges these files and sheets impose them: the same page everywhere.
    """

    badge = models.ForeignKey(Badge, verbose_name=_("badge"), on_delete=models.CASCADE, related_name="pages")
    badge_format = models.CharField(_("badge format"), max_length=10, choices=BadgeFormat.choices)
    pdf = models.FileField(_("file"), upload_to="badges/pages/")
    fingerprint = models.CharField(_("fingerprint"), max_length=64, help_text=_("A hash of what the page shows"))
    rendered_at = models.DateTimeField(_("rendered"), auto_now=True)

    class Meta:
        verbose_name = _("pre-rendered badge page")
        verbose_name_plural = _("pre-rendered badge pages")
        constraints = [models.UniqueConstraint(fields=["badge", "badge_format"], name="badge_page_once_per_format")]

    def __str__(self) -> str:
        return f"{self.badge} ({self.badge_format})"


class BadgePrint(models.Model):
    badge = models.ForeignKey(Badge, verbose_name=_("badge"), on_delete=models.CASCADE, related_name="prints")
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("printed by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    printed_at = models.DateTimeField(_("printed"), auto_now_add=True)
    is_reprint = models.BooleanField(_("reprint"), default=False)
    reason = models.CharField(_("reprint reason"), max_length=300, blank=True)
    batch = models.ForeignKey("BadgeBatch", verbose_name=_("batch"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        db_table = "registration_badgeprint"
        ordering = ["-printed_at"]
        verbose_name = _("badge print")
        verbose_name_plural = _("badge prints")
        constraints = [
            models.CheckConstraint(condition=Q(is_reprint=False) | ~Q(reason=""), name="reprint_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.badge} @ {self.printed_at:%Y-%m-%d %H:%M}"


class BadgeBatch(models.Model):
    """One batch render: who asked, for what, its progress and the stored file."""

    conference = models.ForeignKey(Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="badge_batches")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    delegation = models.ForeignKey(Delegation, verbose_name=_("delegation"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    participant_ids = models.JSONField(default=list, blank=True)
    layout = models.CharField(_("layout"), max_length=20, default="single")
    status = models.CharField(_("status"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    file = models.FileField(_("file"), upload_to="badges/batches/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Renewed by the rendering worker at each chunk: a "running" batch whose lease has lapsed (its worker died)
    # may be claimed again by a redelivered task or re-run from the desk.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # The missing pages render as chunk tasks any worker takes (a Celery chord); progress counts the chunks done.
    chunks = models.PositiveIntegerField(_("parts"), default=0)
    chunks_done = models.PositiveIntegerField(_("parts done"), default=0)
    #: One entry per chunk rendered: which worker (hostname, pid), how many pages, seconds, peak memory.
    parts = models.JSONField(_("parts rendered"), default=list, blank=True)

    class Meta:
        db_table = "registration_badgebatch"
        ordering = ["-created_at"]
        verbose_name = _("badge batch")
        verbose_name_plural = _("badge batches")
        constraints = [
            models.CheckConstraint(condition=~Q(status="done") | ~Q(file=""), name="batch_done_has_file"),
        ]

    def __str__(self) -> str:
        return f"{self.conference} #{self.pk} ({self.status})"


class CheckIn(models.Model):
    """One scan at the check-in desk; the client id makes offline resends idempotent."""

    conference = models.ForeignKey(Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="scans")
    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, null=True, blank=True, related_name="scans"
    )
    client_id = models.CharField(max_length=64, unique=True)
    result = models.CharField(_("result"), max_length=20, choices=CheckInResult.choices)
    scanned_at = models.DateTimeField(_("scanned"), help_text=_("When the device scanned (may be earlier than received)"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("scanned by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    device = models.CharField(_("device"), max_length=60, blank=True)

    class Meta:
        db_table = "registration_checkin"
        ordering = ["-received_at"]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        constraints = [
            # A participant is checked in at most once, whatever the number of desks.
            models.UniqueConstraint(
                fields=["participant"], condition=Q(result="ok"), name="checkin_once_per_participant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant or '?'} {self.result} {self.client_id}"


class RevokedBadgeToken(models.Model):
    """A badge token that was rotated away (lost or stolen badge): a scan of it answers "revoked"."""

    badge = models.ForeignKey(Badge, verbose_name=_("badge"), on_delete=models.CASCADE, related_name="revoked_tokens")
    token = models.CharField(max_length=64, unique=True)
    revoked_at = models.DateTimeField(_("revoked"), auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        db_table = "registration_revokedbadgetoken"
        verbose_name = _("revoked badge token")
        verbose_name_plural = _("revoked badge tokens")

    def __str__(self) -> str:
        return f"{self.badge} ({self.revoked_at:%Y-%m-%d})" if self.revoked_at else str(self.badge)


class Attendance(models.Model):
    """A scan at a room's door; the client id makes offline resends idempotent."""

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="attendance")
    client_id = models.CharField(max_length=64, unique=True)
    scanned_at = models.DateTimeField(_("scanned"))
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("scanned by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "sessions_app_attendance"
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_once_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.session_id}"


# The official documents (List of Participants, certificates) live in their own package; Django finds their models here.
from .documents.models import Certificate, CertificateRun, DocumentSettings, ParticipantListEdition  # noqa: E402,F401
