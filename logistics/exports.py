"""The travel columns of the participant lists (registration's ``add_export_columns``): arrival, departure,
transfer, hotel and whether a visa letter is needed; and the passport columns, masked unless the exporting user
holds the passport permission (the visa officer). Each export is in the read log."""

from __future__ import annotations

from django.utils.translation import gettext as _

from privacy.enums import RetentionKind
from privacy.sensitive import PASSPORT
from registration.exports import ExportColumns, add_export_columns

from .selectors import related_row


def _arrival(participant) -> str:
    plan = related_row(participant, "travel_plan")
    if plan is None:
        return ""
    return " ".join(filter(None, [
        plan.arrival_date.isoformat() if plan.arrival_date else "",
        plan.arrival_time.strftime("%H:%M") if plan.arrival_time else "", plan.arrival_flight, plan.arrival_airport,
    ]))


def _departure(participant) -> str:
    plan = related_row(participant, "travel_plan")
    if plan is None:
        return ""
    return " ".join(filter(None, [
        plan.departure_date.isoformat() if plan.departure_date else "",
        plan.departure_time.strftime("%H:%M") if plan.departure_time else "", plan.departure_flight,
        plan.departure_airport,
    ]))


def _flag(relation: str, field: str):
    def getter(participant) -> bool:
        row = related_row(participant, relation)
        return bool(row is not None and getattr(row, field))
    return getter


def _columns():
    return [
        (_("Arrival"), _arrival),
        (_("Departure"), _departure),
        (_("Transfer needed"), _flag("travel_plan", "transfer_needed")),
        (_("Hotel needed"), _flag("travel_plan", "hotel_needed")),
        (_("Visa letter needed"), _flag("visa_letter", "requested")),
    ]


def _passport(field: str):
    def getter(participant):
        document = related_row(participant, "travel_document")
        value = getattr(document, field) if document is not None else None
        if hasattr(value, "code"):  # the issuing country
            return value.code or ""
        return value
    return getter


def _passport_columns():
    return [
        (_("Passport number"), _passport("passport_number")),
        (_("Passport expiry"), _passport("passport_expiry")),
        (_("Passport issued by"), _passport("issuing_country")),
    ]


TRAVEL_COLUMNS = add_export_columns(ExportColumns(
    related=("travel_plan", "visa_letter"), columns=_columns, kind=RetentionKind.TRAVEL_HOTEL, what="travel",
))
PASSPORT_COLUMNS = add_export_columns(ExportColumns(
    related=("travel_document",), columns=_passport_columns, sensitive=PASSPORT, kind=RetentionKind.SENSITIVE,
    what="travel_document",
))
