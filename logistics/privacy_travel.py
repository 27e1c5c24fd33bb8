"""The travel logistics' personal fields in the privacy registry (imported by ``logistics/privacy.py``).

Itineraries, their legs and change requests, the transfer seats, the manifest prints (their lines name the
participants) and the stored manifest and driver sheet PDFs go with the travel and hotel data; vehicles name only
the transport company's driver, runs and the settings nobody."""

from __future__ import annotations

from privacy.enums import RetentionKind as K
from privacy.registry import register

from .models import (
    DelegationFunding,
    Itinerary,
    ItineraryChangeRequest,
    ItineraryLeg,
    ManifestPrint,
    TransferRun,
    TransferSeat,
    TravelPdf,
    TravelSettings,
    Vehicle,
)

register(
    Itinerary,
    conference="participant__conference",
    participant="participant",
    delete=K.TRAVEL_HOTEL,
    purge={K.TRAVEL_HOTEL: ["participant", "funding", "booked_by", "ticket_status", "visa_status", "updated_at"]},
)
register(
    ItineraryLeg,
    conference="itinerary__participant__conference",
    participant="itinerary__participant",
    delete=K.TRAVEL_HOTEL,
    purge={K.TRAVEL_HOTEL: ["itinerary", "direction", "carrier", "flight_number", "from_airport", "to_airport",
                            "departs_at", "arrives_at", "booking_reference"]},
)
register(
    ItineraryChangeRequest,
    conference="itinerary__participant__conference",
    participant="itinerary__participant",
    delete=K.TRAVEL_HOTEL,
    purge={K.TRAVEL_HOTEL: ["itinerary", "legs", "note", "status", "requested_by", "requested_at", "decided_by",
                            "decided_at"]},
)
register(
    TransferSeat,
    conference="run__conference",
    participant="participant",
    delete=K.TRAVEL_HOTEL,
    purge={K.TRAVEL_HOTEL: ["run", "participant", "direction", "flight", "lands_at", "state", "marked_at",
                            "marked_by"]},
)
register(
    ManifestPrint,
    conference="conference",
    delete=K.TRAVEL_HOTEL,
    purge={K.TRAVEL_HOTEL: ["conference", "kind", "printed_at", "printed_by", "snapshot"]},
)
register(
    TravelPdf,
    conference="conference",
    delete=K.TRAVEL_HOTEL,
    purge={K.TRAVEL_HOTEL: ["conference", "kind", "run", "language", "fingerprint", "status", "file", "error",
                            "requested_by", "created_at", "rendered_at"]},
)
register(TransferRun, conference="conference", keep={
    ("conference", "direction", "airport", "hotel", "pickup_at", "vehicle", "status"): "a trip, no person"})
register(Vehicle, conference="conference", keep={
    ("conference", "name", "capacity", "plate"): "a vehicle, no person",
    ("driver_name", "driver_phone"): "the transport company's driver, given by the company for the event",
})
register(DelegationFunding, conference="delegation__conference", keep={
    ("delegation", "funding", "updated_at"): "who pays for a delegation, no person"})
register(TravelSettings, conference="conference", keep={
    ("conference", "locked_at", "transfer_window_minutes"): "a setting, no person"})
