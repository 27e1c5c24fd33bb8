"""Writes of the allowances: the conference's DSA rates, and each funded participant's allowance line.

How an allowance is computed (``allowance_compute``):

* nights: from ``selectors.stay_nights`` (check-out date minus check-in date), unless the organizer gives them;
* DSA: for each night, the rate valid that night (the latest ``valid_from`` on or before it) times
  ``(100 - lodging_share if lodging provided - meals_share if meals provided) / 100``, never below zero; the nights'
  amounts are added exactly (``Decimal``) and the sum is rounded once, half up, to the cent (0.01);
* terminal expenses: the terminal expenses of the rate valid on the first night, times ``journeys`` (by default 2:
  the journey to the duty station and back), rounded the same way;
* total: DSA plus terminal expenses. One currency: rates of different currencies over one stay are refused.

The shares deducted are the rate's ``lodging_share`` and ``meals_share`` (percent; defaults 50 and 30, a starting
point the organizers change per rate to what their rules say). Every change to a rate or an amount is audited
(``conference.services.audit_record``), and a paid line changes only with a reason (recorded in the entry).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.services import AccordError, audit_record, field_changes
from registration.models import Participant

from .models import BANK_FIELDS, Allowance, DsaRate
from .selectors import stay_nights

CENT = Decimal("0.01")
RATE_FIELDS = ("duty_station", "amount", "currency", "valid_from", "terminal_expenses", "lodging_share",
               "meals_share")
AMOUNT_FIELDS = ("nights", "journeys", "lodging_provided", "meals_provided", "currency", "dsa_amount",
                 "terminal_amount", "total")


def _decimal(value, label: str, *, maximum: Decimal | None = None) -> Decimal:
    if value is None or value == "":
        raise AccordError(_("%(field)s: give an amount.") % {"field": label})
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise AccordError(_("%(field)s: give a number.") % {"field": label}) from None
    if not number.is_finite():
        raise AccordError(_("%(field)s: give a number.") % {"field": label})
    if number < 0:
        raise AccordError(_("%(field)s: the amount cannot be negative.") % {"field": label})
    if maximum is not None and number > maximum:
        raise AccordError(_("%(field)s: at most %(maximum)s.") % {"field": label, "maximum": maximum})
    return number


def _capfirst(text) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def dsa_rate_save(conference, *, actor, rate: DsaRate | None = None, **values) -> DsaRate:
    """Create or change a DSA rate. A missing or negative amount, a share outside 0–100, a currency that is not
    three letters or a missing date is refused naming the field; nothing is saved."""
    rate = rate or DsaRate(conference=conference)
    before = None if rate.pk is None else {name: getattr(rate, name) for name in RATE_FIELDS}
    fields = {name: values.get(name, getattr(rate, name)) for name in RATE_FIELDS}
    labels = {name: _capfirst(DsaRate._meta.get_field(name).verbose_name) for name in RATE_FIELDS}
    fields["amount"] = _money(_decimal(fields["amount"], labels["amount"]))
    fields["terminal_expenses"] = _money(_decimal(fields["terminal_expenses"], labels["terminal_expenses"]))
    for name in ("lodging_share", "meals_share"):
        fields[name] = _money(_decimal(fields[name], labels[name], maximum=Decimal(100)))
    currency = (fields["currency"] or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise AccordError(_("%(field)s: give the three-letter code (USD, EUR, EGP).") % {"field": labels["currency"]})
    fields["currency"] = currency
    if not isinstance(fields["valid_from"], datetime.date):
        raise AccordError(_("%(field)s: give a date.") % {"field": labels["valid_from"]})
    if not (fields["duty_station"] or "").strip():
        raise AccordError(_("%(field)s: give the duty station.") % {"field": labels["duty_station"]})
    with transaction.atomic():
        clash = DsaRate.objects.filter(conference=conference, valid_from=fields["valid_from"])
        if rate.pk:
            clash = clash.exclude(pk=rate.pk)
        if clash.exists():
            raise AccordError(_("%(field)s: another rate starts on that date.") % {"field": labels["valid_from"]})
        for name, value in fields.items():
            setattr(rate, name, value)
        rate.save()
        changes = field_changes(before, rate, RATE_FIELDS) if before else {
            name: [None, _shown(_plain(value))] for name, value in fields.items()}
        audit_record(actor=actor, action="logistics.dsa_rate_save", target=rate, conference=conference,
                     changes=changes)
    return rate


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _rate_on(rates: list[DsaRate], night: datetime.date) -> DsaRate | None:
    valid = [rate for rate in rates if rate.valid_from <= night]
    return valid[-1] if valid else None


def allowance_amounts(rates: list[DsaRate], *, first_night: datetime.date, nights: int, journeys: int,
                      lodging_provided: bool, meals_provided: bool) -> dict:
    """The amounts due (see the module's docstring): {currency, dsa_amount, terminal_amount, total}. ``rates``
    sorted by ``valid_from``. Raises AccordError when a night has no rate or the currency changes."""
    if not rates:
        raise AccordError(_("DSA rate: the conference has no DSA rate yet."))
    dsa = Decimal(0)
    currencies = set()
    for offset in range(nights):
        night = first_night + datetime.timedelta(days=offset)
        rate = _rate_on(rates, night)
        if rate is None:
            raise AccordError(_("DSA rate: no rate is valid on the night of %(night)s.") % {"night": night.isoformat()})
        currencies.add(rate.currency)
        share = Decimal(100)
        if lodging_provided:
            share -= rate.lodging_share
        if meals_provided:
            share -= rate.meals_share
        dsa += rate.amount * max(share, Decimal(0)) / Decimal(100)
    first_rate = _rate_on(rates, first_night) or rates[0]
    currencies.add(first_rate.currency)
    if len(currencies) > 1:
        raise AccordError(_("DSA rate: the rates over this stay are in different currencies (%(currencies)s).")
                          % {"currencies": ", ".join(sorted(currencies))})
    dsa_amount = _money(dsa)
    terminal_amount = _money(first_rate.terminal_expenses * journeys)
    return {"currency": first_rate.currency, "dsa_amount": dsa_amount, "terminal_amount": terminal_amount,
            "total": dsa_amount + terminal_amount}


def allowance_compute(
    participant: Participant,
    *,
    actor,
    nights: int | None = None,
    journeys: int | None = None,
    lodging_provided: bool | None = None,
    meals_provided: bool | None = None,
    reason: str = "",
) -> Allowance:
    """Compute (or compute again) ``participant``'s allowance; arguments left None keep the line's value (or
    come from the travel plan for the nights). A paid line whose amounts would change needs ``reason``."""
    conference = participant.conference
    current = Allowance.objects.filter(participant=participant).first()
    check_in, check_out = stay_nights(conference, [participant.pk]).get(participant.pk, (None, None))
    if nights is None:
        nights = current.nights if current else None
        if nights is None:
            if not (check_in and check_out):
                raise AccordError(_("Nights: the participant has not given arrival and departure dates."))
            nights = (check_out - check_in).days
    if not isinstance(nights, int) or nights < 0:
        raise AccordError(_("Nights: give a whole number, zero or more."))
    journeys = journeys if journeys is not None else (current.journeys if current else 2)
    if not isinstance(journeys, int) or journeys < 0:
        raise AccordError(_("Journeys: give a whole number, zero or more."))
    lodging_provided = lodging_provided if lodging_provided is not None else bool(current and current.lodging_provided)
    meals_provided = meals_provided if meals_provided is not None else bool(current and current.meals_provided)
    first_night = check_in or conference.start_date
    rates = list(DsaRate.objects.filter(conference=conference).order_by("valid_from"))
    amounts = allowance_amounts(rates, first_night=first_night, nights=nights, journeys=journeys,
                                lodging_provided=lodging_provided, meals_provided=meals_provided)
    values = {"nights": nights, "journeys": journeys, "lodging_provided": lodging_provided,
              "meals_provided": meals_provided, **amounts}
    with transaction.atomic():
        allowance = (Allowance.objects.select_for_update().filter(participant=participant).first()
                     or Allowance(participant=participant))
        before = None if allowance.pk is None else {name: getattr(allowance, name) for name in AMOUNT_FIELDS}
        changed = before is None or any(before[name] != value for name, value in values.items())
        if allowance.paid_at is not None and changed and not reason.strip():
            raise AccordError(_("Reason: this allowance has been paid; say why its amounts change."))
        if not changed:
            return allowance
        for name, value in values.items():
            setattr(allowance, name, value)
        allowance.save()
        changes = {name: [None if before is None else _shown(before[name]), _shown(value)]
                   for name, value in values.items() if before is None or before[name] != value}
        if reason.strip():
            changes["reason"] = reason.strip()
        audit_record(actor=actor, action="logistics.allowance_compute", target=allowance, conference=conference,
                     changes=changes)
    return allowance


def _shown(value):
    return str(value) if isinstance(value, Decimal) else value


def allowance_mark_paid(allowance: Allowance, *, actor) -> Allowance:
    with transaction.atomic():
        allowance = Allowance.objects.select_for_update().get(pk=allowance.pk)
        if allowance.paid_at is not None:
            raise AccordError(_("Paid: this allowance is already marked paid."))
        allowance.paid_at = timezone.now()
        allowance.paid_by = actor if getattr(actor, "pk", None) else None
        allowance.save(update_fields=["paid_at", "paid_by"])
        audit_record(actor=actor, action="logistics.allowance_paid", target=allowance,
                     conference=allowance.participant.conference,
                     changes={"paid_at": [None, allowance.paid_at.isoformat()], "total": str(allowance.total)})
    return allowance


def payment_sheets_render(conference, *, actor) -> dict[str, str]:
    """Render every delegation's payment sheet (PDF, in the delegation's language) and the finance XLSX, and store
    them (``payment-sheets/<conference id>/``, replacing the previous ones). Returns {delegation code or "finance"
    (the finance XLSX, bank details masked): stored name}. Called by
    ``tasks_stay.render_payment_sheets_task``, never in a request; the download decides who gets which copy."""
    from collections import defaultdict

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from .rendering_allowances import render_allowances_xlsx, render_payment_sheet
    from .selectors_stay import FINANCE_FILES, allowance_lines, delegation_language

    lines = allowance_lines(conference)
    by_delegation = defaultdict(list)
    for line in lines:
        if line.participant.delegation is not None:
            by_delegation[line.participant.delegation].append(line)
    members = defaultdict(list)
    for participant in Participant.objects.filter(delegation__in=list(by_delegation)).only(
            "id", "delegation_id", "preferred_language"):
        members[participant.delegation_id].append(participant)
    stored = {}
    folder = f"payment-sheets/{conference.pk}"
    for delegation, rows in sorted(by_delegation.items(), key=lambda item: item[0].code):
        language = delegation_language(delegation, members[delegation.pk])
        name = f"{folder}/{delegation.code}.pdf"
        default_storage.delete(name)
        stored[delegation.code] = default_storage.save(
            name, ContentFile(render_payment_sheet(conference, delegation, rows, language=language)))
    # The finance copy is stored with the bank columns masked (what anyone with the logistics role downloads). The
    # finance officer's copy with the values is never stored: it is built at each download from the bank details'
    # rows (``selectors_stay.finance_lines_with_bank``), so the purge of those rows leaves no copy behind.
    from privacy.sensitive import mask

    from .models import BankDetails

    bank = {row.participant_id: row for row in BankDetails.objects.filter(participant__conference=conference)}
    cells = {pid: {name: mask(getattr(row, name), allowed=False) for name in BANK_FIELDS} for pid, row in bank.items()}
    name = f"{folder}/{FINANCE_FILES['finance']}"
    default_storage.delete(name)
    default_storage.delete(f"{folder}/allowances-bank-details.xlsx")  # a copy with the values stored by an earlier version
    stored["finance"] = default_storage.save(name, ContentFile(render_allowances_xlsx(lines, bank=cells)))
    audit_record(actor=actor, action="logistics.payment_sheets_render", conference=conference,
                 changes={"files": sorted(stored.values())})
    return stored


def allowances_compute_funded(conference, *, actor) -> dict[str, int]:
    """Compute the allowance of every funded participant (``selectors_dashboard.funded_participant_ids``) who
    has none yet, or whose unpaid line would change; paid lines are left alone (they change one by one, with a
    reason). Returns {"computed": n, "refused": n} — a participant without dates or a night without rate is
    refused and left without a line."""
    from .selectors_dashboard import funded_participant_ids

    counts = {"computed": 0, "refused": 0}
    paid = set(Allowance.objects.filter(participant__conference=conference, paid_at__isnull=False)
               .values_list("participant_id", flat=True))
    for participant in Participant.objects.filter(pk__in=funded_participant_ids(conference) - paid).select_related(
            "conference").order_by("pk"):
        try:
            allowance_compute(participant, actor=actor)
            counts["computed"] += 1
        except AccordError:
            counts["refused"] += 1
    return counts




def may_see_bank_details(user) -> bool:
    """Whether ``user`` (active staff) holds the finance officer's permission for bank details."""
    from privacy.sensitive import BANK, permission

    return bool(user is not None and user.is_active and user.is_staff and user.has_perm(permission(BANK)))


