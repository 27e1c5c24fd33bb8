"""Security settings and behaviour that cut across apps: CSP, cookies, HSTS, login redirects, rate limits, MFA."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress

from tests.factories import ConferenceFactory, ParticipantFactory, StaffFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def _verified_user(email="someone@example.org", password="correct-horse-battery", **extra):
    user = UserFactory(username=email, email=email, password=password, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_csp_header_on_pages_has_no_unsafe_inline_scripts(client):
    ConferenceFactory(slug="sharm2023")
    for url in ["/", "/accounts/login/"]:
        response = client.get(url)
        assert response.status_code == 200
        policy = response.headers["Content-Security-Policy"]
        directives = dict(
            (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
        )
        assert "'unsafe-inline'" not in directives["script-src"]
        assert "'self'" in directives["script-src"]
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"


def test_login_redirect_ignores_foreign_next(client):
    _verified_user()
    response = client.post(
        "/accounts/login/?next=https://evil.example.net/steal",
        {"login": "someone@example.org", "password": "correct-horse-battery"},
        REMOTE_ADDR=f"10.9.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}",
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("http")
    assert "evil.example.net" not in response["Location"]


def test_login_redirect_keeps_local_next(client):
    _verified_user()
    response = client.post(
        "/accounts/login/?next=/admin/",
        {"login": "someone@example.org", "password": "correct-horse-battery"},
        REMOTE_ADDR="10.8.1.1",
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_failed_logins_are_rate_limited(client):
    _verified_user()
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"
    answers = []
    for _ in range(7):
        response = client.post(
            "/accounts/login/",
            {"login": "someone@example.org", "password": "wrong-password"},
            REMOTE_ADDR=address,
        )
        answers.append("Too many failed login attempts" in response.content.decode())
    assert answers[0] is False
    assert answers[-1] is True
    # Even the right password is refused while the limit holds.
    response = client.post(
        "/accounts/login/",
        {"login": "someone@example.org", "password": "correct-horse-battery"},
        REMOTE_ADDR=address,
    )
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()


def test_login_requests_are_rate_limited_per_address(client):
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.9"
    statuses = [
        client.post("/accounts/login/", {"login": f"x{i}@example.org", "password": "nope"}, REMOTE_ADDR=address)
        .status_code
        for i in range(35)
    ]
    assert statuses[0] == 200
    assert statuses[-1] == 429


def test_password_reset_answers_the_same_for_known_and_unknown(client):
    _verified_user()
    known = client.post("/accounts/password/reset/", {"email": "someone@example.org"}, REMOTE_ADDR="10.7.1.1")
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"}, REMOTE_ADDR="10.7.1.2")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_staff_without_totp_sent_to_set_it_up_when_required(client, settings):
    settings.ACCORD_REQUIRE_STAFF_MFA = True
    staff = StaffFactory()
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate")


def test_staff_reach_admin_when_mfa_not_required(client, settings):
    settings.ACCORD_REQUIRE_STAFF_MFA = False
    client.force_login(StaffFactory())
    assert client.get("/admin/").status_code == 200


def test_non_staff_cannot_reach_admin(client):
    client.force_login(_verified_user())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_participant_preferred_language_applies_after_login(client):
    participant = ParticipantFactory(preferred_language="ar")
    user = _verified_user(email=participant.email)
    participant.user = user
    participant.save(update_fields=["user"])
    client.force_login(user)
    page = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page


def test_language_cookie_beats_saved_preference(client, settings):
    participant = ParticipantFactory(preferred_language="ar")
    user = _verified_user(email=participant.email)
    participant.user = user
    participant.save(update_fields=["user"])
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get("/").content.decode()
    assert '<html lang="fr" dir="ltr">' in page


def _production_settings(**extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 20 + uuid.uuid4().hex + uuid.uuid4().hex,
        ALLOWED_HOSTS="accord.example.org",
        SITE_URL="https://accord.example.org",
        **extra_env,
    )
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', 'DEBUG', 'ACCORD_REQUIRE_STAFF_MFA', "
        "'LANGUAGE_COOKIE_SECURE', 'CELERY_ACCEPT_CONTENT']}))"
    )
    env["DJANGO_SETTINGS_MODULE"] = "conference.settings"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    return result


def test_production_settings_are_secure():
    result = _production_settings()
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        "DEBUG": False,
        "ACCORD_REQUIRE_STAFF_MFA": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "CELERY_ACCEPT_CONTENT": ["json"],
    }


def test_uploaded_files_are_not_served_from_media_url(client, settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("nomination-letters/1/EGY.pdf", ContentFile(b"%PDF-1.4 secret"))
    assert client.get(f"/media/{name}").status_code == 404
