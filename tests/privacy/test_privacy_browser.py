"""The participant's "My data" and privacy notice pages in headless Chromium, in English and Arabic: the read log
shows who read what, the page runs right to left in Arabic, and axe-core finds no violation (when the vendored
axe-core of tests/assets is there)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from privacy.services.notices import notice_publish
from privacy.services.reads import record_read
from tests.browser import AXE, LAUNCH_ARGS, axe_violations
from tests.factories import StaffFactory, UserFactory

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _violations(page) -> list[str]:
    return axe_violations(page)


@pytest.mark.browser
def test_my_data_and_notice_pages_in_english_and_arabic(live_server, transactional_db, settings, chromium_path,
                                                       monkeypatch, traveller, conference):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    traveller.user = UserFactory(username="owner@example.org")
    traveller.save(update_fields=["user"])
    record_read(traveller, reader=StaffFactory(username="visa.officer@example.org"), kind="sensitive",
                what="travel_document", where="admin")
    notice_publish(conference, actor=None, text="We keep your data.", text_fr="Nous gardons vos données.",
                   text_ar="نحتفظ ببياناتك.")
    client = Client()
    client.force_login(traveller.user)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    found = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            for language in ("en", "ar"):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                if AXE.exists():
                    context.add_init_script(path=str(AXE))
                context.add_cookies([
                    {"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
                    {"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url},
                ])
                page = context.new_page()
                page.goto(f"{live_server.url}/privacy/")
                assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
                assert "visa.officer@example.org" in page.locator("#reads-heading + table").inner_text()
                assert page.locator("a[href='/privacy/my-data.json']").count() == 1
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"privacy-my-data-{language}.png"), full_page=True)
                if AXE.exists():
                    found += [f"{language} my data: {v}" for v in _violations(page)]
                page.goto(f"{live_server.url}/privacy/notice/")
                expected = "نحتفظ ببياناتك." if language == "ar" else "We keep your data."
                assert expected in page.locator(".notice-text").inner_text()
                if AXE.exists():
                    found += [f"{language} notice: {v}" for v in _violations(page)]
                context.close()
        finally:
            browser.close()
    assert found == []
