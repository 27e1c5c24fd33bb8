"""Headless Chromium on a 390×844 phone: the programme's first screen shows sessions; the filters fold away
behind one line and the downloads come after the sessions (English and Arabic)."""

import pytest
from django.core.cache import cache

from tests.browser import LAUNCH_ARGS

from .conftest import cairo


@pytest.mark.browser
def test_programme_on_phone_shows_sessions_first_filters_folded(live_server, transactional_db, settings,
                                                               chromium_path, conference, make_session,
                                                               monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    cache.clear()
    for hour in range(8, 14):
        make_session(title=f"Session at {hour}", starts_at=cairo(10, hour), ends_at=cairo(10, hour, 45))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            for language in ("en", "ar"):
                context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                              device_scale_factor=2)
                context.add_cookies([{"name": "accord_language", "value": language, "url": live_server.url}])
                page = context.new_page()
                page.goto(f"{live_server.url}/programme/day/2023-07-10/")
                first = page.locator(".session-card").first.bounding_box()
                assert first is not None and first["y"] + 60 < 844, (language, first)
                expect(page.locator("select[name=kind]")).to_be_hidden()
                downloads = page.locator(".programme-downloads").bounding_box()
                assert downloads["y"] > page.locator(".session-card").last.bounding_box()["y"]
                page.screenshot(path=f"test-artifacts/programme-phone-{language}.png")
                page.locator(".programme-filter-box > summary").click()
                expect(page.locator("select[name=kind]")).to_be_visible()
                page.goto(f"{live_server.url}/programme/day/2023-07-10/?kind=thematic")
                expect(page.locator("select[name=kind]")).to_be_visible()  # open while a filter is on
                context.close()
        finally:
            browser.close()
