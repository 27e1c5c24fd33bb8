"""Participant lists for organizers: CSV (UTF-8 with BOM, for Excel) and XLSX.

Spreadsheet formula injection: any text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with an apostrophe so that Excel/LibreOffice show it as text and never run
it. Passport data is never exported. The query count does not depend on the number of rows.
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
from django.utils.translation import gettext as _

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


_ADDED: list[ExportColumns] = []


def add_export_columns(added: ExportColumns) -> ExportColumns:
    """The extension point of the participant exports (CSV and XLSX): columns before "Checked in"."""
    if added not in _ADDED:
        _ADDED.append(added)
    return added


def _columns():
    return [
        (_("ID"), lambda p: p.public_id),
        (_("Title"), lambda p: p.get_title_display()),
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
        *[column for added in _ADDED for column in added.columns()],
        (_("Checked in"), lambda p: p.checked_in_at),
    ]


def export_queryset(queryset: QuerySet[Participant]) -> QuerySet[Participant]:
    related = [name for added in _ADDED for name in added.related]
    return queryset.select_related("delegation", "conference", *related).order_by(
        "delegation__code", "last_name", "id")


def participant_rows(queryset: QuerySet[Participant]):
    """Header then one neutralised row per participant (streams through the queryset in chunks)."""
    columns = _columns()
    yield [str(title) for title, _getter in columns]
    for participant in export_queryset(queryset).iterator(chunk_size=500):
        yield [neutralize(getter(participant)) for _title, getter in columns]


def participants_csv(queryset: QuerySet[Participant]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in participant_rows(queryset):
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def participants_xlsx(queryset: QuerySet[Participant]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Participants"))[:31])
    for row in participant_rows(queryset):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
