"""One "own participant" (registration.selectors.own_participant): the same answer on every page.

A participation is the user's own when it is linked to the account, or registered under one of the account's
verified e-mail addresses; an unverified address never finds one.
"""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from registration.selectors import own_participant
from sessions_app.models import SessionSignup
from tests.factories import ConferenceFactory, ParticipantFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _user_with_address(email: str, *, verified: bool):
    user = UserFactory(username="someone@example.org")
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=False)
    return user


@pytest.fixture
def session(conference):
    return SessionFactory(conference=conference, signup_required=True, is_public=True, title="Open plenary")


def _pages(client, session) -> dict[str, bool]:
    """For each page, whether it treated the logged-in user as a participant of the conference."""
    me = client.get(reverse("sessions_app:me"))
    detail = client.get(reverse("sessions_app:session", args=[session.pk])).content.decode()
    request_page = client.get(reverse("registration:open_request"))
    client.post(reverse("sessions_app:signup", args=[session.pk]))
    signed_up = SessionSignup.objects.filter(session=session).exists()
    status = client.get(reverse("registration:register_status"))
    return {
        "my agenda": me.status_code == 200,
        "session page": reverse("sessions_app:signup", args=[session.pk]) in detail,
        "open request": request_page.status_code == 302 and request_page.url == reverse("registration:register"),
        "sign-up": signed_up,
        "status page": "registration/register_status.html" in [t.name for t in status.templates],
    }


def test_verified_email_finds_the_participant_on_every_page(client, conference, session):
    participant = ParticipantFactory(conference=conference, email="amira.haddad@example.org", user=None)
    user = _user_with_address("Amira.Haddad@Example.org", verified=True)
    assert own_participant(user, conference) == participant
    client.force_login(user)
    assert _pages(client, session) == dict.fromkeys(
        ["my agenda", "session page", "open request", "sign-up", "status page"], True
    )
    assert SessionSignup.objects.get(session=session).participant == participant


def test_unverified_email_finds_nothing_on_any_page(client, conference, session):
    ParticipantFactory(conference=conference, email="amira.haddad@example.org", user=None)
    user = _user_with_address("amira.haddad@example.org", verified=False)
    assert own_participant(user, conference) is None
    client.force_login(user)
    assert _pages(client, session) == dict.fromkeys(
        ["my agenda", "session page", "open request", "sign-up", "status page"], False
    )


def test_linked_account_first_then_verified_address_never_another_accounts_participation(conference):
    user = _user_with_address("shared@example.org", verified=True)
    # Registered under the user's verified address, but linked to another account: not theirs.
    ParticipantFactory(conference=conference, email="shared@example.org", user=UserFactory())
    assert own_participant(user, conference) is None
    linked = ParticipantFactory(conference=conference, user=user)
    assert own_participant(user, conference) == linked
    other_conference = ConferenceFactory(slug="other")
    assert own_participant(user, other_conference) is None
    assert own_participant(user, None) is None


def test_own_participant_one_query_when_linked_two_by_address(conference, django_assert_num_queries):
    user = _user_with_address("linked-later@example.org", verified=True)
    participant = ParticipantFactory(conference=conference, email="linked-later@example.org", user=None)
    with django_assert_num_queries(2):
        found = own_participant(user, conference)
    assert found == participant
    participant.user = user
    participant.save(update_fields=["user"])
    with django_assert_num_queries(1):
        found = own_participant(user, conference)
    assert found.conference is conference
    assert str(found.delegation) == str(participant.delegation)

