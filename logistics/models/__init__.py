"""logistics' models, one module per part: ``travel`` (passport data, travel plan, visa letter); the travel
logistics and the stay (itineraries, transfers, hotels, allowances) add theirs beside it, imported here."""

from .allowances import Allowance, DsaRate
from .stay import Hotel, RoomBlock, RoomBooking, RoomingListSend, RoommateRequest, StayRules
from .travel import TravelDocument, TravelPlan, VisaLetter, visa_letter_path

__all__ = [
    "Allowance", "DsaRate", "Hotel", "RoomBlock", "RoomBooking", "RoomingListSend", "RoommateRequest", "StayRules",
    "TravelDocument", "TravelPlan", "VisaLetter", "visa_letter_path"]
