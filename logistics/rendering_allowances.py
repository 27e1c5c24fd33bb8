"""Allowance papers as bytes: a delegation's payment sheet (PDF, in the delegation's language, one line to sign per
person) and the finance XLSX of every line. Pure renderers: no query, no write (``selectors_stay`` reads)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from conference.languages import direction
from conference.models import localized
from conference.pdf import render_pdf
from registration.exports import neutralize


def _amount(value: Decimal, language: str) -> str:
    with translation.override(language):
        return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def render_payment_sheet(conference, delegation, lines, *, language: str) -> bytes:
    """The payment sheet of ``delegation``: for each allowance line the name, nights, DSA, terminal expenses,
    total and a space to sign, and the delegation's total per currency."""
    totals: dict[str, Decimal] = {}
    for line in lines:
        totals[line.currency] = totals.get(line.currency, Decimal(0)) + line.total
    with translation.override(language):
        html = render_to_string("logistics/pdf/payment_sheet.html", {
            "language": language,
            "direction": direction(language),
            "conference_name": localized(conference, "name", language),
            "delegation": delegation.display_name(language),
            "rows": [{
                "name": line.participant.full_name or line.participant.email,
                "nights": line.nights,
                "dsa": _amount(line.dsa_amount, language),
                "terminal": _amount(line.terminal_amount, language),
                "total": _amount(line.total, language),
                "currency": line.currency,
                "paid": line.paid_at is not None,
            } for line in lines],
            "totals": [(currency, _amount(total, language)) for currency, total in sorted(totals.items())],
        })
    return render_pdf(html)


def render_allowances_xlsx(lines, *, bank: dict | None = None) -> bytes:
    """Every allowance line for finance: delegation, name, nights, journeys, provided lodging and meals, the
    amounts (numbers, two decimals), currency, paid; with ``bank`` ({participant id: {field: the cell's text}}:
    the values for the finance officer, a mask for the others) the account holder, bank, IBAN and SWIFT/BIC."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Allowances"))[:31]
    sheet.append([str(title) for title in (
        _("Delegation"), _("Name"), _("Nights"), _("Journeys"), _("Lodging provided"), _("Meals provided"),
        _("DSA due"), _("Terminal expenses due"), _("Total due"), _("Currency"), _("Paid"))]
        + ([str(_("Account holder")), str(_("Bank")), str(_("IBAN or account number")), "SWIFT/BIC"]
           if bank is not None else []))
    for line in lines:
        participant = line.participant
        sheet.append([
            neutralize(participant.delegation.code if participant.delegation else ""),
            neutralize(participant.full_name or participant.email), line.nights, line.journeys,
            neutralize(line.lodging_provided), neutralize(line.meals_provided), line.dsa_amount,
            line.terminal_amount, line.total, line.currency, neutralize(line.paid_at),
        ] + ([neutralize(bank.get(participant.pk, {}).get(name, "")) for name in (
            "account_holder", "bank_name", "iban", "swift_bic")] if bank is not None else []))
        for cell in sheet[sheet.max_row][6:9]:
            cell.number_format = "0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
