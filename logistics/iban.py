"""Checks of bank details as written: an IBAN (length of its country in the IBAN Registry, ISO 7064 mod-97-10)
and a SWIFT/BIC (ISO 9362 shape). Pure functions: no query, no write; ``services_allowances.bank_details_save``
turns a problem into an error naming the field.

The project has no IBAN library among its dependencies (django-localflavor or schwifty would carry this table
and keep it current): the lengths below are those of the SWIFT IBAN Registry; a country that joins it needs its
line here.
"""

from __future__ import annotations

import re
import string

#: Length of an IBAN, per ISO 3166 country code of the IBAN Registry.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
    "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
    "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
    "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
    "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

#: What starts an IBAN: a country code and two check digits.
IBAN_START = re.compile(r"^[A-Z]{2}[0-9]{2}")
#: A bank account number of a country outside the IBAN Registry: letters and digits.
ACCOUNT_NUMBER = re.compile(r"^[A-Z0-9]{4,34}$")
#: SWIFT/BIC: bank (4 letters), country (2 letters), location (2 letters or digits), optional branch (3).
BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")


def compact(value: str) -> str:
    """``value`` without spaces, in capitals (how IBANs and BICs are stored)."""
    return "".join(str(value or "").split()).upper()


def looks_like_iban(value: str) -> bool:
    return bool(IBAN_START.match(compact(value)))


def mod97(iban: str) -> int:
    """ISO 7064 mod-97-10 of ``iban`` (compact): 1 for a valid IBAN."""
    moved = iban[4:] + iban[:4]
    digits = "".join(str(string.ascii_uppercase.index(char) + 10) if char.isalpha() else char for char in moved)
    return int(digits) % 97


def iban_problem(value: str) -> str | None:
    """Why ``value`` (compact) is not a valid IBAN, as a code: "characters", "country", "length", "checksum";
    None when it is one."""
    if not re.fullmatch(r"[A-Z0-9]+", value) or not IBAN_START.match(value):
        return "characters"
    expected = IBAN_LENGTHS.get(value[:2])
    if expected is None:
        return "country"
    if len(value) != expected:
        return "length"
    if mod97(value) != 1:
        return "checksum"
    return None


def bic_valid(value: str) -> bool:
    """Whether ``value`` (compact) has the shape of a SWIFT/BIC with a known country code."""
    from django_countries import countries

    return bool(BIC.match(value)) and value[4:6] in dict(countries)
