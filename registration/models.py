"""People and their paperwork: participants, passports, invitations and the notices owed to them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from conference.enums import LanguageCode
from conference.models import Conference, Delegation, localized
from conference.validators import validate_single_line

from .enums import (
    Gender,
    InvitationStatus,
    ParticipantCategory,
    ParticipantStatus,
    RequestKind,
    Title,
)


def photo_path(instance: Participant, filename: str) -> str:
    return f"photos/{instance.conference_id}/{instance.public_id}.jpg"


def visa_letter_path(instance, filename: str) -> str:
    """Named by registration's first migrations (the letter's file was a participant field until it moved to
    ``logistics.VisaLetter``); historical migrations import it, nothing else does."""
    return f"visa-letters/{instance.conference_id}/{instance.public_id}.pdf"


class Participant(models.Model):
    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="participants"
    )
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("delegation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
    )
    # An unguessable identifier for URLs and file names; never the database id.
    public_id = models.CharField(_("public identifier"), max_length=32, unique=True, editable=False)
    category = models.CharField(
        _("category"), max_length=20, choices=ParticipantCategory.choices, default=ParticipantCategory.DELEGATE
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ParticipantStatus.choices, default=ParticipantStatus.INVITED
    )
    status_reason = models.TextField(_("reason for the decision"), blank=True)
    request_message = models.TextField(_("message with the request to attend"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=RequestKind.choices, default=RequestKind.ORGANIZER)

    # Identity
    title = models.CharField(_("title"), max_length=20, choices=Title.choices, blank=True)
    first_name = models.CharField(_("given names (as in passport)"), max_length=150, blank=True, validators=[validate_single_line])
    last_name = models.CharField(_("surname (as in passport)"), max_length=150, blank=True, validators=[validate_single_line])
    badge_name = models.CharField(_("name on badge (Latin script)"), max_length=150, blank=True, validators=[validate_single_line])
    badge_name_ar = models.CharField(_("name on badge (Arabic script)"), max_length=150, blank=True, validators=[validate_single_line])
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True, validators=[validate_single_line])
    organization = models.CharField(_("organization"), max_length=200, blank=True, validators=[validate_single_line])
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=LanguageCode.choices, default=LanguageCode.ENGLISH
    )
    languages_spoken = models.JSONField(_("languages spoken"), default=list, blank=True)
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=300, blank=True)

    # Consents
    consent_privacy_at = models.DateTimeField(_("privacy notice accepted"), null=True, blank=True)
    consent_directory = models.BooleanField(_("listed in the participants' directory"), default=False)
    consent_photos = models.BooleanField(_("agrees to be photographed"), default=False)

    # Workflow
    form_step = models.PositiveSmallIntegerField(_("registration step reached"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    # A focal point backed this open request where only the organizers may approve (``open_request_endorse``).
    endorsed_at = models.DateTimeField(_("endorsed by the focal point"), null=True, blank=True)
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("endorsing focal point"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked in by"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    #: The names as the search compares them (``registration/search.py``), kept by the participant services on
    #: every write of a name; a trigram index on PostgreSQL (migration 0018).
    search_name = models.CharField(_("names for search"), max_length=600, blank=True, default="", editable=False)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(Lower("email"), "conference", name="participant_unique_email_per_conference"),
        ]
        indexes = [
            models.Index(fields=["conference", "status"]),
            models.Index(fields=["delegation", "status"]),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def printed_name(self) -> str:
        return self.badge_name or self.full_name or self.email

    @property
    def category_label(self) -> str:
        """What ``get_category_display()`` gives, without building a dictionary of every category (each label
        translated to hash it) on each call: the desk's scans and badge batches read it for every participant."""
        try:
            return str(ParticipantCategory(self.category).label)
        except ValueError:
            return str(self.category)


