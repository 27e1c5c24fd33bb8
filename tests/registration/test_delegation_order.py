"""Issue 24.11: delegation lists (open-request form, admin filters) follow the names shown in the page's language,
not the codes."""

import re

import pytest
from django.urls import reverse

from tests.factories import DelegationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

# Code order: CHE, DZA, EGY, ESP, IRQ, MAR, TCD, TUN.
COUNTRIES = {"CHE": "CH", "DZA": "DZ", "EGY": "EG", "ESP": "ES", "IRQ": "IQ", "MAR": "MA", "TCD": "TD", "TUN": "TN"}
# Algérie, Égypte (with the E's, not after Z), Espagne, Irak, Maroc, Suisse, Tchad, Tunisie.
FRENCH = ["DZA", "EGY", "ESP", "IRQ", "MAR", "CHE", "TCD", "TUN"]
# أسبانيا، الجزائر، العراق، المغرب، تشاد، تونس، سويسرا، مصر
ARABIC = ["ESP", "DZA", "IRQ", "MAR", "TCD", "TUN", "CHE", "EGY"]


@pytest.fixture
def delegations(conference):
    return {
        DelegationFactory(conference=conference, code=code, country=country).pk: code
        for code, country in COUNTRIES.items()
    }


@pytest.mark.parametrize(("language", "expected"), [("fr", FRENCH), ("ar", ARABIC)])
def test_open_request_form_lists_delegations_by_localized_name(client, delegations, language, expected):
    client.force_login(UserFactory(email="karim@example.org", username="karim@example.org"))
    page = client.get(reverse("registration:open_request"), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    select = re.search(r'<select name="delegation".*?</select>', page.content.decode(), re.S).group(0)
    values = [int(v) for v in re.findall(r'<option value="(\d+)"', select)]
    assert [delegations[pk] for pk in values] == expected


@pytest.mark.parametrize("changelist", ["/admin/registration/participant/", "/admin/registration/invitation/"])
@pytest.mark.parametrize(("language", "expected"), [("fr", FRENCH), ("ar", ARABIC)])
def test_admin_delegation_filter_lists_delegations_by_localized_name(client, delegations, changelist, language,
                                                                      expected):
    client.force_login(StaffFactory(username="organizer@example.org"))
    page = client.get(changelist, HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    ids = re.findall(r"\?delegation__id__exact=(\d+)", page.content.decode())
    ordered = list(dict.fromkeys(int(pk) for pk in ids))
    assert [delegations[pk] for pk in ordered] == expected
