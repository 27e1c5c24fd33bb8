"""Staff two-factor authentication on every way in (admin login, allauth login, desk, scan API), and the same
login rate limits on every login form, whatever X-Forwarded-For says (issue 20, item 1)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import struct
import time
import uuid

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from django.urls import reverse

from logistics.models import TravelDocument
from onsite.models import CheckIn
from onsite.services.badges import badge_code, badge_ensure
from registration.enums import ParticipantStatus
from tests.factories import ParticipantFactory, StaffFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
TOO_MANY = "Too many failed login attempts"


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The current RFC 6238 code (SHA-1, 30 s, 6 digits) of a base32 secret, as an authenticator app shows it."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


def staff_with_totp(email: str = "organizer@example.org"):
    """A staff member with a verified e-mail address and TOTP set up; returns (user, base32 secret)."""
    staff = StaffFactory(username=email, email=email)
    EmailAddress.objects.create(user=staff, email=email, verified=True, primary=True)
    secret = base64.b32encode(secrets.token_bytes(20)).decode()
    Authenticator.objects.create(
        user=staff, type=Authenticator.Type.TOTP, data={"secret": get_mfa_adapter().encrypt(secret)}
    )
    return staff, secret


def address() -> str:
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


@pytest.fixture
def mfa_required(settings):
    settings.ACCORD_REQUIRE_STAFF_MFA = True


@pytest.fixture
def participant(conference):
    person = ParticipantFactory(conference=conference, status=ParticipantStatus.APPROVED)
    TravelDocument.objects.create(participant=person, passport_number="P9876543")
    badge_ensure(person)
    return person


def _scan(client, participant):
    return client.post(
        reverse("registration:desk_scan"),
        data=json.dumps({"code": badge_code(participant.badge), "client_id": str(uuid.uuid4())}),
        content_type="application/json",
    )


def _assert_staff_pages_closed(client, participant, *, sent_to: dict[str, str]):
    """The admin, a participant's change page (passport data), the desk and its scan page redirect to the page
    named for each prefix; the scan API answers 403 JSON and checks nobody in."""
    change = reverse("admin:registration_participant_change", args=[participant.pk])
    for url in ["/admin/", change, reverse("registration:desk"), reverse("registration:desk_scan")]:
        response = client.get(url)
        expected = next(target for prefix, target in sent_to.items() if url.startswith(prefix))
        assert (response.status_code, response["Location"].split("?")[0]) == (302, expected), url
    scan = _scan(client, participant)
    assert scan.status_code == 403
    assert "error" in scan.json()
    assert CheckIn.objects.count() == 0


def test_admin_login_with_password_alone_logs_nobody_in(client, mfa_required, participant):
    staff, _secret = staff_with_totp()

    response = client.post(
        "/admin/login/?next=/admin/", {"username": staff.username, "password": PASSWORD}, REMOTE_ADDR=address()
    )

    # Django's password-only form is gone: the admin login sends visitors to allauth's login (TOTP stage, limits).
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert "_auth_user_id" not in client.session
    _assert_staff_pages_closed(client, participant, sent_to={"/admin/": "/admin/login/", "/": "/accounts/login/"})
    change = client.get(reverse("admin:registration_participant_change", args=[participant.pk]))
    assert b"P9876543" not in change.content


def test_allauth_login_with_password_alone_stops_at_the_totp_stage(client, mfa_required, participant):
    staff, _secret = staff_with_totp()

    response = client.post("/accounts/login/?next=/admin/", {"login": staff.email, "password": PASSWORD},
                           REMOTE_ADDR=address())

    assert (response.status_code, response["Location"]) == (302, "/accounts/2fa/authenticate/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    assert client.get(reverse("registration:desk")).status_code == 302
    assert _scan(client, participant).status_code == 403
    assert CheckIn.objects.count() == 0


def test_session_that_did_not_pass_totp_reaches_no_staff_page(client, mfa_required, participant):
    """A session logged in without the TOTP stage (Django's login(), as the old admin login did) is sent to the
    MFA re-authentication: not the admin, the passport data, the desk, the scan API or the account pages."""
    staff, _secret = staff_with_totp()
    client.force_login(staff)

    _assert_staff_pages_closed(client, participant, sent_to={"/": "/accounts/2fa/reauthenticate/"})
    assert _scan(client, participant).json() == {"error": "Log in again."}
    page = client.get(reverse("admin:registration_participant_change", args=[participant.pk]))
    assert page["Location"] == (
        f"/accounts/2fa/reauthenticate/?next=/admin/registration/participant/{participant.pk}/change/"
    )
    # Nor can the password alone switch TOTP off on the account pages.
    deactivate = client.get("/accounts/2fa/totp/deactivate/")
    assert deactivate["Location"].startswith("/accounts/2fa/reauthenticate/")
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert client.get("/accounts/2fa/reauthenticate/").status_code == 200


def test_staff_with_totp_code_gets_in(client, mfa_required, participant):
    staff, secret = staff_with_totp()
    ip = address()
    client.post("/accounts/login/?next=/admin/", {"login": staff.email, "password": PASSWORD}, REMOTE_ADDR=ip)

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}, REMOTE_ADDR=ip)

    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200
    change = client.get(reverse("admin:registration_participant_change", args=[participant.pk]))
    assert change.status_code == 200
    assert b"P9876543" in change.content
    assert client.get(reverse("registration:desk")).status_code == 200
    assert _scan(client, participant).json()["result"] == "ok"
    assert CheckIn.objects.filter(participant=participant).count() == 1


def test_admin_login_leads_to_allauth_login_and_totp(client, mfa_required, participant):
    staff, secret = staff_with_totp()
    ip = address()
    to_login = client.get("/admin/", follow=False)["Location"]
    to_allauth = client.get(to_login)["Location"]
    assert to_allauth.startswith("/accounts/login/?next=")

    client.post(to_allauth, {"login": staff.email, "password": PASSWORD}, REMOTE_ADDR=ip)
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}, REMOTE_ADDR=ip, follow=True)

    assert response.redirect_chain[-1] == ("/admin/", 302)
    assert response.status_code == 200
    assert response.context["user"] == staff


def test_mfa_reauthentication_lets_the_session_in(client, mfa_required, participant):
    staff, secret = staff_with_totp()
    client.force_login(staff)
    wrong = client.post("/accounts/2fa/reauthenticate/?next=/admin/", {"code": "000000"})
    assert wrong.status_code == 200
    assert client.get("/admin/").status_code == 302

    response = client.post("/accounts/2fa/reauthenticate/?next=/admin/", {"code": totp_code(secret)})

    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200
    assert _scan(client, participant).json()["result"] == "ok"


def test_staff_without_totp_sent_to_set_it_up_and_scan_refused(client, mfa_required, participant):
    staff = StaffFactory()
    client.force_login(staff)

    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get(reverse("registration:desk"))["Location"] == "/accounts/2fa/totp/activate/"
    assert _scan(client, participant).status_code == 403
    # Setting TOTP up stays open (allauth asks for the password again first).
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith("/accounts/reauthenticate/")
    assert CheckIn.objects.count() == 0


def test_staff_reach_pages_without_totp_when_mfa_not_required(client, settings, participant):
    settings.ACCORD_REQUIRE_STAFF_MFA = False
    client.force_login(StaffFactory())
    assert client.get("/admin/").status_code == 200
    assert _scan(client, participant).json()["result"] == "ok"


# --- The same rate limits on every login form ---------------------------------------------------------------------


def _refused(response) -> bool:
    """Refused by a rate limit: allauth's 429 page (requests per address) or its form error (failures)."""
    return response.status_code == 429 or (response.status_code == 200 and TOO_MANY in response.content.decode())


def _rotating_xff(i: int) -> str:
    return f"198.51.{i // 250}.{i % 250 + 1}"


def test_fifty_failures_from_rotating_xff_lock_out_allauth_login(client, mfa_required):
    staff, _secret = staff_with_totp()
    remote = address()
    answers = [
        client.post("/accounts/login/", {"login": staff.email, "password": f"wrong-{i}"},
                    REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=_rotating_xff(i))
        for i in range(49)
    ]
    right = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD},
                        REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=_rotating_xff(49))

    assert not _refused(answers[0])
    assert _refused(answers[-1])
    # The 50th attempt, with the right password, is refused too: no TOTP stage, nobody logged in.
    assert _refused(right)
    assert "_auth_user_id" not in client.session


