import datetime

import pytest
from django.core.files.base import ContentFile

from logistics.models import TravelDocument, TravelPlan, VisaLetter
from tests.factories import DelegationFactory, ParticipantFactory

__all__ = ["TravelDocument", "TravelPlan", "VisaLetter"]


@pytest.fixture
def traveller(conference):
    """An approved participant with passport data, a photo, a visa letter (files on disk), travel and a phone."""
    delegation = DelegationFactory(conference=conference, code="EGY")
    participant = ParticipantFactory(
        conference=conference, delegation=delegation, gender="female", category="delegate", phone="+20 100 000",
        dietary_needs="Vegetarian ",
    )
    participant.photo.save("photo.jpg", ContentFile(b"\xff\xd8 a photo"), save=False)
    participant.save()
    TravelPlan.objects.create(participant=participant, arrival_date=datetime.date(2023, 7, 9),
                              arrival_flight="MS 123", hotel_needed=True, hotel_name="Nile")
    letter = VisaLetter(participant=participant, requested=True, reference="V-1")
    letter.file.save("letter.pdf", ContentFile(b"%PDF-1.4 a letter"), save=False)
    letter.save()
    TravelDocument.objects.create(participant=participant, passport_number="A1234567", issuing_country="EG",
                                  passport_expiry=datetime.date(2030, 1, 1))
    return participant
