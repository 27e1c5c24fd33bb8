"""Allowances: DSA rates (bad input refused by name), the amounts due computed by hand here, the deductions for
lodging and meals, a rate change in the middle of a stay, rounding, paid lines, and the audit trail."""

import datetime
from decimal import Decimal

import pytest

from conference.models import AuditLog
from conference.services import AccordError
from logistics import services_allowances as allowances
from logistics.models import Allowance, DsaRate
from tests.factories import StaffFactory
from tests.logistics.stay_data import JULY, make_guest

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    return StaffFactory()


def _rate(conference, organizer, **values):
    fields = {"duty_station": "Sharm El Sheikh", "amount": "239", "currency": "usd", "valid_from": JULY[1],
              "terminal_expenses": "38", **values}
    return allowances.dsa_rate_save(conference, actor=organizer, **fields)


@pytest.mark.parametrize(("values", "message"), [
    ({"amount": None}, "^DSA per night: give an amount"),
    ({"amount": "-1"}, "^DSA per night: the amount cannot be negative"),
    ({"terminal_expenses": "-0.01"}, "^Terminal expenses per journey: the amount cannot be negative"),
    ({"amount": "abc"}, "^DSA per night: give a number"),
    ({"lodging_share": "101"}, r"^Share deducted when lodging is provided \(%\): at most 100"),
    ({"currency": "US"}, "^Currency: give the three-letter code"),
    ({"valid_from": None}, "^Valid from: give a date"),
])
def test_a_bad_rate_is_refused_naming_the_field(conference, organizer, values, message):
    with pytest.raises(AccordError, match=message):
        _rate(conference, organizer, **values)
    assert DsaRate.objects.count() == 0
    assert AuditLog.objects.filter(action="logistics.dsa_rate_save").count() == 0


def test_rate_defaults_and_audit(conference, organizer):
    rate = _rate(conference, organizer)
    assert (rate.amount, rate.currency, rate.lodging_share, rate.meals_share) == (
        Decimal("239"), "USD", Decimal("50"), Decimal("30"))
    allowances.dsa_rate_save(conference, actor=organizer, rate=rate, amount="245.50")
    entry = AuditLog.objects.filter(action="logistics.dsa_rate_save").order_by("-id").first()
    assert entry.changes == {"amount": ["239.00", "245.50"]}


def test_dsa_computed_by_hand(conference, organizer):
    _rate(conference, organizer)  # 239 USD a night, terminal expenses 38 USD a journey
    guest = make_guest(conference, arrive=9, leave=13)  # 4 nights
    line = allowances.allowance_compute(guest, actor=organizer)
    # 4 × 239 = 956.00; 2 journeys × 38 = 76.00; total 1 032.00
    assert (line.nights, line.dsa_amount, line.terminal_amount, line.total, line.currency) == (
        4, Decimal("956.00"), Decimal("76.00"), Decimal("1032.00"), "USD")
    # Lodging provided: 50 % less each night: 4 × 119.50 = 478.00; total 554.00
    line = allowances.allowance_compute(guest, actor=organizer, lodging_provided=True)
    assert (line.dsa_amount, line.total) == (Decimal("478.00"), Decimal("554.00"))
    # Lodging and meals: 100 − 50 − 30 = 20 % : 4 × 47.80 = 191.20; total 267.20
    line = allowances.allowance_compute(guest, actor=organizer, meals_provided=True)
    assert (line.dsa_amount, line.total) == (Decimal("191.20"), Decimal("267.20"))


def test_rate_change_during_the_stay_and_rounding(conference, organizer):
    _rate(conference, organizer, amount="100.01", lodging_share="33.33")
    _rate(conference, organizer, amount="120", valid_from=JULY[11], lodging_share="33.33")
    guest = make_guest(conference, arrive=10, leave=13)  # nights of 10, 11, 12
    line = allowances.allowance_compute(guest, actor=organizer, lodging_provided=True, journeys=1)
    # night 10: 100.01 × 66.67 % = 66.676667; nights 11 and 12: 120 × 66.67 % = 80.004 each
    # sum 226.684667 → rounded once, half up: 226.68; terminal 38 × 1 = 38.00
    assert (line.dsa_amount, line.terminal_amount, line.total) == (
        Decimal("226.68"), Decimal("38.00"), Decimal("264.68"))


