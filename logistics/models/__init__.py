"""logistics' models, one module per part: ``travel`` (passport data, travel plan, visa letter); the travel
logistics and the stay (itineraries, transfers, hotels, allowances) add theirs beside it, imported here."""

from .travel import TravelDocument, TravelPlan, VisaLetter, visa_letter_path

__all__ = ["TravelDocument", "TravelPlan", "VisaLetter", "visa_letter_path"]
