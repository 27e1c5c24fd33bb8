"""The official documents' records: the conference's document settings, the List of Participants' editions and
the certificates of attendance. Imported by ``onsite.models`` (the app's model module)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from conference.enums import LanguageCode
from conference.models import Conference
from registration.models import Participant

from .ordering import DEFAULT_KIND_ORDER


def default_kind_order() -> list[str]:
    return [str(kind) for kind in DEFAULT_KIND_ORDER]


class DocumentSettings(models.Model):
    """Per conference: the order of delegation kinds in the List of Participants and on the tent cards."""

    conference = models.OneToOneField(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="document_settings"
    )
    kind_order = models.JSONField(
        _("order of delegation kinds"), default=default_kind_order,
        help_text=_("Delegation kinds in the order the official documents list them."),
    )
    named_cards = models.ManyToManyField(
        Participant, verbose_name=_("persons with their own tent card"), blank=True, related_name="+",
        help_text=_("Printed after their delegation's card, with their title and name."),
    )

    class Meta:
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")

    def __str__(self) -> str:
        return str(self.conference)


class ListEditionKind(models.TextChoices):
    PROVISIONAL = "provisional", pgettext_lazy("list of participants", "Provisional")
    FINAL = "final", pgettext_lazy("list of participants", "Final")


class DocumentKind(models.TextChoices):
    PARTICIPANT_LIST = "participant_list", _("List of Participants")
    TENT_CARDS = "tent_cards", _("Tent cards")


class ListStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("document", "Queued")
    DONE = "done", pgettext_lazy("document", "Ready")
    FAILED = "failed", pgettext_lazy("document", "Failed")


class ParticipantListEdition(models.Model):
    """One rendering of the List of Participants in one language (or of the tent cards, ``language`` being their
    Latin-script line's). ``fingerprint`` is the hash of what it prints: a request that hashes the same reuses the
    file."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="participant_lists"
    )
    document = models.CharField(
        _("document"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.PARTICIPANT_LIST
    )
    edition = models.CharField(_("edition"), max_length=20, choices=ListEditionKind.choices)
    edition_date = models.DateField(_("date of the edition"))
    language = models.CharField(_("language"), max_length=5, choices=LanguageCode.choices)
    fingerprint = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ListStatus.choices, default=ListStatus.QUEUED)
    file = models.FileField(_("file"), upload_to="documents/lists/", blank=True)
    rows = models.PositiveIntegerField(_("participants listed"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("list of participants")
        verbose_name_plural = _("lists of participants")
        constraints = [
            models.CheckConstraint(condition=~Q(status="done") | ~Q(file=""), name="participant_list_done_has_file"),
        ]

    def __str__(self) -> str:
        if self.document == DocumentKind.TENT_CARDS:
            return f"{self.conference} {self.get_document_display()} {self.edition_date} ({self.language})"
        return f"{self.conference} {self.get_edition_display()} {self.edition_date} ({self.language})"


class Certificate(models.Model):
    """A certificate of attendance: its public verification code, the days it names, its file; revocable."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="certificates"
    )
    participant = models.OneToOneField(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="certificate"
    )
    # Random and unguessable (never an id): what the QR code and the verification address carry.
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    language = models.CharField(_("language"), max_length=5, choices=LanguageCode.choices)
    days = models.JSONField(_("days attended"), default=list)
    fingerprint = models.CharField(max_length=64, blank=True)
    file = models.FileField(_("file"), upload_to="documents/certificates/", blank=True)
    issued_at = models.DateTimeField(_("issued on"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        ordering = ["conference", "participant"]
        verbose_name = _("certificate of attendance")
        verbose_name_plural = _("certificates of attendance")
        constraints = [
            models.CheckConstraint(condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                                   name="certificate_revoked_has_reason"),
        ]

    def __str__(self) -> str:
        return str(self.participant)


class CertificateRunStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("certificates", "Queued")
    RUNNING = "running", pgettext_lazy("certificates", "Issuing")
    DONE = "done", pgettext_lazy("certificates", "Done")
    FAILED = "failed", pgettext_lazy("certificates", "Failed")


class CertificateRun(models.Model):
    """One queued issue of certificates of attendance: for the checked-in participants of the conference, of one
    delegation, or of a selection. A task works through them in chunks of participants ordered by id; each chunk
    commits the certificates with the progress and ``last_participant_id``, so a redelivered task carries on after
    the last committed chunk and issues nothing twice."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="certificate_runs"
    )
    delegation = models.ForeignKey(
        "conference.Delegation", verbose_name=_("delegation"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", help_text=_("Leave empty for every checked-in participant of the conference."),
    )
    participant_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CertificateRunStatus.choices,
                              default=CertificateRunStatus.QUEUED)
    total = models.PositiveIntegerField(_("participants"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    issued = models.PositiveIntegerField(_("certificates issued"), default=0)
    refreshed = models.PositiveIntegerField(_("brought up to date"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    last_participant_id = models.PositiveBigIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Renewed at each chunk: a "running" issue whose lease has lapsed (its worker died) may be claimed again.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("issue of certificates")
        verbose_name_plural = _("issues of certificates")

    def __str__(self) -> str:
        return f"{self.conference} #{self.pk} ({self.get_status_display()})"
