"""Writes for the core records: every write goes through a function here."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction

from .honorifics import DEFAULT_HONORIFICS, honorifics_cache_key
from .models import AuditLog, Conference, Honorific


class AccordError(Exception):
    """The one domain error type: views turn it into a form error or a message."""


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    conference: Conference | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditLog:
    """Append an entry to the audit log (who, when, what changed)."""
    entry = AuditLog(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        conference=conference,
        changes=changes or {},
    )
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target)
        entry.object_id = str(target.pk)
        entry.object_repr = str(target)[:300]
    entry.save()
    return entry


def field_changes(before: dict[str, Any] | None, instance: models.Model, fields) -> dict[str, list]:
    """``{field: [old, new]}`` for the ``fields`` of ``instance`` that differ from ``before`` (values read before
    the write), as an audit entry records them; dates and times as ISO text, files by name."""

    def shown(value):
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if hasattr(value, "name") and hasattr(value, "storage"):  # a file
            return value.name or ""
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return sorted(value)  # a set of codes (languages, categories): the order is no change
        if isinstance(value, (str, int, float, bool, list, dict)) or value is None:
            return value
        return str(value)

    after = {name: shown(getattr(instance, name)) for name in fields}
    if before is None:
        return {}
    before = {name: shown(value) for name, value in before.items()}
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


# --- Conferences (the admin's conference form and its partner and e-mail text inlines) ----------------------

#: What a conference's audit entry compares (every edited field; not the record's timestamps).
CONFERENCE_AUDITED_FIELDS = (
    "slug", "short_name", "name", "name_fr", "name_ar", "start_date", "end_date", "time_zone", "venue", "venue_fr",
    "venue_ar", "city", "city_fr", "city_ar", "country", "languages", "description", "description_fr",
    "description_ar", "registration_opens_at", "registration_closes_at", "registration_locked",
    "focal_points_may_approve", "contact_email", "badge_format", "visa_signatory_name", "visa_signatory_name_fr",
    "visa_signatory_name_ar", "visa_signatory_title", "visa_signatory_title_fr", "visa_signatory_title_ar",
)


def conference_save(conference: Conference, *, actor) -> Conference:
    """Create or change a conference: the model's checks (dates, registration window, languages) refuse bad data
    with ``AccordError`` and nothing saved; audit entry ``conference.created`` / ``conference.changed`` with what
    changed (old and new). The cached current conference is dropped on save (``conference.receivers``)."""
    with transaction.atomic():
        before = None
        if conference.pk:
            before = (
                Conference.objects.select_for_update().filter(pk=conference.pk).order_by()
                .values(*CONFERENCE_AUDITED_FIELDS).first()
            )
        try:
            conference.full_clean()
        except ValidationError as error:
            raise AccordError(" ".join(error.messages)) from error
        conference.save()
        changes = field_changes(before, conference, CONFERENCE_AUDITED_FIELDS) if before else {"slug": conference.slug}
        if changes:  # a save that changed nothing is no write to record
            audit_record(
                actor=actor, action="conference.changed" if before else "conference.created", target=conference,
                conference=conference, changes=changes,
            )
    return conference


def conference_delete(conference: Conference, *, actor) -> None:
    """Delete a conference with everything it holds (the admin lists it all before asking). The audit entry
    ``conference.deleted`` keeps no link to the conference (its entries go with it) but names it."""
    with transaction.atomic():
        audit_record(
            actor=actor, action="conference.deleted", target=conference, conference=None,
            changes={"slug": conference.slug, "name": conference.name},
        )
        conference.delete()


def conference_records_save(
    conference: Conference, *, actor, saved: list[models.Model], deleted: list[models.Model]
) -> None:
    """Save and delete a conference's own records edited with it (partners, e-mail texts): each checked by its
    model (``AccordError``, nothing saved), each with its audit entry ``<model>.created`` / ``.changed`` /
    ``.deleted``."""
    with transaction.atomic():
        for record in deleted:
            if record.pk is None:
                continue
            audit_record(actor=actor, action=f"{record._meta.model_name}.deleted", target=record,
                         conference=conference, changes={"record": str(record)[:200]})
            record.delete()
        for record in saved:
            fields = [field.attname for field in record._meta.concrete_fields if not field.primary_key]
            before = type(record).objects.filter(pk=record.pk).values(*fields).first() if record.pk else None
            try:
                record.full_clean()
            except ValidationError as error:
                raise AccordError(" ".join(error.messages)) from error
            record.save()
            changes = field_changes(before, record, fields) if before else {"record": str(record)[:200]}
            if changes:
                audit_record(
                    actor=actor, action=f"{record._meta.model_name}.{'changed' if before else 'created'}",
                    target=record, conference=conference, changes=changes,
                )


# --- Titles (honorifics) ---------------------------------------------------------------------------------------

HONORIFIC_FIELDS = ["code", "en", "en_male", "en_female", "fr", "fr_male", "fr_female", "ar", "ar_male", "ar_female"]


def _drop_honorifics_cache(conference_id: int) -> None:
    key = honorifics_cache_key(conference_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def honorific_save(honorific: Honorific, *, actor) -> Honorific:
    """Create or change one title of a conference's list; audited (old and new forms), the cached table dropped.

    Raises :class:`AccordError` (nothing saved) when a field is invalid or the code already has a row.
    """
    with transaction.atomic():
        before = {}
        if honorific.pk:
            old = Honorific.objects.select_for_update().filter(pk=honorific.pk).first()
            if old is not None:
                before = {name: getattr(old, name) for name in HONORIFIC_FIELDS}
        try:
            honorific.full_clean()
        except ValidationError as error:
            raise AccordError(" ".join(error.messages)) from error
        created = not before
        honorific.save()
        after = {name: getattr(honorific, name) for name in HONORIFIC_FIELDS}
        changes = {name: [before.get(name, ""), value] for name, value in after.items() if before.get(name, "") != value}
        audit_record(
            actor=actor, action="honorific.create" if created else "honorific.update", target=honorific,
            conference=honorific.conference, changes=changes,
        )
        _drop_honorifics_cache(honorific.conference_id)
    return honorific


def honorific_delete(honorific: Honorific, *, actor) -> None:
    """Remove one title from the list (its code prints the default again); audited."""
    with transaction.atomic():
        audit_record(
            actor=actor, action="honorific.delete", target=honorific, conference=honorific.conference,
            changes={name: getattr(honorific, name) for name in HONORIFIC_FIELDS},
        )
        conference_id = honorific.conference_id
        honorific.delete()
        _drop_honorifics_cache(conference_id)


def honorifics_seed_defaults(conference: Conference, *, actor=None) -> list[Honorific]:
    """Give ``conference`` a row for every default title it has none for, so organizers can edit the list.

    Idempotent: existing rows, edited or not, are kept. Returns the rows created (audited as one entry).
    """
    with transaction.atomic():
        existing = set(Honorific.objects.filter(conference=conference).values_list("code", flat=True))
        rows = [Honorific(conference=conference, code=code, **forms)
                for code, forms in DEFAULT_HONORIFICS.items() if code not in existing]
        if rows:
            Honorific.objects.bulk_create(rows)
            audit_record(actor=actor, action="honorific.seed", target=conference, conference=conference,
                         changes={"codes": [row.code for row in rows]})
            _drop_honorifics_cache(conference.pk)
    return rows
