"""Bank details (issue 17 item 1): the funded participant enters their own from the travel page, a focal point
their delegation's members' (404 for another delegation's, for someone not funded or not approved). IBAN checked
(its country's length, mod-97 check digits), SWIFT/BIC shape, holder and bank required: a clear error on the
field, nothing saved. Never shown back, never e-mailed; the audit entry names the fields, not the values."""

import pytest
from django.urls import reverse

from conference.models import AuditLog
from conference.services import AccordError
from logistics.models import BankDetails, DelegationFunding, Itinerary
from logistics.services_allowances import bank_details_check
from registration.enums import ParticipantStatus
from tests.factories import DelegationFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

IBAN = "EG380019000500000000263180002"
GOOD = {"account_holder": "Amal Haddad", "bank_name": "National Bank of Egypt", "iban": "eg38 0019 0005 0000 0000 2631 8000 2",
        "swift_bic": "nbegegcx"}


@pytest.mark.parametrize(("change", "message"), [
    ({"account_holder": " "}, "Account holder: this field is required."),
    ({"iban": ""}, "IBAN or account number: this field is required."),
    ({"iban": IBAN[:-1] + "3"}, "IBAN or account number: the check digits do not match: look for a typing error."),
    ({"iban": IBAN[:-2]}, "IBAN or account number: an IBAN of EG has 29 characters, this one has 27."),
    ({"iban": "ZZ12345678"}, "IBAN or account number: ZZ does not issue IBANs; give the account number without it, "
                             "and the SWIFT/BIC."),
    ({"iban": "EG38-0019-0005"}, "IBAN or account number: use only letters and digits."),
    ({"iban": "1234-5678"}, "IBAN or account number: give an IBAN, or an account number of 4 to 34 letters and "
                            "digits."),
    ({"iban": "0123456789", "swift_bic": ""}, "SWIFT/BIC: give the bank's code with an account number that is not "
                                              "an IBAN."),
    ({"swift_bic": "NBEG"}, "SWIFT/BIC: 8 or 11 letters and digits (bank, country, place, branch)."),
    ({"swift_bic": "NBEGQQCX"}, "SWIFT/BIC: 8 or 11 letters and digits (bank, country, place, branch)."),
])
def test_bad_bank_details_are_refused_naming_the_field(change, message):
    with pytest.raises(AccordError) as refused:
        bank_details_check(GOOD | change)
    assert str(refused.value) == message


def test_good_bank_details_are_kept_compact():
    assert bank_details_check(GOOD) == {"account_holder": "Amal Haddad", "bank_name": "National Bank of Egypt",
                                        "iban": IBAN, "swift_bic": "NBEGEGCX"}
    # A country outside the IBAN registry: the account number, with the bank's SWIFT/BIC.
    assert bank_details_check(GOOD | {"iban": "0123 4567 89", "swift_bic": "FBNINGLA"})["iban"] == "0123456789"
    assert bank_details_check(GOOD | {"iban": "GB82 WEST 1234 5698 7654 32", "swift_bic": "WESTGB2L"})["iban"] == (
        "GB82WEST12345698765432")


def _funded_participant(conference, **fields):
    user = UserFactory()
    participant = ParticipantFactory(conference=conference, user=user, email=user.email, **fields)
    Itinerary.objects.create(participant=participant, funding="funded")
    return user, participant


def test_own_bank_details_saved_never_shown_back_nor_mailed(client, conference, mailoutbox):
    user, participant = _funded_participant(conference)
    client.force_login(user)
    travel = client.get(reverse("registration:logistics_own_travel")).content.decode()
    url = reverse("registration:logistics_own_bank_details")
    assert url in travel
    response = client.post(url, GOOD | {"iban": IBAN[:-1] + "3"})
    assert response.status_code == 400
    assert response.context["form"].errors["iban"] == [
        "IBAN or account number: the check digits do not match: look for a typing error."]
    assert 'aria-invalid="true"' in response.content.decode() and 'role="alert"' in response.content.decode()
    assert not BankDetails.objects.exists()
    assert client.post(url, GOOD).status_code == 302
    details = BankDetails.objects.get(participant=participant)
    assert (details.iban, details.swift_bic, details.account_holder) == (IBAN, "NBEGEGCX", "Amal Haddad")
    entry = AuditLog.objects.get(action="logistics.bank_details_save")
    assert entry.actor == user and entry.changes == {"replaced": ["account_holder", "bank_name", "iban", "swift_bic"]}
    page = client.get(url).content.decode()
    assert "on file since" in page and IBAN not in page and "Amal Haddad" not in page
    assert mailoutbox == []


def test_bank_details_only_for_funded_approved_participants(client, conference):
    user = UserFactory()
    ParticipantFactory(conference=conference, user=user, email=user.email)  # funding not decided
    client.force_login(user)
    url = reverse("registration:logistics_own_bank_details")
    assert client.get(url).status_code == 404
    assert "bank-details" not in client.get(reverse("registration:logistics_own_travel")).content.decode()
    other, submitted = _funded_participant(conference, status=ParticipantStatus.SUBMITTED)
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(url, GOOD).status_code == 404 and not BankDetails.objects.exists()


def test_focal_point_enters_a_members_bank_details_of_their_delegation_only(client, conference):
    focal = UserFactory()
    delegation = DelegationFactory(conference=conference, code="TUN")
    delegation.focal_points.add(focal)
    DelegationFunding.objects.create(delegation=delegation, funding="funded")
    member = ParticipantFactory(conference=conference, delegation=delegation)
    stranger = ParticipantFactory(conference=conference)
    Itinerary.objects.create(participant=stranger, funding="funded")
    client.force_login(focal)
    travel = client.get(reverse("registration:logistics_member_travel", kwargs={
        "code": "TUN", "public_id": member.public_id})).content.decode()
    url = reverse("registration:logistics_member_bank_details", kwargs={"code": "TUN", "public_id": member.public_id})
    assert url in travel
    assert client.post(url, GOOD | {"iban": "TN59 1000 6035 1835 9847 8831", "swift_bic": "BCTNTNTT"}
                       ).status_code == 302
    assert BankDetails.objects.get(participant=member).iban == "TN5910006035183598478831"
    assert AuditLog.objects.get(action="logistics.bank_details_save").actor == focal
    for code, public_id in (("TUN", stranger.public_id), (stranger.delegation.code, stranger.public_id)):
        url = reverse("registration:logistics_member_bank_details", kwargs={"code": code, "public_id": public_id})
        assert client.get(url).status_code == 404
        assert client.post(url, GOOD).status_code == 404
    assert BankDetails.objects.count() == 1


def test_bank_details_form_is_right_to_left_in_arabic(client, conference, settings):
    user, _participant = _funded_participant(conference, preferred_language="ar")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get(reverse("registration:logistics_own_bank_details")).content.decode()
    assert '<html lang="ar" dir="rtl">' in page and 'name="iban"' in page and 'dir="ltr"' in page
