"""Participant lists for organizers: CSV (UTF-8 with BOM, for Excel) and XLSX.

Spreadsheet formula injection: any text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with an apostrophe so that Excel/LibreOffice show it as text and never run
it. The query count does not depend on the number of rows.

Columns of sensitive data (``ExportColumns.sensitive``: passport data) show their values only to an exporting user
who holds that class's permission, a mask to everyone else; each export by a user writes the read log for the
kinds of data its added columns hold (``ExportColumns.kind``), through ``privacy.services.reads.record_read``.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from conference.honorifics import printed_honorific
from privacy.enums import ReadWhere
from privacy.sensitive import mask, may_see
from privacy.services.reads import record_read

from .models import Participant

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralize(value):
    """A cell value that a spreadsheet will not evaluate as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


@dataclass(frozen=True)
class ExportColumns:
    """Columns another app adds to the participant lists (logistics: arrival, departure, transfer, hotel, visa
    letter): ``related`` are the one-to-one relations to select with each participant (no query per row), and
    ``columns()`` gives (title, getter) pairs, read in the exporting user's language."""

    related: tuple[str, ...]
    columns: Callable[[], list[tuple[Any, Callable]]]
    #: A ``privacy.sensitive`` class (``"passport"``): the values are masked unless the exporting user may see it.
    sensitive: str | None = None
    #: The ``privacy.enums.RetentionKind`` these columns hold, and what, for the read log of each export.
    kind: str | None = None
    what: str = ""
    #: A permission of its own (``"registration.view_sensitive_answer"``): masked unless the user holds it.
    permission: str | None = None
    #: Relations to prefetch with the participants (many rows each: the answers to the registration questions).
    prefetch: tuple[str, ...] = ()


_ADDED: list[ExportColumns] = []


def add_export_columns(added: ExportColumns) -> ExportColumns:
    """The extension point of the participant exports (CSV and XLSX): columns before "Checked in"."""
    if added not in _ADDED:
        _ADDED.append(added)
    return added


def _masked(getter: Callable) -> Callable:
    return lambda participant: mask(getter(participant), allowed=False)


def _holds(user, permission: str) -> bool:
    return bool(user is not None and user.is_active and user.is_staff and user.has_perm(permission))


def _added_columns(user) -> list[tuple[Any, Callable]]:
    columns = []
    for added in _ADDED:
        hidden = (added.sensitive is not None and not may_see(user, added.sensitive)) or (
            added.permission is not None and not _holds(user, added.permission))
        columns += [(title, _masked(getter) if hidden else getter) for title, getter in added.columns()]
    return columns


def _columns(user=None):
    return [
        (_("ID"), lambda p: p.public_id),
        # As badges and letters print it: the organizers' list, in the export's language and the person's gender.
        (_("Title"), lambda p: printed_honorific(p.conference_id, p.title, p.gender, get_language() or "en")),
        (_("Given names"), lambda p: p.first_name),
        (_("Surname"), lambda p: p.last_name),
        (_("Name on badge"), lambda p: p.badge_name),
        (_("Name on badge (Arabic)"), lambda p: p.badge_name_ar),
        (_("Delegation code"), lambda p: p.delegation.code if p.delegation else ""),
        (_("Delegation"), lambda p: p.delegation.display_name() if p.delegation else ""),
        (_("Category"), lambda p: p.get_category_display()),
        (_("Status"), lambda p: p.get_status_display()),
        (_("E-mail"), lambda p: p.email),
        (_("Phone"), lambda p: p.phone),
        (_("Gender"), lambda p: p.get_gender_display()),
        (_("Nationality"), lambda p: p.nationality.code if p.nationality else ""),
        (_("Position"), lambda p: p.position),
        (_("Organization"), lambda p: p.organization),
        (_("Preferred language"), lambda p: p.preferred_language),
        (_("Dietary needs"), lambda p: p.dietary_needs),
        (_("Accessibility needs"), lambda p: p.accessibility_needs),
        *_added_columns(user),
        (_("Checked in"), lambda p: p.checked_in_at),
    ]


def export_queryset(queryset: QuerySet[Participant]) -> QuerySet[Participant]:
    related = [name for added in _ADDED for name in added.related]
    prefetch = [name for added in _ADDED for name in added.prefetch]
    return queryset.select_related("delegation", "conference", *related).prefetch_related(*prefetch).order_by(
        "delegation__code", "last_name", "id")


def export_reads_record(queryset: QuerySet[Participant], *, reader) -> int:
    """Write the read log of an export by ``reader``: one entry per participant for each kind of data the added
    columns hold (masked columns are not read). Returns the number of entries."""
    written = 0
    for added in _ADDED:
        if added.kind is None or (added.sensitive is not None and not may_see(reader, added.sensitive)) or (
                added.permission is not None and not _holds(reader, added.permission)):
            continue
        if not added.columns():  # nothing of this kind is exported (a conference without sensitive questions)
            continue
        written += record_read(queryset, reader=reader, kind=added.kind, what=added.what, where=ReadWhere.EXPORT)
    return written


def participant_rows(queryset: QuerySet[Participant], *, user=None):
    """Header then one neutralised row per participant (streams through the queryset in chunks); sensitive
    columns masked unless ``user`` may see them."""
    columns = _columns(user)
    yield [str(title) for title, _getter in columns]
    for participant in export_queryset(queryset).iterator(chunk_size=500):
        yield [neutralize(getter(participant)) for _title, getter in columns]


def participants_csv(queryset: QuerySet[Participant], *, user=None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in participant_rows(queryset, user=user):
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def participants_xlsx(queryset: QuerySet[Participant], *, user=None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Participants"))[:31])
    for row in participant_rows(queryset, user=user):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
