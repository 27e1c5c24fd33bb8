"""logistics' models, one module per part: ``travel`` (passport data, travel plan, visa letter); the travel
logistics and the stay (itineraries, transfers, hotels, allowances) add theirs beside it, imported here."""

from .allowances import BANK_FIELDS, Allowance, BankDetails, DsaRate
from .itinerary import (
    DelegationFunding,
    Itinerary,
    ItineraryChangeRequest,
    ItineraryLeg,
    ManifestPrint,
    TravelSettings,
)
from .stay import Hotel, RoomBlock, RoomBooking, RoomingListSend, RoommateRequest, StayRules
from .transfers import TransferRun, TransferSeat, Vehicle
from .travel import TravelDocument, TravelPlan, VisaLetter, visa_letter_path
from .travel_pdfs import TravelPdf

__all__ = [
    "BANK_FIELDS", "Allowance", "BankDetails", "DsaRate", "Hotel", "RoomBlock", "RoomBooking", "RoomingListSend", "RoommateRequest",
    "StayRules",
    "DelegationFunding", "Itinerary", "ItineraryChangeRequest", "ItineraryLeg", "ManifestPrint", "TravelSettings",
    "TransferRun", "TransferSeat", "Vehicle", "TravelPdf",
    "TravelDocument", "TravelPlan", "VisaLetter", "visa_letter_path"]
