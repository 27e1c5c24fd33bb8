"""Writes for the core records: every write goes through a function here."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditLog, Conference


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
