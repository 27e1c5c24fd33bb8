"""Allowances of funded participants: the conference's DSA rates for the duty station, and one allowance line
per funded participant (nights, amounts due, paid or not).

The rate's ``lodging_share`` and ``meals_share`` are the percentages of the DSA deducted for a night when the
conference provides lodging or meals. Their defaults (50 % and 30 %) are only a starting point, set per rate: the
organizers enter the shares their rules give. Amounts are ``Decimal``; how they are computed and rounded is said
in ``services_allowances``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conference.models import Conference
from registration.models import Participant

DEFAULT_LODGING_SHARE = Decimal("50")
DEFAULT_MEALS_SHARE = Decimal("30")


class DsaRate(models.Model):
    """The daily subsistence allowance for the duty station from ``valid_from`` on (until the next rate)."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="dsa_rates"
    )
    duty_station = models.CharField(_("duty station"), max_length=100)
    amount = models.DecimalField(_("DSA per night"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    valid_from = models.DateField(_("valid from"))
    terminal_expenses = models.DecimalField(_("terminal expenses per journey"), max_digits=10, decimal_places=2)
    lodging_share = models.DecimalField(
        _("share deducted when lodging is provided (%)"), max_digits=5, decimal_places=2,
        default=DEFAULT_LODGING_SHARE, validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    meals_share = models.DecimalField(
        _("share deducted when meals are provided (%)"), max_digits=5, decimal_places=2,
        default=DEFAULT_MEALS_SHARE, validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("DSA rate")
        verbose_name_plural = _("DSA rates")
        ordering = ["conference", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "valid_from"], name="dsarate_unique_valid_from"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="dsarate_amount_not_negative"),
            models.CheckConstraint(condition=Q(terminal_expenses__gte=0), name="dsarate_terminal_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.duty_station} {self.amount} {self.currency} ({self.valid_from.isoformat()})"


class Allowance(models.Model):
    """What one funded participant is due: DSA for ``nights`` (less the shares for lodging and meals provided)
    and terminal expenses for ``journeys``. Once ``paid_at`` is set, a change needs a reason (audited)."""

    participant = models.OneToOneField(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="allowance"
    )
    nights = models.PositiveIntegerField(_("nights"))
    journeys = models.PositiveIntegerField(_("journeys"), default=2)
    lodging_provided = models.BooleanField(_("lodging provided"), default=False)
    meals_provided = models.BooleanField(_("meals provided"), default=False)
    currency = models.CharField(_("currency"), max_length=3)
    dsa_amount = models.DecimalField(_("DSA due"), max_digits=12, decimal_places=2)
    terminal_amount = models.DecimalField(_("terminal expenses due"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("total due"), max_digits=12, decimal_places=2)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("paid by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("allowance")
        verbose_name_plural = _("allowances")

    def __str__(self) -> str:
        return f"{self.participant} — {self.total} {self.currency}"


#: The bank details an allowance needs (sensitive: ``privacy.view_bank_details``), in the order exports show them.
BANK_FIELDS = ("account_holder", "bank_name", "iban", "swift_bic")


class BankDetails(models.Model):
    """Where a funded participant's allowance is paid. Sensitive: shown only to holders of the finance officer's
    permission (``privacy.sensitive.BANK``: ``privacy.view_bank_details``), never in an audit entry or e-mail,
    purged with the sensitive data."""

    participant = models.OneToOneField(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="bank_details"
    )
    account_holder = models.CharField(_("account holder"), max_length=200)
    bank_name = models.CharField(_("bank"), max_length=200)
    iban = models.CharField(_("IBAN or account number"), max_length=40)
    swift_bic = models.CharField(_("SWIFT/BIC"), max_length=11, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("bank details")
        verbose_name_plural = _("bank details")

    def __str__(self) -> str:
        return str(self.participant)
