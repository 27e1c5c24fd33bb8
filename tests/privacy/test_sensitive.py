"""Sensitive data as a class: the visa officer's permission shows passport data, the finance officer's bank
details; everyone else gets a mask, never a part of the value."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from privacy.sensitive import BANK, PASSPORT, mask, may_see, permission
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _staff(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return type(user).objects.get(pk=user.pk)  # a fresh permission cache


def test_each_class_has_its_own_permission():
    assert permission(PASSPORT) == "logistics.view_traveldocument"
    assert permission(BANK) == "privacy.view_bank_details"
    assert Permission.objects.filter(codename="view_bank_details", content_type__app_label="privacy").exists()


def test_visa_officer_sees_passports_not_bank_details_and_the_finance_officer_the_reverse():
    visa_officer = _staff("view_traveldocument")
    finance_officer = _staff("view_bank_details")
    organizer = _staff()
    assert (may_see(visa_officer, PASSPORT), may_see(visa_officer, BANK)) == (True, False)
    assert (may_see(finance_officer, PASSPORT), may_see(finance_officer, BANK)) == (False, True)
    assert (may_see(organizer, PASSPORT), may_see(organizer, BANK)) == (False, False)
    visa_officer.is_staff = False
    assert may_see(visa_officer, PASSPORT) is False


def test_mask_hides_the_whole_value():
    assert mask("A1234567", allowed=True) == "A1234567"
    assert mask("A1234567", allowed=False) == "(hidden)"
    assert mask("", allowed=False) == ""
