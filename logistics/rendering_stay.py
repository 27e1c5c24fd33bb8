"""A hotel's rooming list as XLSX, CSV and PDF bytes: pure renderers over the lines of
``selectors_stay.rooming_list`` (no query), in the hotel's language, the PDF right to left in Arabic.

Each line carries only what the hotel needs: its state since the last list sent (and which fields changed),
the guest and roommate, the room type, check-in, check-out and nights, the notes."""

from __future__ import annotations

import csv
import datetime
import io

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import pgettext

from conference.languages import direction
from conference.models import localized
from conference.pdf import render_pdf
from registration.exports import neutralize

from .models.stay import RoomType


def _state_label(state: str) -> str:
    return {
        "new": pgettext("rooming list line", "New"),
        "amended": pgettext("rooming list line", "Amended"),
        "cancelled": pgettext("rooming list line", "Cancelled"),
        "unchanged": pgettext("rooming list line", "Unchanged"),
    }[state]


def _field_label(name: str) -> str:
    return {
        "guest": pgettext("rooming list", "Guest"), "roommate": pgettext("rooming list", "Roommate"),
        "room_type": pgettext("rooming list", "Room type"), "check_in": pgettext("rooming list", "Check-in date"),
        "check_out": pgettext("rooming list", "Check-out date"), "nights": pgettext("rooming list", "Nights"),
        "notes": pgettext("rooming list", "Notes"),
    }[name]


def _headers() -> list[str]:
    return [pgettext("rooming list", "State"), pgettext("rooming list", "Changed")] + [
        _field_label(name) for name in ("guest", "roommate", "room_type", "check_in", "check_out", "nights", "notes")]


def _rows(lines) -> list[list]:
    rows = []
    for line in lines:
        values = line.values
        rows.append([
            _state_label(line.state),
            ", ".join(_field_label(name) for name in line.changed),
            values["guest"], values["roommate"], str(RoomType(values["room_type"]).label),
            values["check_in"], values["check_out"], values["nights"], values["notes"],
        ])
    return rows


def render_rooming_list_csv(hotel, lines) -> bytes:
    with translation.override(hotel.language):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(_headers())
        for row in _rows(lines):
            writer.writerow([neutralize(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_rooming_list_xlsx(hotel, lines, *, when: datetime.datetime) -> bytes:
    from openpyxl import Workbook

    with translation.override(hotel.language):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = pgettext("rooming list", "Rooming list")[:31]
        sheet.sheet_view.rightToLeft = direction(hotel.language) == "rtl"
        sheet.append([hotel.name, timezone.localtime(when, hotel.conference.tz).strftime("%Y-%m-%d %H:%M")])
        sheet.append(_headers())
        for row in _rows(lines):
            sheet.append([neutralize(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()


def render_rooming_list_pdf(hotel, lines, *, when: datetime.datetime) -> bytes:
    language = hotel.language
    conference = hotel.conference
    with translation.override(language):
        html = render_to_string("logistics/pdf/rooming_list.html", {
            "language": language,
            "direction": direction(language),
            "hotel": hotel,
            "conference_name": localized(conference, "name", language),
            "when": timezone.localtime(when, conference.tz),
            "zone": conference.time_zone_label,
            "headers": _headers(),
            "rows": [{"state": line.state, "cells": row} for line, row in zip(lines, _rows(lines), strict=True)],
        })
    return render_pdf(html)
