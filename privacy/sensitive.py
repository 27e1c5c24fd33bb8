"""Sensitive fields as a class: which data needs which dedicated permission, and masking for who lacks it.

* passport data (the travel document: number, expiry, issuing country, scan; the visa letter that prints them)
  and the date of birth: the visa officer's permission, ``logistics.view_traveldocument``;
* bank details (where a funded participant's allowance is paid): the finance officer's,
  ``privacy.view_bank_details``.

A superuser holds every permission. Exports show the value only to a user who holds the permission, and a mask
to everyone else; e-mails never carry these values, except the visa letter sent to its owner.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

PASSPORT = "passport"
BANK = "bank"

#: Each class of sensitive data, and the one permission that shows it.
PERMISSIONS = {
    PASSPORT: "logistics.view_traveldocument",
    BANK: "privacy.view_bank_details",
}

#: The fields of each class, as ``app_label.Model.field``.
FIELDS = {
    PASSPORT: [
        "logistics.TravelDocument.passport_number",
        "logistics.TravelDocument.passport_expiry",
        "logistics.TravelDocument.issuing_country",
        "logistics.TravelDocument.date_of_birth",
        "logistics.VisaLetter.file",
    ],
    BANK: [
        "logistics.BankDetails.account_holder",
        "logistics.BankDetails.bank_name",
        "logistics.BankDetails.iban",
        "logistics.BankDetails.swift_bic",
    ],
}


def permission(sensitive_class: str) -> str:
    """The permission of ``sensitive_class``: as the owning app registered it, else the default above."""
    from .registry import sensitive_permission

    return sensitive_permission(sensitive_class, PERMISSIONS[sensitive_class])


def may_see(user, sensitive_class: str) -> bool:
    """Whether ``user`` (an active staff member) holds the permission of ``sensitive_class``."""
    return bool(
        user is not None and getattr(user, "is_active", False) and getattr(user, "is_staff", False)
        and user.has_perm(permission(sensitive_class))
    )


def mask(value, *, allowed: bool):
    """``value`` for a user allowed to see it; a fixed mask (never a part of the value) for the others, and
    nothing when there is no value."""
    if value in (None, ""):
        return ""
    return value if allowed else _("(hidden)")
