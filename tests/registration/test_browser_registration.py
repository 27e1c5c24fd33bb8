"""The whole path in headless Chromium: invitation link → account → six steps with a photo → submitted →
an organizer approves in the admin → the participant sees "approved" and has the e-mail."""

import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from PIL import Image

from registration.enums import ParticipantStatus
from registration.models import Participant
from registration.services.invitations import invitation_create
from tests.browser import LAUNCH_ARGS, log_in
from tests.factories import ConferenceFactory, DelegationFactory, StaffFactory

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
INVITEE = "amina.haddad@example.org"
PASSWORD = "Sharm-el-Sheikh-2023!"


@pytest.mark.browser
def test_browser_registration_invitation_to_approval(live_server, transactional_db, settings, chromium_path,
                                                      tmp_path, monkeypatch):
    # Playwright's sync API runs an event loop; scoped to this test so it never leaks into later ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    settings.SITE_URL = live_server.url
    cache.clear()
    mail.outbox = []
    ARTIFACTS.mkdir(exist_ok=True)

    conference = ConferenceFactory(slug="sharm2023", name="Inter-regional conference on trafficking in persons")
    delegation = DelegationFactory(conference=conference, code="EGY", country="EG")
    staff = StaffFactory(username="organizer@example.org", email="organizer@example.org")
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)

    # The organizer's invitation; the e-mail (sent after commit by the eager task) carries the only copy of
    # the token.
    invitation_create(conference, email=INVITEE, delegation=delegation, first_name="Amina", last_name="Haddad",
                      language="en", inviter=staff)
    assert [message.to for message in mail.outbox] == [[INVITEE]]
    link = re.search(r"https?://\S+/invite/[^/\s]+/", mail.outbox[0].body).group(0)

    photo = tmp_path / "amina.png"
    Image.new("RGB", (480, 600), (40, 90, 160)).save(photo, format="PNG")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            page = browser.new_context(locale="en-GB").new_page()
            page.set_default_timeout(15000)

            # 1. The invitation link: create the account.
            page.goto(link)
            page.fill("#id_password1", PASSWORD)
            page.fill("#id_password2", PASSWORD)
            page.locator("form button[type=submit], form input[type=submit]").last.click()
            page.wait_for_url(f"{live_server.url}/register/**")
            participant = Participant.objects.get(conference=conference, email=INVITEE)
            assert participant.user is not None

            # 2. The six steps.
            page.goto(f"{live_server.url}/register/step/1/")
            page.select_option("#id_title", "dr")
            page.fill("#id_first_name", "Amina")
            page.fill("#id_last_name", "Haddad")
            page.fill("#id_badge_name", "Dr. Amina Haddad")
            page.fill("#id_badge_name_ar", "أمينة حداد")
            page.select_option("#id_gender", "female")
            page.fill("#id_position", "Public prosecutor")
            page.fill("#id_organization", "Ministry of Justice")
            page.select_option("#id_nationality", "EG")
            page.fill("#id_phone", "+20 69 360 0000")
            page.select_option("#id_preferred_language", "en")
            page.check("input[name=languages_spoken][value=ar]")
            page.check("input[name=languages_spoken][value=en]")
            page.click("#save-step")
            page.wait_for_url("**/register/step/2/")

            page.set_input_files("#id_photo", str(photo))
            page.click("#save-step")
            page.wait_for_url("**/register/step/3/")

            page.fill("#id_dietary_needs", "Vegetarian")
            page.click("#save-step")
            page.wait_for_url("**/register/step/4/")

            page.fill("#id_arrival_date", "2023-07-09")
            page.fill("#id_arrival_time", "14:30")
            page.fill("#id_arrival_flight", "MS 123")
            page.fill("#id_arrival_airport", "SSH")
            page.fill("#id_departure_date", "2023-07-14")
            page.fill("#id_departure_time", "09:00")
            page.check("#id_transfer_needed")
            page.check("#id_hotel_needed")
            page.select_option("#id_room_sharing", "single")
            page.click("#save-step")
            page.wait_for_url("**/register/step/5/")

            page.check("#id_needs_visa_letter")
            page.fill("#id_passport_number", "A1234567")
            page.fill("#id_passport_expiry", "2030-05-01")
            page.select_option("#id_issuing_country", "EG")
            page.fill("#id_date_of_birth", "1980-03-15")
            page.click("#save-step")
            page.wait_for_url("**/register/step/6/")

            page.check("#id_privacy")
            page.check("#id_directory")
            page.click("#save-step")
            page.wait_for_url(f"{live_server.url}/register/")

            page.click("#submit-registration")
            expect(page.locator(".registration-status .status")).to_have_text("Submitted")
            assert "A1234567" not in page.content()
            page.screenshot(path=str(ARTIFACTS / "registration-submitted.png"), full_page=True)
            participant.refresh_from_db()
            assert participant.status == ParticipantStatus.SUBMITTED
            assert participant.photo

            # 3. The organizer approves in the admin.
            admin = browser.new_context(locale="en-GB").new_page()
            admin.set_default_timeout(15000)
            log_in(admin, live_server.url, staff.email, "/admin/registration/participant/",
                   landing="**/admin/registration/participant/**")
            admin.check(f"input[name=_selected_action][value='{participant.pk}']")
            admin.select_option("select[name=action]", "approve_selected")
            admin.click("button[name=index]")
            admin.click("input[name=apply]")
            expect(admin.locator(".messagelist")).to_contain_text("approved")
            admin.screenshot(path=str(ARTIFACTS / "registration-admin-approved.png"), full_page=True)

            # 4. The participant sees "approved" and has the e-mail.
            page.goto(f"{live_server.url}/register/")
            expect(page.locator(".registration-status .status")).to_have_text("Approved")
            page.screenshot(path=str(ARTIFACTS / "registration-approved.png"), full_page=True)
        finally:
            browser.close()

    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.APPROVED
    assert participant.decided_by == staff
    after_invitation = [message for message in mail.outbox if message.to == [INVITEE]][1:]
    # The approval e-mail, and the visa support letter asked for in the form (with the PDF attached).
    subjects = sorted(message.subject for message in after_invitation)
    assert subjects == [
        "Your registration is approved: Inter-regional conference on trafficking in persons",
        "Your visa support letter: Inter-regional conference on trafficking in persons",
    ]
    letter = next(message for message in after_invitation if "visa" in message.subject)
    assert [attachment[2] for attachment in letter.attachments] == ["application/pdf"]
