"""Logistics' personal fields in the privacy registry (see ``privacy/registry.py``): the passport data, the travel
and hotel wishes and the visa letter; and the one permission that shows passport data."""

from __future__ import annotations

from privacy.enums import RetentionKind as K
from privacy.registry import register, register_sensitive_permission
from privacy.sensitive import PASSPORT

from .models import TravelDocument, TravelPlan, VisaLetter
from .permissions import PASSPORT_PERMISSION

register(
    TravelDocument,
    conference="participant__conference",
    participant="participant",
    delete=K.SENSITIVE,
    purge={K.SENSITIVE: ["participant", "passport_number", "passport_expiry", "issuing_country", "date_of_birth",
                         "purged_at", "updated_at"]},
)

register(
    TravelPlan,
    conference="participant__conference",
    participant="participant",
    delete=K.TRAVEL_HOTEL,
    purge={K.TRAVEL_HOTEL: [
        "participant", "arrival_date", "arrival_time", "arrival_flight", "arrival_airport", "departure_date",
        "departure_time", "departure_flight", "departure_airport", "transfer_needed", "hotel_needed", "room_sharing",
        "hotel_name", "updated_at",
    ]},
)

register(
    VisaLetter,
    conference="participant__conference",
    participant="participant",
    purge={
        K.SENSITIVE: ["file"],  # the letter prints the passport number
        K.REST: {"last_error": None},
    },
    keep={
        "participant": "the row belongs to the participant's (purged) record",
        ("requested", "issued_at", "reference", "sent_at", "failed_at"):
            "the letters' register answers an embassy's check; no passport data",
    },
)

register_sensitive_permission(PASSPORT, PASSPORT_PERMISSION)

from . import privacy_stay, privacy_travel  # noqa: E402,F401 - the stay, allowances and travel declare theirs beside