def test_no_rate_or_no_dates_is_refused(conference, organizer):
    guest = make_guest(conference)
    with pytest.raises(AccordError, match="^DSA rate: the conference has no DSA rate yet"):
        allowances.allowance_compute(guest, actor=organizer)
    _rate(conference, organizer, valid_from=JULY[11])
    with pytest.raises(AccordError, match="^DSA rate: no rate is valid on the night of 2023-07-10"):
        allowances.allowance_compute(guest, actor=organizer)
    assert Allowance.objects.count() == 0


def test_a_paid_line_changes_only_with_a_reason(conference, organizer):
    _rate(conference, organizer)
    guest = make_guest(conference, arrive=10, leave=13)
    line = allowances.allowance_compute(guest, actor=organizer)
    allowances.allowance_mark_paid(line, actor=organizer)
    with pytest.raises(AccordError, match="^Reason: this allowance has been paid"):
        allowances.allowance_compute(guest, actor=organizer, nights=2)
    line.refresh_from_db()
    assert (line.nights, line.total) == (3, Decimal("793.00"))
    line = allowances.allowance_compute(guest, actor=organizer, nights=2, reason="Left a day early")
    assert (line.nights, line.total) == (2, Decimal("554.00"))
    entry = AuditLog.objects.filter(action="logistics.allowance_compute").order_by("-id").first()
    assert entry.changes == {"nights": [3, 2], "dsa_amount": ["717.00", "478.00"], "total": ["793.00", "554.00"],
                             "reason": "Left a day early"}
    assert datetime.date.today()  # the paid marker stays
    assert Allowance.objects.get().paid_at is not None


def _pdf_text(name):
    import io

    from django.core.files.storage import default_storage
    from pypdf import PdfReader

    with default_storage.open(name, "rb") as handle:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


def test_payment_sheets_per_delegation_in_its_language_and_finance_xlsx(conference, organizer):
    import io

    from django.core.files.storage import default_storage
    from django.utils import formats, translation
    from openpyxl import load_workbook

    from logistics.tasks_stay import render_payment_sheets_task
    from tests.factories import DelegationFactory

    _rate(conference, organizer)
    expected = {}
    for code, language in (("EGY", "ar"), ("FRA", "fr"), ("GBR", "en")):
        delegation = DelegationFactory(conference=conference, code=code)
        head = make_guest(conference, delegation=delegation, preferred_language=language, first_name="Head",
                          last_name=code, arrive=10, leave=13)
        delegation.head = head
        delegation.save()
        member = make_guest(conference, delegation=delegation, preferred_language="en", first_name="Member",
                            last_name=code, arrive=10, leave=12)
        for person in (head, member):
            allowances.allowance_compute(person, actor=organizer)
        with translation.override(language):
            expected[code] = (language, translation.gettext("DSA payment sheet"), translation.gettext("Signature"))
    # Three sheets, the finance XLSX and (the organizer is a superuser: finance officer too) its bank copy.
    assert render_payment_sheets_task.delay(conference_id=conference.pk, actor_id=organizer.pk).get() == 4  # three delegations' sheets and the masked finance XLSX
    for code, (language, title, signature) in expected.items():
        text = _pdf_text(f"payment-sheets/{conference.pk}/{code}.pdf")
        assert f"Head {code}" in text and f"Member {code}" in text
        for word in (title, signature):
            assert word in text or (language == "ar" and word[::-1] in text), (code, word, text)
        # 3 nights: 717.00 + 76.00 = 793.00; 2 nights: 478.00 + 76.00 = 554.00; total 1 347.00
        with translation.override(language):
            shown = [formats.number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True)
                     for value in ("793.00", "554.00", "1347.00")]
        for amount in shown:
            assert amount in text, (code, amount, text)
    with default_storage.open(f"payment-sheets/{conference.pk}/allowances.xlsx", "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [(row[0], row[1], row[2], row[8]) for row in rows] == [
        ("EGY", "Head EGY", 3, 793), ("EGY", "Member EGY", 2, 554), ("FRA", "Head FRA", 3, 793),
        ("FRA", "Member FRA", 2, 554), ("GBR", "Head GBR", 3, 793), ("GBR", "Member GBR", 2, 554)]