def _bank_label(name: str) -> str:
    from .models import BankDetails

    return _capfirst(BankDetails._meta.get_field(name).verbose_name)


def bank_details_check(values: dict) -> dict:
    """The bank details as stored (spaces collapsed; IBAN and SWIFT/BIC without spaces, in capitals), or
    AccordError naming the first field that is wrong. Holder, bank and IBAN (or account number) are required. A
    value that starts as an IBAN does (two letters, two digits) must be one: its country's length and the
    mod-97 check digits (``logistics.iban``); anything else is an account number of a country outside the IBAN
    Registry (4 to 34 letters and digits), which needs the bank's SWIFT/BIC. A SWIFT/BIC has 8 or 11 characters:
    bank (4 letters), country (2 letters, ISO 3166), place (2), branch (3, optional)."""
    from . import iban as codes

    unknown = set(values) - set(BANK_FIELDS)
    if unknown:
        raise AccordError(f"unknown fields: {sorted(unknown)}")
    cleaned = {name: " ".join(str(values.get(name) or "").split()) for name in BANK_FIELDS}
    cleaned["iban"] = codes.compact(cleaned["iban"])
    cleaned["swift_bic"] = codes.compact(cleaned["swift_bic"])
    for name in ("account_holder", "bank_name", "iban"):
        if not cleaned[name]:
            raise AccordError(_("%(field)s: this field is required.") % {"field": _bank_label(name)})
    field = _bank_label("iban")
    number = cleaned["iban"]
    if codes.looks_like_iban(number):
        problem = codes.iban_problem(number)
        if problem == "characters":
            raise AccordError(_("%(field)s: use only letters and digits.") % {"field": field})
        if problem == "country":
            raise AccordError(_("%(field)s: %(country)s does not issue IBANs; give the account number without it, "
                                "and the SWIFT/BIC.") % {"field": field, "country": number[:2]})
        if problem == "length":
            raise AccordError(_("%(field)s: an IBAN of %(country)s has %(expected)s characters, this one has "
                                "%(count)s.") % {"field": field, "country": number[:2],
                                                 "expected": codes.IBAN_LENGTHS[number[:2]], "count": len(number)})
        if problem == "checksum":
            raise AccordError(_("%(field)s: the check digits do not match: look for a typing error.")
                              % {"field": field})
    elif not codes.ACCOUNT_NUMBER.match(number):
        raise AccordError(_("%(field)s: give an IBAN, or an account number of 4 to 34 letters and digits.")
                          % {"field": field})
    elif not cleaned["swift_bic"]:
        raise AccordError(_("%(field)s: give the bank's code with an account number that is not an IBAN.")
                          % {"field": _bank_label("swift_bic")})
    if cleaned["swift_bic"] and not codes.bic_valid(cleaned["swift_bic"]):
        raise AccordError(_("%(field)s: 8 or 11 letters and digits (bank, country, place, branch).")
                          % {"field": _bank_label("swift_bic")})
    return cleaned


def bank_details_save(participant: Participant, *, actor, **values) -> None:
    """Save where ``participant``'s allowance is paid, after ``bank_details_check`` (nothing is saved when it
    refuses). The audit entry says which fields were replaced, never their values; no e-mail is sent."""
    from .models import BankDetails

    cleaned = bank_details_check(values)
    with transaction.atomic():
        details = BankDetails.objects.select_for_update().filter(participant=participant).first()
        replaced = [name for name in BANK_FIELDS if details is None or getattr(details, name) != cleaned[name]]
        BankDetails.objects.update_or_create(participant=participant, defaults=cleaned)
        audit_record(actor=actor, action="logistics.bank_details_save", target=participant,
                     conference=participant.conference, changes={"replaced": replaced})
