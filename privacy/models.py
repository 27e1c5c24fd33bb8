"""Privacy records: who read whose personal data, how long each kind lives, what each purge removed, the
conference's privacy notice and who accepted which version, consent changes and requests for deletion.

The participant is named by its dotted string (``"registration.Participant"``): ``privacy`` sits below
``registration`` and imports only ``conference``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from conference.models import Conference

from .enums import READ_WHAT_LABELS, ConsentTopic, DeletionStatus, ReadWhere, RetentionKind


class ReadLog(models.Model):
    """One read of a participant's sensitive data, photo or travel: who, when, whose, what and where."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="read_log"
    )
    participant = models.ForeignKey(
        "registration.Participant", verbose_name=_("whose data"), on_delete=models.CASCADE, related_name="reads"
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("read by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    # Kept when the account is deleted: the log must still say who it was.
    reader_name = models.CharField(_("reader"), max_length=254, blank=True)
    kind = models.CharField(_("kind of data"), max_length=20, choices=RetentionKind.choices)
    what = models.CharField(_("what"), max_length=100)
    where = models.CharField(_("where"), max_length=10, choices=ReadWhere.choices)
    read_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-read_at", "-id"]
        verbose_name = _("read of personal data")
        verbose_name_plural = _("read log")
        indexes = [models.Index(fields=["participant", "read_at"]), models.Index(fields=["conference", "read_at"])]
        permissions = [
            # The finance officer's: the bank details an allowance needs (declared before the allowances exist).
            ("view_bank_details", _("Can see bank details")),
        ]

    def __str__(self) -> str:
        return f"{self.read_at:%Y-%m-%d %H:%M} {self.reader_name} {self.what}"

    @property
    def what_label(self) -> str:
        return str(READ_WHAT_LABELS.get(self.what, self.what))


class RetentionPolicy(models.Model):
    """How many days after the conference's last day each kind of personal data lives.

    Each value stays between the deployment's floor and ceiling (``settings.PRIVACY_RETENTION``); an empty value
    takes the deployment's default.
    """

    conference = models.OneToOneField(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="retention_policy"
    )
    sensitive_days = models.PositiveIntegerField(_("sensitive data (days)"), null=True, blank=True)
    photos_days = models.PositiveIntegerField(_("photos (days)"), null=True, blank=True)
    travel_hotel_days = models.PositiveIntegerField(_("travel and hotel (days)"), null=True, blank=True)
    contacts_directory_days = models.PositiveIntegerField(_("contacts and directory (days)"), null=True, blank=True)
    rest_days = models.PositiveIntegerField(_("everything else (days)"), null=True, blank=True)
    # Off for a demo or a legal hold: the daily task then leaves the conference alone (the command still purges);
    # only where the deployment allows it (settings.PRIVACY_ALLOW_PAUSE).
    automatic_purge = models.BooleanField(_("purged automatically"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self) -> str:
        return str(self.conference)

    def days(self, kind: str) -> int:
        """The days ``kind`` lives after the last day: this policy's value, else the deployment's default."""
        value = getattr(self, f"{kind}_days")
        return settings.PRIVACY_RETENTION[kind]["default"] if value is None else value

    def clean(self) -> None:
        errors = {}
        for kind in RetentionKind.values:
            value = getattr(self, f"{kind}_days")
            if value is None:
                continue
            limits = settings.PRIVACY_RETENTION[kind]
            if value < limits["floor"]:
                errors[f"{kind}_days"] = _(
                    "At least %(floor)d days: the deployment keeps this data that long (for audits and appeals)."
                ) % {"floor": limits["floor"]}
            elif value > limits["ceiling"]:
                errors[f"{kind}_days"] = _(
                    "At most %(ceiling)d days: the deployment deletes this data by then (the privacy notice "
                    "promises it)."
                ) % {"ceiling": limits["ceiling"]}
        if not self.automatic_purge and not settings.PRIVACY_ALLOW_PAUSE:
            errors["automatic_purge"] = _("This deployment does not allow pausing the automatic purge.")
        if errors:
            raise ValidationError(errors)


class PurgeRecord(models.Model):
    """One purge step (one kind of one conference, or one participant's deletion): what, how many, when, by
    which rule, and the aggregates kept from before it."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="purge_records"
    )
    kind = models.CharField(_("kind of data"), max_length=20, choices=RetentionKind.choices)
    rule = models.CharField(_("rule"), max_length=300)
    count = models.PositiveIntegerField(_("values removed"), default=0)
    files = models.PositiveIntegerField(_("files removed"), default=0)
    details = models.JSONField(_("removed per field"), default=dict, blank=True)
    aggregates = models.JSONField(_("aggregates kept"), default=dict, blank=True)
    deletion_request = models.ForeignKey(
        "DeletionRequest", verbose_name=_("deletion request"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="purge_records",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("run by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("purge record")
        verbose_name_plural = _("purge records")

    def __str__(self) -> str:
        return f"{self.conference} {self.kind} {self.created_at:%Y-%m-%d}"


class PrivacyNotice(models.Model):
    """One version of a conference's privacy notice, in English, French and Arabic; published versions are
    never edited (a change is a new version, which participants are asked to accept again)."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="privacy_notices"
    )
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text (English)"))
    text_fr = models.TextField(_("text (French)"))
    text_ar = models.TextField(_("text (Arabic)"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["conference", "-version"]
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        constraints = [
            models.UniqueConstraint(fields=["conference", "version"], name="privacy_notice_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.conference} v{self.version}"

    def localized_text(self, language: str) -> str:
        return {"fr": self.text_fr, "ar": self.text_ar}.get(language) or self.text


class NoticeAcceptance(models.Model):
    """A participant accepted one version of the privacy notice, at a time (the registration's consent step)."""

    participant = models.ForeignKey(
        "registration.Participant", verbose_name=_("participant"), on_delete=models.CASCADE,
        related_name="notice_acceptances",
    )
    notice = models.ForeignKey(
        PrivacyNotice, verbose_name=_("privacy notice"), on_delete=models.PROTECT, related_name="acceptances"
    )
    accepted_at = models.DateTimeField(_("accepted"), auto_now_add=True)

    class Meta:
        ordering = ["-accepted_at", "-id"]
        verbose_name = _("privacy notice acceptance")
        verbose_name_plural = _("privacy notice acceptances")
        constraints = [
            models.UniqueConstraint(fields=["participant", "notice"], name="notice_accepted_once"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} v{self.notice_id}"


class ConsentChange(models.Model):
    """A change of one consent (privacy notice, directory, photos, contact exchange): old and new value, who."""

    participant = models.ForeignKey(
        "registration.Participant", verbose_name=_("participant"), on_delete=models.CASCADE,
        related_name="consent_changes",
    )
    topic = models.CharField(_("consent"), max_length=20, choices=ConsentTopic.choices)
    old_value = models.CharField(_("before"), max_length=40, blank=True)
    new_value = models.CharField(_("after"), max_length=40, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("consent change")
        verbose_name_plural = _("consent changes")

    def __str__(self) -> str:
        return f"{self.participant_id} {self.topic}: {self.old_value} → {self.new_value}"


class DeletionRequest(models.Model):
    """A participant's request to delete their data: granted (anonymized, aggregates kept) or refused with a
    reason, by an organizer."""

    participant = models.ForeignKey(
        "registration.Participant", verbose_name=_("participant"), on_delete=models.CASCADE,
        related_name="deletion_requests",
    )
    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="deletion_requests"
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeletionStatus.choices, default=DeletionStatus.PENDING
    )
    reason = models.TextField(_("reason for refusal"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Where the answer goes: copied at the request, since a granted deletion removes the participant's address;
    # emptied once the answer is sent.
    notify_email = models.EmailField(_("answer to"), blank=True)
    notify_language = models.CharField(_("language"), max_length=2, blank=True)
    notified_at = models.DateTimeField(_("answer sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")
        constraints = [
            models.UniqueConstraint(
                fields=["participant"], condition=models.Q(status="pending"), name="deletion_request_one_pending"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(reason=""), name="deletion_refusal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.status}"
