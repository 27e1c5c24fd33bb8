"""Reads of the privacy app: a participant's read log, the current notice, everything held about a person."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.models import Conference

from . import registry
from .models import DeletionRequest, NoticeAcceptance, PrivacyNotice, ReadLog


def read_log_of(participant) -> QuerySet[ReadLog]:
    """Who read ``participant``'s data, newest first (one query)."""
    return ReadLog.objects.filter(participant=participant).order_by("-read_at", "-id")


def current_notice(conference: Conference | None) -> PrivacyNotice | None:
    """The conference's latest published privacy notice (None before one is published)."""
    if conference is None:
        return None
    return (
        PrivacyNotice.objects.filter(conference=conference, published_at__isnull=False)
        .order_by("-version").first()
    )


def accepted_notice(participant) -> NoticeAcceptance | None:
    return (
        NoticeAcceptance.objects.select_related("notice").filter(participant=participant)
        .order_by("-notice__version", "-accepted_at").first()
    )


def notice_needs_acceptance(participant) -> bool:
    """True when a notice is published and the participant has not accepted its current version."""
    notice = current_notice(participant.conference)
    if notice is None:
        return False
    return not NoticeAcceptance.objects.filter(participant=participant, notice=notice).exists()


def pending_deletion_request(participant) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(participant=participant, status="pending").first()


def _value(row: models.Model, model_field: models.Field):
    if model_field.many_to_many:
        return [str(item) for item in getattr(row, model_field.name).all()]
    if model_field.is_relation:
        related = getattr(row, model_field.name)
        return str(related) if related is not None else None
    value = model_field.value_from_object(row)
    if isinstance(model_field, models.FileField):
        return value.name.rsplit("/", 1)[-1] if value else ""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if hasattr(value, "code"):  # a country
        return value.code or ""
    return value


_LATIN_FIELDS = (models.EmailField, models.DateField, models.TimeField, models.DateTimeField, models.IntegerField,
                 models.DecimalField, models.FloatField, models.URLField)


def _display(row: models.Model, model_field: models.Field, value, tz):
    """What the readable page shows: a choice's label, yes or no, a time in the conference's zone."""
    if value is None or value == "":
        return ""
    if model_field.choices and not model_field.is_relation:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(model_field, models.DateTimeField):
        return timezone.localtime(model_field.value_from_object(row), tz).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    return value


def _left_to_right(model_field: models.Field) -> bool:
    """Values read left to right in an Arabic page too (addresses, numbers, dates, codes)."""
    return isinstance(model_field, _LATIN_FIELDS) or any(
        part in model_field.name for part in ("phone", "flight", "airport", "number", "public_id", "email")
    )


def personal_data(participant) -> list[dict]:
    """Everything the registry knows to be about ``participant``: for each model with rows of theirs, its name
    and each row's fields (label, value), secrets left out. Only rows of the participant's own conference."""
    sections = []
    tz = participant.conference.tz
    for rule in sorted(registry.rules(), key=lambda r: r.label):
        if rule.participant is None:
            continue
        queryset = rule.model._default_manager.filter(rule.participant_filter(participant.pk))
        if rule.conference:
            queryset = queryset.filter(**{rule.conference: participant.conference_id})
        fields = [f for f in registry.declared_fields(rule.model) if f.name not in rule.hidden]
        # One query per model whatever the number of rows: the related rows shown by name come with them.
        related = [f.name for f in fields if f.is_relation and f.concrete and not f.many_to_many]
        many = [f.name for f in fields if f.many_to_many]
        rows = []
        for row in queryset.select_related(*related).prefetch_related(*many).order_by("pk"):
            items = []
            for f in fields:
                value = _value(row, f)
                items.append({
                    "field": f.name, "label": str(f.verbose_name), "value": value,
                    "display": _display(row, f, value, tz), "ltr": _left_to_right(f),
                })
            rows.append(items)
        if rows:
            sections.append({
                "model": rule.label, "label": str(rule.model._meta.verbose_name_plural), "rows": rows,
            })
    return sections