def test_fifty_failures_from_rotating_addresses_lock_out_the_account(client, mfa_required):
    """Even from 50 different addresses (a botnet), the account's own limit holds."""
    staff, _secret = staff_with_totp()
    for i in range(49):
        client.post("/accounts/login/", {"login": staff.email, "password": f"wrong-{i}"},
                    REMOTE_ADDR=address(), HTTP_X_FORWARDED_FOR=_rotating_xff(i))
    right = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD}, REMOTE_ADDR=address())

    assert _refused(right)
    assert "_auth_user_id" not in client.session


def test_rotating_the_client_part_of_xff_behind_a_trusted_proxy_does_not_bypass(client, settings, mfa_required):
    """Behind one proxy of ours (ALLAUTH_TRUSTED_PROXY_COUNT=1) the address it appended counts, not what the
    client put before it: failures for many accounts from one client lock that client out."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    staff, _secret = staff_with_totp()
    client_address = address()
    for i in range(49):
        client.post("/accounts/login/", {"login": f"nobody{i}@example.org", "password": "wrong"},
                    REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR=f"{_rotating_xff(i)}, {client_address}")
    right = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD},
                        REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR=f"{_rotating_xff(49)}, {client_address}")
    other_client = client.__class__().post(
        "/accounts/login/", {"login": staff.email, "password": PASSWORD},
        REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR=address(),
    )

    assert _refused(right)
    assert "_auth_user_id" not in client.session
    # Control: another client behind the same proxy is not locked out by the first one's failures.
    assert (other_client.status_code, other_client["Location"]) == (302, "/accounts/2fa/authenticate/")


def test_fifty_failures_on_admin_login_evaluate_no_password(client, mfa_required):
    staff, _secret = staff_with_totp()
    remote = address()
    answers = [
        client.post("/admin/login/", {"username": staff.username, "password": f"wrong-{i}"},
                    REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=_rotating_xff(i))
        for i in range(49)
    ]
    right = client.post("/admin/login/", {"username": staff.username, "password": PASSWORD},
                        REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=_rotating_xff(49))

    # Every attempt, the right password included, is sent to allauth's login (its limits, its TOTP stage).
    assert {(a.status_code, a["Location"].split("?")[0]) for a in [*answers, right]} == {(302, "/accounts/login/")}
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