def test_allowances_of_every_funded_participant(conference, organizer):
    from logistics.models import DelegationFunding, Itinerary
    from tests.factories import DelegationFactory

    _rate(conference, organizer)
    funded_delegation = DelegationFactory(conference=conference)
    DelegationFunding.objects.create(delegation=funded_delegation, funding="funded")
    by_delegation = make_guest(conference, delegation=funded_delegation, arrive=10, leave=13)
    self_funded = make_guest(conference, delegation=funded_delegation, arrive=10, leave=13)
    Itinerary.objects.create(participant=self_funded, funding="self")  # their own choice wins
    own = make_guest(conference, arrive=10, leave=12)
    Itinerary.objects.create(participant=own, funding="funded")
    no_dates = make_guest(conference, delegation=funded_delegation)
    no_dates.travel_plan.delete()
    assert allowances.allowances_compute_funded(conference, actor=organizer) == {"computed": 2, "refused": 1}
    assert dict(Allowance.objects.values_list("participant_id", "total")) == {
        by_delegation.pk: Decimal("793.00"), own.pk: Decimal("554.00")}


def test_bank_details_only_for_the_finance_officer(conference, organizer):
    import io

    from django.core.files.storage import default_storage
    from openpyxl import load_workbook

    from logistics.models import BankDetails
    from tests.factories import UserFactory

    _rate(conference, organizer)
    guest = make_guest(conference, first_name="Amal", last_name="Test")
    allowances.allowance_compute(guest, actor=organizer)
    with pytest.raises(AccordError, match="^IBAN or account number: this field is required"):
        allowances.bank_details_save(guest, actor=organizer, account_holder="Amal Test", bank_name="NBE", iban=" ")
    with pytest.raises(AccordError, match="^SWIFT/BIC: 8 or 11"):
        allowances.bank_details_save(guest, actor=organizer, account_holder="Amal Test", bank_name="NBE",
                                     iban="EG38 0019 0005 0000 0000 2631 8000 2", swift_bic="NBE")
    assert BankDetails.objects.count() == 0
    allowances.bank_details_save(guest, actor=organizer, account_holder="Amal Test", bank_name="NBE",
                                 iban="eg38 0019 0005 0000 0000 2631 8000 2", swift_bic="nbegegcx")
    assert BankDetails.objects.get().iban == "EG380019000500000000263180002"
    entry = AuditLog.objects.filter(action="logistics.bank_details_save").get()
    assert entry.changes == {"replaced": ["account_holder", "bank_name", "iban", "swift_bic"]}
    assert "EG38" not in str(entry.changes)
    # Only the masked finance copy is stored (whoever asked for the render): no file holds the bank values, which
    # live only in their row (purged with the sensitive data); the finance officer's copy is built at each download.
    clerk = UserFactory(is_staff=True)
    assert not allowances.may_see_bank_details(clerk)
    stored = allowances.payment_sheets_render(conference, actor=clerk)
    assert set(stored) == {guest.delegation.code, "finance"}
    with default_storage.open(stored["finance"], "rb") as handle:
        rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(handle.read())).active.iter_rows()]
    assert rows[0][-4:] == ["Account holder", "Bank", "IBAN or account number", "SWIFT/BIC"]
    assert rows[1][-4:] == ["(hidden)"] * 4
    assert "EG38" not in str(rows)
    folder = f"payment-sheets/{conference.pk}"
    assert all(b"EG38" not in default_storage.open(f"{folder}/{name}", "rb").read()
               for name in default_storage.listdir(folder)[1])
    from logistics.rendering_allowances import render_allowances_xlsx
    from logistics.selectors_stay import finance_lines_with_bank

    lines, bank = finance_lines_with_bank(conference, reader=organizer)
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(render_allowances_xlsx(lines, bank=bank))).active.iter_rows()]
    assert rows[0][-4:] == ["Account holder", "Bank", "IBAN or account number", "SWIFT/BIC"]
    assert rows[1][-4:] == ["Amal Test", "NBE", "EG380019000500000000263180002", "NBEGEGCX"]
