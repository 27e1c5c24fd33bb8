"""Who reaches what: anonymous users log in first; account pages use the site layout; no address enumeration."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import DelegationFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # allauth's rate limits live in the cache
    yield
    cache.clear()


def test_access_anonymous_redirected_to_login_everywhere(client, conference):
    delegation = DelegationFactory(conference=conference, code="EGY")
    member = ParticipantFactory(conference=conference, delegation=delegation)
    gets = [
        reverse("registration:delegations"),
        reverse("registration:delegation", kwargs={"code": "EGY"}),
        reverse("registration:delegation_letter", kwargs={"code": "EGY"}),
        reverse("registration:delegation_substitute", kwargs={"code": "EGY", "public_id": member.public_id}),
        reverse("registration:register"),
        reverse("registration:register_status"),
        reverse("registration:register_step", kwargs={"step": 1}),
        reverse("registration:register_photo"),
        reverse("registration:open_request"),
    ]
    posts = [
        reverse("registration:delegation_nominate", kwargs={"code": "EGY"}),
        reverse("registration:delegation_letter_upload", kwargs={"code": "EGY"}),
        reverse("registration:delegation_decide", kwargs={"code": "EGY", "public_id": member.public_id}),
        reverse("registration:register_submit"),
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url
    for url in posts:
        response = client.post(url, {"decision": "approve"})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url
    member.refresh_from_db()
    assert member.status == "approved"


def test_access_user_without_delegation_sees_none(client, conference):
    DelegationFactory(conference=conference, code="EGY")
    client.force_login(UserFactory())
    response = client.get(reverse("registration:delegations"))
    assert response.status_code == 200
    assert list(response.context["delegations"]) == []
    assert client.get(reverse("registration:delegation", kwargs={"code": "EGY"})).status_code == 404


def test_access_member_public_id_not_database_id(client, conference):
    user = UserFactory()
    delegation = DelegationFactory(conference=conference, code="EGY")
    delegation.focal_points.add(user)
    member = ParticipantFactory(conference=conference, delegation=delegation)
    client.force_login(user)
    html = client.get(reverse("registration:delegation", kwargs={"code": "EGY"})).content.decode()
    assert f"/members/{member.public_id}/" in html
    assert f"/members/{member.pk}/" not in html
    url = reverse("registration:delegation_substitute", kwargs={"code": "EGY", "public_id": str(member.pk)})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["account_login", "account_signup", "account_reset_password", "account_reset_password_done"],
)
def test_access_account_pages_extend_site_layout(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-header"' in html and 'class="language-switcher"' in html
    assert "base.html" in [template.name for template in response.templates]


def test_access_account_pages_translated(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="fr"' in response.content.decode()


def test_access_password_reset_same_answer_for_known_and_unknown(client, mailoutbox, django_capture_on_commit_callbacks):
    from allauth.account.models import EmailAddress

    user = UserFactory(username="known@example.org", email="known@example.org")
    EmailAddress.objects.create(user=user, email="known@example.org", verified=True, primary=True)
    url = reverse("account_reset_password")
    # Account e-mails are queued for the worker after commit (run here in-process, eagerly).
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "known@example.org"})
        unknown = client.post(url, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    # Identical pages apart from the (per-response masked) CSRF token.
    done_known = CSRF.sub("", client.get(known["Location"]).content.decode())
    done_unknown = CSRF.sub("", client.get(unknown["Location"]).content.decode())
    assert done_known == done_unknown
    assert "If an account uses this address" in done_known
    # The owner of each address gets a mail; only the known one contains a reset link.
    assert sorted(message.to[0] for message in mailoutbox) == ["known@example.org", "nobody@example.org"]
    known_mail = next(m for m in mailoutbox if m.to == ["known@example.org"])
    assert "/accounts/password/reset/key/" in known_mail.body
    unknown_mail = next(m for m in mailoutbox if m.to == ["nobody@example.org"])
    assert "/accounts/password/reset/key/" not in unknown_mail.body