class Invitation(models.Model):
    conference = models.ForeignKey(Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="invitations")
    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("given names"), max_length=150, blank=True, validators=[validate_single_line])
    last_name = models.CharField(_("surname"), max_length=150, blank=True, validators=[validate_single_line])
    category = models.CharField(
        _("category"), max_length=20, choices=ParticipantCategory.choices, default=ParticipantCategory.DELEGATE
    )
    language = models.CharField(
        _("language"), max_length=2, choices=LanguageCode.choices, default=LanguageCode.ENGLISH
    )
    as_focal_point = models.BooleanField(_("invite as focal point"), default=False)
    # sha256 of the token sent by e-mail; the token itself is never stored.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    expires_at = models.DateTimeField(_("expires"))
    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    send_count = models.PositiveIntegerField(_("times sent"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_error = models.TextField(_("last sending error"), blank=True)
    attempts = models.PositiveIntegerField(_("sending attempts"), default=0)
    # Idempotent sending: each request to send bumps ``send_generation`` and queues a task carrying it; the
    # task sends only while ``sent_generation`` is lower and records it in the transaction that sends.
    send_generation = models.PositiveIntegerField(default=0, editable=False)
    sent_generation = models.PositiveIntegerField(default=0, editable=False)
    # The claim of a send: the link's token is an HMAC (SECRET_KEY) of this nonce, drawn once per send generation
    # and committed before the SMTP exchange, so every retry of that send carries the same link (a copy that a
    # stalled server did deliver still works). Emptied once the e-mail is sent.
    token_nonce = models.CharField(_("link nonce"), max_length=64, blank=True, editable=False)
    token_generation = models.PositiveIntegerField(_("send request of the link"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["conference", "status"])]
        constraints = [
            # At most one active invitation per address and conference, also when two organizers race.
            models.UniqueConstraint(
                Lower("email"),
                "conference",
                condition=Q(status__in=["pending", "sent", "failed"]),
                name="invitation_one_active_per_email",
            ),
        ]

    def __str__(self) -> str:
        return self.email


class InvitationSendAttempt(models.Model):
    """One try at e-mailing an invitation, with its outcome: what organizers read when a copy went astray."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("Failed, will be retried")
        FAILED = "failed", _("Failed")

    invitation = models.ForeignKey(
        Invitation, verbose_name=_("invitation"), on_delete=models.CASCADE, related_name="send_attempts"
    )
    generation = models.PositiveIntegerField(_("send request"))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["invitation", "started_at", "id"]
        verbose_name = _("sending attempt")
        verbose_name_plural = _("sending attempts")

    def __str__(self) -> str:
        return f"{self.invitation_id} {self.started_at:%Y-%m-%d %H:%M:%S} {self.outcome}"


class ParticipantNotice(models.Model):
    """One e-mail owed to a participant (a decision): the row is the idempotence marker of its sending task."""

    class Kind(models.TextChoices):
        APPROVED = "approved", _("Approval")
        REJECTED = "rejected", _("Rejection")
        CANCELLED = "cancelled", _("Cancellation")

    participant = models.ForeignKey(Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("sending attempts"), default=0)
    last_error = models.TextField(_("last sending error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("participant notice")
        verbose_name_plural = _("participant notices")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.participant_id}"


# Organizer-defined questions ----------------------------------------------------------------------


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    YES_NO = "yes_no", _("Yes or no")
    ONE_CHOICE = "one_choice", _("One choice")
    SEVERAL_CHOICES = "several_choices", _("Several choices")
    COUNTRY = "country", _("Country")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    FILE = "file", _("File (PDF or image)")


CHOICE_KINDS = (QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES)


class Question(models.Model):
    """A question the organizers add to the registration form, asked on the step they choose (a key of
    ``registration/form_steps.py``), in the nomination form and the open-request form when they say so."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    label = models.CharField(_("question (English)"), max_length=300, validators=[validate_single_line])
    label_fr = models.CharField(_("question (French)"), max_length=300, blank=True, validators=[validate_single_line])
    label_ar = models.CharField(_("question (Arabic)"), max_length=300, blank=True, validators=[validate_single_line])
    help_text = models.CharField(_("help text (English)"), max_length=500, blank=True)
    help_text_fr = models.CharField(_("help text (French)"), max_length=500, blank=True)
    help_text_ar = models.CharField(_("help text (Arabic)"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    step = models.CharField(_("asked on the registration step"), max_length=30, default="needs")
    in_nomination = models.BooleanField(_("asked in the focal point's nomination form"), default=False)
    in_request = models.BooleanField(_("asked in the request to attend"), default=False)
    categories = models.JSONField(
        _("only for these categories"), default=list, blank=True, help_text=_("Empty: every category.")
    )
    delegation_kinds = models.JSONField(
        _("only for these kinds of delegation"), default=list, blank=True, help_text=_("Empty: every kind.")
    )
    depends_on = models.ForeignKey(
        "self", verbose_name=_("shown only when the answer to"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="dependents",
    )
    depends_value = models.CharField(
        _("is"), max_length=100, blank=True,
        help_text=_("For a yes-or-no question: yes or no; for a choice: the choice's English text."),
    )
    min_value = models.DecimalField(_("smallest number"), max_digits=12, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("largest number"), max_digits=12, decimal_places=2, null=True, blank=True)
    min_date = models.DateField(_("earliest date"), null=True, blank=True)
    max_date = models.DateField(_("latest date"), null=True, blank=True)
    sensitive = models.BooleanField(
        _("sensitive"), default=False,
        help_text=_("Sensitive answers are shown only to staff with the permission to see them, and purged first."),
    )
    hidden = models.BooleanField(_("hidden"), default=False, help_text=_("No longer asked; the answers are kept."))

    class Meta:
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")
        ordering = ["conference", "order", "id"]

    def __str__(self) -> str:
        return self.label

    def localized_label(self, language: str | None = None) -> str:
        return localized(self, "label", language)

    def localized_help_text(self, language: str | None = None) -> str:
        return localized(self, "help_text", language)

    def clean(self):
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            raise ValidationError({"max_value": _("The largest number is below the smallest.")})
        if self.min_date and self.max_date and self.min_date > self.max_date:
            raise ValidationError({"max_date": _("The latest date is before the earliest.")})
        if self.depends_on_id and self.depends_on_id == self.pk:
            raise ValidationError({"depends_on": _("A question cannot depend on itself.")})
        if self.depends_on_id and not self.depends_value:
            raise ValidationError({"depends_value": _("Say which answer shows this question.")})


class QuestionChoice(models.Model):
    """One offered answer of a choice question. Answers name the choice by id, so editing its text keeps them
    readable; a choice with answers is hidden, never deleted."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    label = models.CharField(_("choice (English)"), max_length=200, validators=[validate_single_line])
    label_fr = models.CharField(_("choice (French)"), max_length=200, blank=True, validators=[validate_single_line])
    label_ar = models.CharField(_("choice (Arabic)"), max_length=200, blank=True, validators=[validate_single_line])
    order = models.PositiveIntegerField(_("order"), default=0)
    hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "order", "id"]

    def __str__(self) -> str:
        return self.label

    def localized_label(self, language: str | None = None) -> str:
        return localized(self, "label", language)


def answer_file_path(instance, filename: str) -> str:
    import secrets

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"answers/{instance.question.conference_id}/{instance.question_id}/{secrets.token_hex(16)}.{extension}"


class Answer(models.Model):
    """A participant's answer to a question: ``value`` (text, number, ISO date, true/false, a choice id or a
    list of them, a country code) or ``file``. A sensitive question's answer goes to ``sensitive_value`` /
    ``sensitive_file`` instead, which the privacy registry purges with the sensitive data."""

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField(_("answer"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=answer_file_path, blank=True)
    sensitive_value = models.JSONField(_("answer (sensitive)"), null=True, blank=True)
    sensitive_file = models.FileField(_("file (sensitive)"), upload_to=answer_file_path, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["participant", "question"], name="answer_unique_participant_question"),
        ]
        permissions = [("view_sensitive_answer", _("Can see answers to sensitive questions"))]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.question_id}"

    @property
    def data(self):
        return self.sensitive_value if self.question.sensitive else self.value

    @property
    def stored_file(self):
        return self.sensitive_file if self.question.sensitive else self.file
