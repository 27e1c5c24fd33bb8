"""Headless Chromium: an approved participant signs up for a session, finds it in the personal agenda and
downloads the agenda PDF."""

import io

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from pypdf import PdfReader

from sessions_app import services
from sessions_app.models import SessionSignup
from tests.browser import LAUNCH_ARGS
from tests.factories import ParticipantFactory, UserFactory

from .conftest import cairo


@pytest.mark.browser
def test_browser_signup_personal_agenda_and_pdf(live_server, transactional_db, settings, chromium_path,
                                                conference, make_session, monkeypatch):
    # Playwright's sync API runs an event loop; restored after the test so that later subprocesses
    # (manage.py check --deploy) do not inherit it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    cache.clear()
    make_session(title="Workshop on financial investigations", kind="working_group",
                 signup_required=True, capacity=20, starts_at=cairo(11, 14, 30), ends_at=cairo(11, 16))
    services.agenda_file_refresh(conference, "en")
    user = UserFactory()
    participant = ParticipantFactory(conference=conference, user=user, email=user.email, status="approved")
    client = Client()
    client.force_login(user)
    session_cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(locale="en-GB", accept_downloads=True)
            context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": session_cookie,
                                  "url": live_server.url}])
            page = context.new_page()
            page.set_default_timeout(15000)

            page.goto(f"{live_server.url}/programme/")
            expect(page.locator("h1")).to_have_text("Programme")
            page.locator(".programme-days a", has_text="11 Jul").click()
            expect(page.locator("h2").first).to_contain_text("11 July 2023")
            page.get_by_role("link", name="Workshop on financial investigations").click()
            expect(page.locator(".session-detail h1")).to_have_text("Workshop on financial investigations")
            expect(page.locator(".session-facts")).to_contain_text("14:30")
            page.get_by_role("button", name="Sign up").click()
            expect(page.locator(".messages")).to_contain_text("You are signed up for this session.")

            page.goto(f"{live_server.url}/programme/me/")
            expect(page.locator(".session-list.personal").first).to_contain_text("Workshop on financial investigations")
            expect(page.locator(".session-list.personal").first).to_contain_text("Confirmed")

            with page.expect_download() as download_info:
                page.get_by_role("link", name="Full agenda (PDF)").click()
            download = download_info.value
            assert download.suggested_filename == "agenda-sharm2023-en.pdf"
            data = open(download.path(), "rb").read()
            assert data.startswith(b"%PDF")
            text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
            assert "Workshop on financial investigations" in text and "14:30–16:00" in text
        finally:
            browser.close()
    assert SessionSignup.objects.get(participant=participant).status == "confirmed"
