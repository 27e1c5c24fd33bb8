"""The desk's scan answer in headless Chromium (issue 24 items 6 and 7): photo, both scripts, flag image, the
category colour large, the offline banner with the queued count, times in the conference's zone."""

import datetime
import io
import os
import zoneinfo
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.core.files.base import ContentFile
from PIL import Image

from onsite.services.badges import badge_code
from registration.enums import ParticipantCategory
from tests.browser import AXE, LAUNCH_ARGS, axe_violations, log_in
from tests.factories import ConferenceFactory, DelegationFactory, StaffFactory
from tests.onsite.factories import approved_with_badge

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _photo() -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (300, 400), (225, 205, 180))
    image.paste((60, 60, 90), (90, 60, 210, 200))
    image.save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.browser
def test_browser_desk_scan_answer_photo_flag_category_offline_banner(
    live_server, transactional_db, settings, chromium_path
):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import expect, sync_playwright

    settings.ACCORD_DEFAULT_CONFERENCE = "desk-answer"
    cache.clear()
    ARTIFACTS.mkdir(exist_ok=True)
    conference = ConferenceFactory(slug="desk-answer", time_zone="Africa/Cairo")
    staff = StaffFactory(username="desk2@example.org", email="desk2@example.org", first_name="Desk", last_name="Two")
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    tunisia = DelegationFactory(conference=conference, code="TUN", country="TN")
    jordan = DelegationFactory(conference=conference, code="JOR", country="JO")
    amina = approved_with_badge(conference=conference, delegation=tunisia, badge_name="Amina Haddad",
                                badge_name_ar="أمينة حداد", category=ParticipantCategory.HEAD_OF_DELEGATION, position="Judge")
    amina.photo.save("a.jpg", ContentFile(_photo()), save=True)
    namesake = approved_with_badge(conference=conference, delegation=jordan, badge_name="Amina Haddad",
                                   category=ParticipantCategory.EXPERT)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            # The desk machine's own clock is in another zone: times shown must still be Cairo's.
            context = browser.new_context(locale="en-GB", timezone_id="America/New_York", viewport={"width": 1280, "height": 900})
            context.add_init_script(path=str(AXE))
            page = context.new_page()
            page.set_default_timeout(15000)
            log_in(page, live_server.url, staff.email, "/desk/scan/")
            banner = page.locator("#net-state")
            expect(banner).to_contain_text("Online")
            expect(banner.locator(".queued-count")).to_have_text("0")

            page.keyboard.type(badge_code(amina.badge))
            page.keyboard.press("Enter")
            answer = page.locator("#scan-last")
            expect(answer.locator(".scan-verdict")).to_have_text("Amina Haddad is checked in.")
            expect(answer.locator(".scan-name-ar")).to_have_text("أمينة حداد")
            expect(answer.locator(".scan-delegation img.flag")).to_have_attribute("src", "/static/pdf/flags/tn.png")
            expect(answer.locator(".scan-details")).to_contain_text("Judge · TUN")
            band = answer.locator(".category-band")
            expect(band).to_have_text("Head of delegation")
            assert band.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(139, 26, 26)"
            assert band.bounding_box()["height"] >= 48
            photo = answer.locator("img.scan-photo")
            expect(photo).to_be_visible()
            page.wait_for_function("() => { const i = document.querySelector('#scan-last img.scan-photo');"
                                   " return i && i.complete && i.naturalWidth > 0; }")
            assert photo.evaluate("img => img.naturalWidth") == 300
            assert photo.bounding_box()["width"] >= 120
            # No emoji anywhere in the answer (a desk machine may have no emoji font).
            assert not any(ord(ch) > 0x2600 and not 0x0600 <= ord(ch) <= 0x06FF for ch in answer.inner_text())
            page.screenshot(path=str(ARTIFACTS / "desk-scan-answer.png"), full_page=True)
            assert axe_violations(page) == []  # the answer as shown: no accessibility violation

            # The log's time is Cairo's local time, not the device's (New York).
            cairo_now = datetime.datetime.now(zoneinfo.ZoneInfo("Africa/Cairo"))
            logged = page.locator("#scan-log li time").first.inner_text()
            assert logged[:2] in {cairo_now.strftime("%H"), (cairo_now - datetime.timedelta(minutes=1)).strftime("%H")}
            expect(page.locator(".timezone-note")).to_contain_text("Africa/Cairo")

            # The namesake: another delegation, no photo, another category colour.
            page.keyboard.type(badge_code(namesake.badge))
            page.keyboard.press("Enter")
            expect(answer.locator(".scan-delegation")).to_contain_text("Jordan")
            expect(answer.locator(".scan-delegation img.flag")).to_have_attribute("src", "/static/pdf/flags/jo.png")
            expect(answer.locator(".scan-details")).to_have_text("JOR")
            expect(answer.locator(".scan-photo")).to_have_text("No photo")
            assert answer.locator(".category-band").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(46, 125, 50)"

            # Offline: a red banner, the queued scans counted.
            context.set_offline(True)
            page.evaluate("window.dispatchEvent(new Event('offline'))")
            expect(banner).to_have_class("net-banner offline")
            expect(banner).to_contain_text("Offline")
            page.keyboard.type(badge_code(amina.badge))
            page.keyboard.press("Enter")
            page.keyboard.type("forged:code")
            page.keyboard.press("Enter")
            expect(banner.locator(".queued-count")).to_have_text("2")
            assert banner.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(166, 27, 18)"
            page.screenshot(path=str(ARTIFACTS / "desk-offline-banner.png"), full_page=True)
            assert axe_violations(page) == []
            context.set_offline(False)
            expect(banner.locator(".queued-count")).to_have_text("0", timeout=20000)
            expect(banner).to_have_class("net-banner")
        finally:
            browser.close()
