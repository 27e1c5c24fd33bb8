"""Headless Chromium: the admin's participant list fits its box in Arabic (right to left) and English, so no
column is cut off on the left (right to left) or the right, with long names and e-mail addresses."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.browser import LAUNCH_ARGS
from tests.factories import ConferenceFactory, DelegationFactory, ParticipantFactory, StaffFactory

OVERFLOW = """() => {
  const box = document.querySelector('#changelist-form .results').getBoundingClientRect();
  const table = document.querySelector('#result_list').getBoundingClientRect();
  return {left: Math.round(box.left - table.left), right: Math.round(table.right - box.right)};
}"""


@pytest.mark.browser
def test_admin_participant_list_fits_its_box_right_to_left(live_server, transactional_db, settings, chromium_path,
                                                           monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    settings.ACCORD_REQUIRE_STAFF_MFA = False
    conference = ConferenceFactory(slug="sharm2023")
    delegation = DelegationFactory(conference=conference, code="EGY")
    for index in range(5):
        ParticipantFactory(conference=conference, delegation=delegation, first_name="Mohamed Abdelrahman Mahmoud",
                           last_name="Al-Sayed Hassan El-Sharkawy", badge_name_ar="محمد عبد الرحمن محمود الشرقاوي",
                           email=f"mohamed.abdelrahman.elsharkawy{index}@ministry-of-foreign-affairs.example.org")
    client = Client()
    client.force_login(StaffFactory())
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    overflows = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            for language in ("ar", "en"):
                for width in (1280, 1024):
                    context = browser.new_context(viewport={"width": width, "height": 800})
                    context.add_cookies([
                        {"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url},
                        {"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
                    ])
                    page = context.new_page()
                    page.goto(f"{live_server.url}/admin/registration/participant/")
                    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
                    overflows[(language, width)] = page.evaluate(OVERFLOW)
                    context.close()
        finally:
            browser.close()
    assert len(overflows) == 4
    assert [key for key, sides in overflows.items() if sides["left"] > 0 or sides["right"] > 0] == [], overflows
