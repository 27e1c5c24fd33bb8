"""Core records: the conference, its hosts and partners, delegations, and the audit log."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from .enums import BadgeFormat, DelegationKind, EmailKind, PartnerRole
from .languages import codes as language_codes
from .languages import is_known as is_known_language
from .validators import validate_single_line
from .zones import zone_label


def localized(obj, field: str, language: str | None = None) -> str:
    """The value of ``field`` in ``language`` (``field_fr``, ``field_ar``), falling back to English."""
    language = (language or translation.get_language() or "en")[:2]
    if language != "en":
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return value
    return getattr(obj, field)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


def default_languages() -> list[str]:
    return language_codes()


def default_nominable_categories() -> list[str]:
    """The participant categories a delegation's focal points may nominate in, unless the organizers change it.

    The categories a person may ask to come as (delegate, expert, speaker, media: ``REQUESTABLE_CATEGORIES``
    in ``registration.services.nominations``) plus the head of delegation, whom a government names through its
    focal point. Staff categories (organizer, UNODC staff, security, support, interpreter) are the organizers'.
    The codes are ``registration.enums.ParticipantCategory`` values; ``conference`` imports no other app.
    """
    return ["head", "delegate", "expert", "speaker", "media"]


class Conference(models.Model):
    slug = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (English)"), max_length=300, validators=[validate_single_line])
    name_fr = models.CharField(_("name (French)"), max_length=300, blank=True, validators=[validate_single_line])
    name_ar = models.CharField(_("name (Arabic)"), max_length=300, blank=True, validators=[validate_single_line])
    short_name = models.CharField(_("short name"), max_length=80, validators=[validate_single_line])
    description = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Africa/Cairo", validators=[validate_time_zone]
    )
    venue = models.CharField(_("venue (English)"), max_length=200, blank=True)
    venue_fr = models.CharField(_("venue (French)"), max_length=200, blank=True)
    venue_ar = models.CharField(_("venue (Arabic)"), max_length=200, blank=True)
    city = models.CharField(_("city (English)"), max_length=100, blank=True)
    city_fr = models.CharField(_("city (French)"), max_length=100, blank=True)
    city_ar = models.CharField(_("city (Arabic)"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    languages = models.JSONField(_("working languages"), default=default_languages)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    registration_locked = models.BooleanField(
        _("registration locked"), default=False, help_text=_("Participants can no longer edit their forms.")
    )
    focal_points_may_approve = models.BooleanField(_("focal points may approve"), default=False)
    badge_format = models.CharField(
        _("badge format"), max_length=10, choices=BadgeFormat.choices, default=BadgeFormat.A6
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # Who signs the visa support letters (issue 17 item 9); empty French or Arabic falls back to English.
    visa_signatory_name = models.CharField(_("visa letter signatory (English)"), max_length=200, blank=True,
                                           validators=[validate_single_line])
    visa_signatory_name_fr = models.CharField(_("visa letter signatory (French)"), max_length=200, blank=True,
                                              validators=[validate_single_line])
    visa_signatory_name_ar = models.CharField(_("visa letter signatory (Arabic)"), max_length=200, blank=True,
                                              validators=[validate_single_line])
    visa_signatory_title = models.CharField(_("signatory's title (English)"), max_length=200, blank=True,
                                            validators=[validate_single_line])
    visa_signatory_title_fr = models.CharField(_("signatory's title (French)"), max_length=200, blank=True,
                                               validators=[validate_single_line])
    visa_signatory_title_ar = models.CharField(_("signatory's title (Arabic)"), max_length=200, blank=True,
                                               validators=[validate_single_line])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="conference_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True)
                | Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="conference_registration_window",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day cannot be before the first day.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        bad = [code for code in (self.languages or []) if not is_known_language(code)]
        if bad:
            errors["languages"] = _("Unknown language codes: %(codes)s") % {"codes": ", ".join(bad)}
        if errors:
            raise ValidationError(errors)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def time_zone_label(self) -> str:
        """The zone's name in the active language ("Cairo time", "توقيت القاهرة"), for pages that say which."""
        return zone_label(self.time_zone)

    def localized_name(self, language: str | None = None) -> str:
        return localized(self, "name", language)

    def localized_venue(self, language: str | None = None) -> str:
        return localized(self, "venue", language)

    def localized_city(self, language: str | None = None) -> str:
        return localized(self, "city", language)

    def localized_description(self, language: str | None = None) -> str:
        return localized(self, "description", language)


