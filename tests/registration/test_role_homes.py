"""After logging in, each role lands on a home that shows what it can do; the header greets with the registered
name; a focal point finds "My delegation" in the navigation."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.factories import DelegationFactory, ParticipantFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _log_in(client, user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD},
                           REMOTE_ADDR="10.7.3.1")
    assert response.status_code == 302
    return response


def test_focal_point_lands_on_home_with_delegation_and_nav_entry(client, conference):
    user = UserFactory(username="zq81x7", email="amal@example.org")
    delegation = DelegationFactory(conference=conference, code="TUN", country="TN")
    delegation.focal_points.add(user)
    ParticipantFactory(conference=conference, delegation=delegation, user=user, email=user.email,
                       first_name="Amal", last_name="Trabelsi")
    response = _log_in(client, user)
    assert response["Location"] == reverse("registration:my_home")
    page = client.get(response["Location"])
    body = page.content.decode()
    assert f'<a href="{reverse("registration:delegations")}">My delegation</a>' in body
    assert f'href="{reverse("registration:delegation", kwargs={"code": "TUN"})}"' in body
    assert "Hello, <bdi>Amal Trabelsi</bdi>" in body
    assert "zq81x7" not in body
    assert "We found no registration" not in body
    assert "Signed in as" not in body and "signed in as zq81x7" not in body.lower()


def test_participant_home_shows_registration_and_agenda_without_delegation_entry(client, conference):
    user = UserFactory(username="generated12", email="omar@example.org")
    ParticipantFactory(conference=conference, user=user, email=user.email, first_name="Omar", last_name="Said",
                       status="submitted")
    client.get(reverse("registration:my_home"))  # anonymous: to the login page
    _log_in(client, user)
    body = client.get(reverse("registration:my_home")).content.decode()
    assert "Registration: Submitted" in body
    assert f'href="{reverse("registration:register")}"' in body and f'href="{reverse("sessions_app:me")}"' in body
    assert ">My delegation</a>" not in body
    assert "Hello, <bdi>Omar Said</bdi>" in body


def test_staff_home_links_administration_desk_and_dashboard(client, conference, settings):
    settings.ACCORD_REQUIRE_STAFF_MFA = False
    client.force_login(StaffFactory(email="staff@example.org"))
    body = client.get(reverse("registration:my_home")).content.decode()
    for url in (reverse("admin:index"), reverse("registration:desk"),
                reverse("admin:registration_participant_dashboard", args=[conference.pk])):
        assert f'href="{url}"' in body
    assert "Hello, <bdi>staff@example.org</bdi>" in body


def test_person_without_role_is_told_how_to_attend(client, conference):
    client.force_login(UserFactory(email="new@example.org"))
    body = client.get(reverse("registration:my_home")).content.decode()
    assert "If you received an invitation, open the link in the e-mail." in body
    assert f'href="{reverse("registration:open_request")}"' in body


def test_login_message_names_the_person_not_the_username(client, conference):
    user = UserFactory(username="x9k2p", email="leila@example.org")
    ParticipantFactory(conference=conference, user=user, email=user.email, first_name="Leïla", last_name="Ben Ali")
    _log_in(client, user)
    messages = [str(m) for m in client.get(reverse("registration:my_home")).context["messages"]]
    assert messages == ["Successfully signed in as Leïla Ben Ali."]


def test_focal_point_without_own_registration_sees_delegations_before_the_no_registration_notice(client, conference):
    user = UserFactory(email="focal.only@example.org")
    DelegationFactory(conference=conference, code="MAR", country="MA").focal_points.add(user)
    client.force_login(user)
    body = client.get(reverse("registration:register")).content.decode()
    assert body.index("Delegations you manage") < body.index("We found no registration")
    assert body.count("Delegations you manage") == 1
