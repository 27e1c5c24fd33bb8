"""The manifest and driver sheet PDFs, read back with pypdf in English, French and Arabic: what each carries and
what a driver's sheet leaves out."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from logistics.models import TransferRun
from logistics.rendering_travel import render_driver_sheet, render_manifest
from logistics.selectors_travel import manifest, run_with_seats
from logistics.services_travel import manifest_print_record, transfer_runs_propose

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize(("language", "month", "country"), [
    ("en", "July", "Egypt"), ("fr", "juillet", "Égypte"), ("ar", "يوليو", "مصر")])
def test_manifest_pdf_in_three_languages(conference, travel, language, month, country):
    first = manifest(conference)
    manifest_print_record(conference, kind="inbound", actor=travel.organizer, snapshot=first.snapshot)
    text = pdf_text(render_manifest(conference, manifest(conference), language=language, printed_at=timezone.now()))
    for expected in ("EK927", "MS5", "TU9701", "RJ501", "CAI", "SSH", "16:50", "Adams", "Diab", "Ford", month,
                     country):
        assert expected in text, expected


@pytest.mark.parametrize(("language", "country"), [("en", "Egypt"), ("fr", "Égypte"), ("ar", "مصر")])
def test_driver_sheet_has_what_the_driver_needs_only(conference, travel, language, country):
    transfer_runs_propose(conference, actor=travel.organizer)
    run = run_with_seats(conference, TransferRun.objects.get(seats__participant=travel.adams).pk)
    text = pdf_text(render_driver_sheet(run, language=language))
    for expected in ("Adams", "Baker", "Hill", "MS5", "16:00", "+20 100 000 0000", "Hotel Nile", "SSH", "16:30",
                     "Minibus", country):
        assert expected in text, expected
    for absent in ("Cole", travel.adams.email, "ABC123"):  # another run, the e-mail, the booking reference
        assert absent not in text, absent