class Partner(models.Model):
    """A host, funder or partner shown on the home page, badges and letters."""

    conference = models.ForeignKey(Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="partners")
    role = models.CharField(_("role"), max_length=20, choices=PartnerRole.choices)
    name = models.CharField(_("name (English)"), max_length=300, validators=[validate_single_line])
    name_fr = models.CharField(_("name (French)"), max_length=300, blank=True, validators=[validate_single_line])
    name_ar = models.CharField(_("name (Arabic)"), max_length=300, blank=True, validators=[validate_single_line])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["conference", "order", "id"]
        verbose_name = _("host or partner")
        verbose_name_plural = _("hosts and partners")
        constraints = [
            models.UniqueConstraint(fields=["conference", "role", "name"], name="partner_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def localized_name(self, language: str | None = None) -> str:
        return localized(self, "name", language)


def nomination_letter_path(instance: Delegation, filename: str) -> str:
    return f"nomination-letters/{instance.conference_id}/{instance.code}.pdf"


class Delegation(models.Model):
    conference = models.ForeignKey(Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="delegations")
    code = models.SlugField(
        _("code"), max_length=40, help_text=_("Short unique code, for example EGY or UNODC.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DelegationKind.choices)
    country = CountryField(_("country"), blank=True)
    organization = models.CharField(_("organization (English)"), max_length=200, blank=True, validators=[validate_single_line])
    organization_fr = models.CharField(_("organization (French)"), max_length=200, blank=True, validators=[validate_single_line])
    organization_ar = models.CharField(_("organization (Arabic)"), max_length=200, blank=True, validators=[validate_single_line])
    focal_points = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("focal points"),
        related_name="focal_point_of",
        blank=True,
    )
    head = models.ForeignKey(
        "registration.Participant",
        verbose_name=_("head of delegation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    seat_quota = models.PositiveIntegerField(_("seat quota"), default=5)
    category_quotas = models.JSONField(
        _("quota per category"),
        default=dict,
        blank=True,
        help_text=_('Optional limits per category, for example {"delegate": 3}.'),
    )
    nominable_categories = models.JSONField(
        _("categories focal points may nominate"),
        default=default_nominable_categories,
        blank=True,
        help_text=_("The categories in which this delegation's focal points may nominate members."),
    )
    nomination_letter = models.FileField(
        _("nomination letter (note verbale)"),
        upload_to=nomination_letter_path,
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )
    nomination_letter_uploaded_at = models.DateTimeField(_("nomination letter uploaded"), null=True, blank=True)
    notes = models.TextField(_("internal notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["conference", "code"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.UniqueConstraint(fields=["conference", "code"], name="delegation_unique_code"),
            models.CheckConstraint(
                condition=~Q(country="") | ~Q(organization=""),
                name="delegation_country_or_organization",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name()

    def clean(self) -> None:
        if not self.country and not self.organization:
            raise ValidationError(_("Give the delegation a country or an organization name."))

    def display_name(self, language: str | None = None) -> str:
        organization = localized(self, "organization", language)
        if self.country:
            with translation.override(language or translation.get_language()):
                country = str(self.country.name)
            return f"{country} — {organization}" if organization and self.kind != "member_state" else country
        return organization


class AuditLog(models.Model):
    """Who changed what, when: written by services, shown read-only in the admin."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, null=True, blank=True, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=60)
    content_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.CASCADE, null=True, blank=True)
    object_id = models.CharField(_("object identifier"), max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class EmailText(models.Model):
    """The organizers' subject and personal message for one kind of e-mail, in English, French and Arabic.

    Empty French or Arabic fields fall back to English; an empty subject keeps the default one.
    """

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="email_texts"
    )
    kind = models.CharField(_("e-mail"), max_length=30, choices=EmailKind.choices)
    subject = models.CharField(
        _("subject (English)"), max_length=200, blank=True, validators=[validate_single_line],
        help_text=_("Leave empty to keep the default subject."),
    )
    subject_fr = models.CharField(_("subject (French)"), max_length=200, blank=True, validators=[validate_single_line])
    subject_ar = models.CharField(_("subject (Arabic)"), max_length=200, blank=True, validators=[validate_single_line])
    message = models.TextField(
        _("message (English)"), blank=True,
        help_text=_("A personal message from the organizers, shown at the top of the e-mail."),
    )
    message_fr = models.TextField(_("message (French)"), blank=True)
    message_ar = models.TextField(_("message (Arabic)"), blank=True)

    class Meta:
        verbose_name = _("e-mail text")
        verbose_name_plural = _("e-mail texts")
        ordering = ["conference", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "kind"], name="email_text_unique_conference_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.conference.short_name}: {self.get_kind_display()}"


class OutgoingEmail(models.Model):
    """An account e-mail (allauth's password reset, address verification, notices) waiting for, or past, its send.

    Rendered in the request, sent by a task after commit; the bodies are emptied once sent (a reset link is a
    credential). The admin shows recipients, subjects and outcomes, never the bodies.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("e-mail status", "Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    template = models.CharField(_("e-mail"), max_length=100)
    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("plain text"), blank=True, editable=False)
    html = models.TextField(_("HTML"), blank=True, editable=False)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(_("sending attempts"), default=0)
    last_error = models.TextField(_("last sending error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("account e-mail")
        verbose_name_plural = _("account e-mails")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.template} → {self.to}"


class Honorific(models.Model):
    """How one title prints before a name, per language and, where the language inflects, per gender.

    ``code`` is a ``registration.enums.Title`` value (``conference`` imports no other app). In each language the
    plain form is printed when the participant's gender is not given or has no form of its own; the men's and
    women's forms, when filled, are printed for men and women ("Juge" / "M. le juge" / "Mme la juge";
    "القاضي" / "القاضية"). Organizers edit the list in the admin; ``conference.honorifics`` reads it.
    """

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="honorifics"
    )
    code = models.CharField(_("title code"), max_length=20, validators=[validate_single_line])
    en = models.CharField(_("English"), max_length=60, validators=[validate_single_line])
    en_male = models.CharField(_("English, men"), max_length=60, blank=True, validators=[validate_single_line])
    en_female = models.CharField(_("English, women"), max_length=60, blank=True, validators=[validate_single_line])
    fr = models.CharField(_("French"), max_length=60, blank=True, validators=[validate_single_line])
    fr_male = models.CharField(_("French, men"), max_length=60, blank=True, validators=[validate_single_line])
    fr_female = models.CharField(_("French, women"), max_length=60, blank=True, validators=[validate_single_line])
    ar = models.CharField(_("Arabic"), max_length=60, blank=True, validators=[validate_single_line])
    ar_male = models.CharField(_("Arabic, men"), max_length=60, blank=True, validators=[validate_single_line])
    ar_female = models.CharField(_("Arabic, women"), max_length=60, blank=True, validators=[validate_single_line])

    class Meta:
        verbose_name = _("title")
        verbose_name_plural = _("titles")
        ordering = ["conference", "code"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "code"], name="honorific_unique_conference_code"),
        ]

    def __str__(self) -> str:
        return self.en

    def form(self, language: str, gender: str = "") -> str:
        """The form printed in ``language`` for ``gender`` ("female", "male", anything else: the plain form);
        an empty French or Arabic form falls back to English."""
        language = (language or "en")[:2]
        language = language if language in {"fr", "ar"} else "en"
        for field in ([f"{language}_{gender}"] if gender in {"female", "male"} else []) + [language]:
            value = getattr(self, field)
            if value:
                return value
        return self.form("en", gender) if language != "en" else self.en
