"""The read log's one writer: the code that fetches a sensitive field, a photo or travel data calls
:func:`record_read` (never a template), whatever the place (admin, desk, export, download)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from ..enums import ReadWhere, RetentionKind
from ..models import ReadLog


def _reader_name(reader) -> str:
    if reader is None or not getattr(reader, "is_authenticated", False):
        return ""
    return (getattr(reader, "email", "") or reader.get_username())[:254]


def record_read(
    participants: models.Model | Iterable[models.Model] | models.QuerySet,
    *,
    reader,
    kind: str,
    what: str,
    where: str,
) -> int:
    """Write one read-log entry per participant: ``reader`` read ``what`` (a field or a document, of kind
    ``kind``) at ``where``. ``participants`` is one participant, several, or a queryset (read in one query).
    Returns the number of entries written."""
    if kind not in RetentionKind.values:
        raise ValueError(f"unknown kind {kind!r}")
    if where not in ReadWhere.values:
        raise ValueError(f"unknown place {where!r}")
    if isinstance(participants, models.QuerySet):
        pairs = list(participants.order_by().values_list("pk", "conference_id"))
    elif isinstance(participants, models.Model):
        pairs = [(participants.pk, participants.conference_id)]
    else:
        pairs = [(p.pk, p.conference_id) for p in participants]
    reader_id = reader.pk if getattr(reader, "is_authenticated", False) else None
    name = _reader_name(reader)
    entries = [
        ReadLog(participant_id=pk, conference_id=conference_id, reader_id=reader_id, reader_name=name, kind=kind,
                what=what[:100], where=where)
        for pk, conference_id in pairs
    ]
    ReadLog.objects.bulk_create(entries, batch_size=500)
    return len(entries)
