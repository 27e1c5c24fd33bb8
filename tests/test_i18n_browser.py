"""Headless Chromium: the language switcher turns the home page to Arabic, laid out right to left."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.browser import LAUNCH_ARGS
from tests.factories import ConferenceFactory, RoomFactory, SessionFactory

ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts"


@pytest.mark.browser
def test_browser_switch_to_arabic_lays_out_right_to_left(live_server, transactional_db, settings, chromium_path,
                                                         monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    conference = ConferenceFactory(slug="sharm2023", name="Inter-regional Conference", name_ar="المؤتمر الأقاليمي",
                                   name_fr="Conférence interrégionale", city_ar="شرم الشيخ")
    room = RoomFactory(conference=conference, name="Hall A", name_ar="القاعة أ")
    SessionFactory(conference=conference, room=room, kind="opening", title="Opening ceremony",
                   title_ar="حفل الافتتاح")
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.set_default_timeout(15000)
            page.goto(f"{live_server.url}/")
            assert page.evaluate("document.documentElement.dir") == "ltr"
            expect(page.locator(".main-nav")).to_contain_text("Programme")

            page.locator(".language-switcher button[value=ar]").click()
            expect(page.locator("html")).to_have_attribute("lang", "ar")
            assert page.evaluate("document.documentElement.dir") == "rtl"
            assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
            expect(page.locator("main")).to_contain_text("المؤتمر الأقاليمي")
            expect(page.locator(".main-nav")).to_contain_text("البرنامج")

            # Mirrored layout: the first navigation item is at the right, later ones to its left; the brand is
            # at the right edge of the header and the language switcher at its left edge.
            items = page.locator(".main-nav > a")
            first, last = items.first.bounding_box(), items.last.bounding_box()
            assert first["x"] > last["x"]
            brand = page.locator(".brand").bounding_box()
            switcher = page.locator(".language-switcher").bounding_box()
            assert brand["x"] > switcher["x"]
            assert brand["x"] + brand["width"] > 1280 * 0.8 and switcher["x"] < 1280 * 0.2

            page.screenshot(path=str(ARTIFACTS / "home-ar.png"), full_page=True)

            page.goto(f"{live_server.url}/programme/day/2023-07-10/")
            expect(page.locator("main")).to_contain_text("حفل الافتتاح")
            expect(page.locator("main")).to_contain_text("09:00")
            page.screenshot(path=str(ARTIFACTS / "programme-ar.png"), full_page=True)

            # The choice sticks across pages (cookie), and switching back restores left to right.
            page.goto(f"{live_server.url}/accounts/login/")
            assert page.evaluate("document.documentElement.dir") == "rtl"
            page.locator(".language-switcher button[value=fr]").click()
            expect(page.locator("html")).to_have_attribute("lang", "fr")
            assert page.evaluate("document.documentElement.dir") == "ltr"
            expect(page.locator("main")).to_contain_text("Se connecter")

            # A browser set to Arabic gets Arabic on its first visit (Accept-Language), before any choice.
            arabic = browser.new_context(locale="ar-EG").new_page()
            arabic.goto(f"{live_server.url}/")
            assert arabic.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
        finally:
            browser.close()
    assert (ARTIFACTS / "home-ar.png").stat().st_size > 10_000
