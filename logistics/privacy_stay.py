"""The stay's and the allowances' personal fields in the privacy registry (imported by ``logistics/privacy.py``).

Room bookings, roommate requests and the rooming lists sent (their lines and files name the guests) go with the
travel and hotel data; allowance lines are accounting records and stay for the auditors; hotels, blocks, rates
and rules name nobody but a hotel's business contact."""

from __future__ import annotations

from privacy.enums import RetentionKind as K
from privacy.registry import register

from .models import (
    Allowance,
    BankDetails,
    DsaRate,
    Hotel,
    RoomBlock,
    RoomBooking,
    RoomingListSend,
    RoommateRequest,
    StayRules,
)

register(
    RoomBooking,
    conference="hotel__conference",
    participant=("guest", "roommate"),
    delete=K.TRAVEL_HOTEL,
    purge={K.TRAVEL_HOTEL: ["hotel", "room_type", "guest", "roommate", "check_in", "check_out", "dates_edited",
                            "notes", "created_at", "updated_at"]},
)

register(
    RoommateRequest,
    conference="participant__conference",
    participant="participant",
    delete=K.TRAVEL_HOTEL,
    purge={K.TRAVEL_HOTEL: ["participant", "requested"]},
)

register(
    RoomingListSend,
    conference="hotel__conference",
    delete=K.TRAVEL_HOTEL,
    purge={K.TRAVEL_HOTEL: ["hotel", "created_at", "actor", "trigger", "recipient", "lines", "counts", "xlsx", "csv",
                            "pdf", "sent_at", "failed_at", "last_error"]},
)

register(
    Allowance,
    conference="participant__conference",
    participant="participant",
    keep={
        ("participant", "nights", "journeys", "lodging_provided", "meals_provided", "currency", "dsa_amount",
         "terminal_amount", "total", "computed_at", "paid_at", "paid_by"):
            "payments to participants are accounting records the auditors check; no bank details",
    },
)

register(Hotel, conference="conference", keep={
    ("conference", "name", "address", "language", "send_on_schedule"): "the hotel, no person",
    ("contact_name", "contact_email", "contact_phone"): "the hotel's business contact, given by the hotel",
})
register(RoomBlock, conference="hotel__conference", keep={
    ("hotel", "room_type", "night", "quota"): "rooms held by a hotel, no person"})
register(StayRules, conference="conference", keep={("conference", "sharing_rule"): "a rule, no person"})
register(DsaRate, conference="conference", keep={
    ("conference", "duty_station", "amount", "currency", "valid_from", "terminal_expenses", "lodging_share",
     "meals_share"): "a rate, no person"})

register(
    BankDetails,
    conference="participant__conference",
    participant="participant",
    delete=K.SENSITIVE,
    purge={K.SENSITIVE: ["participant", "account_holder", "bank_name", "iban", "swift_bic", "updated_at"]},
)
