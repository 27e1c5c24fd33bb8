import datetime

import pytest
from django.core.files.base import ContentFile

from tests.factories import DelegationFactory, ParticipantFactory


def travel_document_model():
    """The passport data's model, wherever it lives (it is moving from registration to logistics)."""
    from django.apps import apps

    for label in ("logistics.TravelDocument", "registration.TravelDocument"):
        try:
            return apps.get_model(label)
        except LookupError:
            continue
    raise LookupError("no TravelDocument model")


TravelDocument = travel_document_model()


@pytest.fixture
def traveller(conference):
    """An approved participant with passport data, a photo, a visa letter (files on disk), travel and a phone."""
    delegation = DelegationFactory(conference=conference, code="EGY")
    participant = ParticipantFactory(
        conference=conference, delegation=delegation, gender="female", category="delegate", phone="+20 100 000",
        arrival_date=datetime.date(2023, 7, 9), arrival_flight="MS 123", hotel_needed=True, hotel_name="Nile",
        dietary_needs="Vegetarian ", needs_visa_letter=True, visa_letter_reference="V-1",
    )
    participant.photo.save("photo.jpg", ContentFile(b"\xff\xd8 a photo"), save=False)
    participant.visa_letter.save("letter.pdf", ContentFile(b"%PDF-1.4 a letter"), save=False)
    participant.save()
    TravelDocument.objects.create(participant=participant, passport_number="A1234567", issuing_country="EG",
                                  passport_expiry=datetime.date(2030, 1, 1))
    return participant
