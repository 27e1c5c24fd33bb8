"""allauth's account e-mails: queued for the worker (the page never waits for, nor fails with, the SMTP server)
and every link in them on SITE_URL, whatever Host the request came with."""

import re
import socket

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from conference.celery import app as celery_app
from conference.models import OutgoingEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://accord.example.org"
URL = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "accord.example.org"]


def verified_user(email="someone@example.org"):
    user = UserFactory(username=email, email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def closed_port() -> int:
    """A port on this machine where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reset(client, email, **extra):
    return client.post(reverse("account_reset_password"), {"email": email}, **extra)


def test_password_reset_smtp_down_answers_as_for_unknown_address_and_records_failure(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    verified_user()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    with django_capture_on_commit_callbacks() as queued:
        known = reset(client, "someone@example.org", REMOTE_ADDR="10.9.1.1")
        unknown = reset(client, "nobody@example.org", REMOTE_ADDR="10.9.1.2")
    assert (known.status_code, known["Location"], known.content) == (
        unknown.status_code, unknown["Location"], unknown.content
    ) == (302, reverse("account_reset_password_done"), b"")
    assert len(queued) == 2  # one sending task each, queued after commit
    rows = OutgoingEmail.objects.order_by("id")
    assert list(rows.values_list("to", "template", "status")) == [
        ("someone@example.org", "account/email/password_reset_key", "queued"),
        ("nobody@example.org", "account/email/unknown_account", "queued"),
    ]
    # The worker's side: every try refused, retried, then marked failed for the organizers.
    celery_app.conf.task_eager_propagates = False  # the autouse fixture sets it back
    for callback in queued:
        callback()
    assert list(rows.values_list("status", "attempts", "sent_at")) == [("failed", 7, None)] * 2
    assert all("Connection refused" in error for error in rows.values_list("last_error", flat=True))
    assert mailoutbox == []


def test_password_reset_link_on_site_url_not_request_host(client, mailoutbox, django_capture_on_commit_callbacks):
    verified_user()
    with django_capture_on_commit_callbacks(execute=True):
        response = reset(client, "someone@example.org", HTTP_HOST="localhost")
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["someone@example.org"]]
    message = mailoutbox[0]
    bodies = [message.body] + [content for content, _mimetype in message.alternatives]
    links = [link for body in bodies for link in URL.findall(body)]
    assert links and all(link.startswith(f"{SITE}/") for link in links), links
    assert not any("localhost" in body for body in bodies)
    assert OutgoingEmail.objects.get().status == "sent" and OutgoingEmail.objects.get().text == ""
    # The link works: it leads to the form that sets a new password.
    key_link = next(link for link in links if "/password/reset/key/" in link)
    page = client.get(key_link.removeprefix(SITE), follow=True)
    assert page.status_code == 200 and b'name="password1"' in page.content


def test_unknown_account_email_links_on_site_url(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reset(client, "nobody@example.org", HTTP_HOST="localhost")
    bodies = [mailoutbox[0].body] + [content for content, _mimetype in mailoutbox[0].alternatives]
    assert f"{SITE}{reverse('account_signup')}" in bodies[0]
    assert not any("localhost" in body for body in bodies)


def test_signup_verification_email_link_on_site_url(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "new@example.org", "password1": "a-long-pass-phrase-42", "password2": "a-long-pass-phrase-42"},
            HTTP_HOST="localhost",
        )
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["new@example.org"]]
    links = URL.findall(mailoutbox[0].body)
    assert any("/accounts/confirm-email/" in link for link in links)
    assert all(link.startswith(f"{SITE}/") for link in links), links
