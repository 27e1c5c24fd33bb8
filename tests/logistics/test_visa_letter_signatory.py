"""The visa letter's date of birth and named signatory (issue 17 item 9): the date asked in the visa step with the
passport data and saved by the service, sensitive (passport class), printed on the letter with the organizers'
signatory and title in the letter's language."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conference.services import conference_save
from logistics.forms import VisaForm
from logistics.models import TravelDocument
from logistics.services import render_visa_letter, visa_request_save
from privacy import registry
from privacy.sensitive import FIELDS, PASSPORT
from tests.factories import StaffFactory
from tests.logistics.test_visa_letters import conference, make_participant, pdf_text  # noqa: F401

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(1979, 4, 23)


def _form(conference, **data):  # noqa: F811
    base = {"needs_visa_letter": "on", "passport_number": "X1234567", "passport_expiry": "2030-05-31",
            "issuing_country": "SN"}
    return VisaForm({**base, **data}, conference=conference, document_on_file=False)


def test_date_of_birth_required_with_the_passport_data(conference):  # noqa: F811
    form = _form(conference)
    assert not form.is_valid() and "date_of_birth" in form.errors
    for bad in ("2023-07-11", "1850-01-01"):
        form = _form(conference, date_of_birth=bad)
        assert not form.is_valid() and "date_of_birth" in form.errors
    form = _form(conference, date_of_birth="23/04/1979")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == BIRTH


def test_service_saves_the_date_of_birth(conference):  # noqa: F811
    participant = make_participant(conference, passport=None, status="invited")
    visa_request_save(participant, actor=None, step=5, needs_visa_letter=True, passport_number="x1234567",
                      passport_expiry=datetime.date(2030, 5, 31), issuing_country="SN", date_of_birth=BIRTH)
    assert TravelDocument.objects.get(participant=participant).date_of_birth == BIRTH


def test_date_of_birth_is_sensitive_and_purged_with_the_passport():
    assert "logistics.TravelDocument.date_of_birth" in FIELDS[PASSPORT]
    rule = next(rule for rule in registry.rules() if rule.model is TravelDocument)
    assert not registry.errors()
    assert rule.delete == "sensitive"


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ["Date of birth", "23 April 1979", "Dr Nadia Farouk", "Director of Protocol"]),
    ("fr", ["23 avril 1979", "Dr Nadia Farouk", "Directrice du protocole"]),
    ("ar", ["نادية فاروق", "مديرة المراسم"]),
])
def test_letter_prints_birth_date_and_signatory(conference, language, expected):  # noqa: F811
    conference.visa_signatory_name = "Dr Nadia Farouk"
    conference.visa_signatory_name_ar = "د. نادية فاروق"
    conference.visa_signatory_title = "Director of Protocol"
    conference.visa_signatory_title_fr = "Directrice du protocole"
    conference.visa_signatory_title_ar = "مديرة المراسم"
    conference_save(conference, actor=None)
    participant = make_participant(conference, language=language)
    TravelDocument.objects.filter(participant=participant).update(date_of_birth=BIRTH)
    participant.refresh_from_db()
    text = pdf_text(render_visa_letter(participant, reference="SHARM2023/VISA/0009", issued_at=timezone.now()))
    for needle in expected:
        assert needle in text, needle
    assert "The organizers\n" not in text  # the signatory's name replaces the anonymous signature


def test_letter_without_signatory_keeps_the_organizers_line(conference):  # noqa: F811
    participant = make_participant(conference)
    text = pdf_text(render_visa_letter(participant, reference="R/2", issued_at=timezone.now()))
    assert "The organizers\n" in text and "Date of birth" not in text


def test_conference_admin_edits_the_signatory(client, conference):  # noqa: F811
    client.force_login(StaffFactory())
    page = client.get(reverse("admin:conference_conference_change", args=[conference.pk])).content.decode()
    for name in ("visa_signatory_name", "visa_signatory_name_ar", "visa_signatory_title_fr"):
        assert f'name="{name}"' in page
