"""Headless Chromium: the API docs (Swagger UI from our static files) render every device route under the strict
CSP with no console error and no policy violation; the device's enrollment page shows its QR code."""

from __future__ import annotations

import pytest

from tests.browser import LAUNCH_ARGS, log_in

VIOLATIONS = """document.addEventListener("securitypolicyviolation",
  e => (window.__csp = window.__csp || []).push(e.violatedDirective + " " + e.blockedURI));"""


@pytest.mark.browser
def test_docs_and_enrollment_qr_under_the_csp(live_server, transactional_db, chromium_path, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from allauth.account.models import EmailAddress
    from playwright.sync_api import expect, sync_playwright

    from api.models import Device
    from api.services import device_save
    from tests.factories import ConferenceFactory, StaffFactory

    organizer = StaffFactory(first_name="Olga")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    device = device_save(Device(conference=ConferenceFactory(slug="sharm2023"), name="Door 1"), actor=organizer,
                         doors=[])

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(locale="en-GB")
            context.add_init_script(VIOLATIONS)
            page = context.new_page()
            page.set_default_timeout(20000)
            errors = []
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            requested = []
            page.on("request", lambda request: requested.append(request.url))

            page.goto(f"{live_server.url}/api/docs/")
            expect(page.locator(".swagger-ui .info .title")).to_contain_text("Accord API")
            expect(page.locator(".opblock-summary-path[data-path='/api/v1/scans/']")).to_be_visible()
            for route in ("/api/v1/devices/enroll/", "/api/v1/devices/participants/", "/api/v1/devices/me/"):
                expect(page.locator(f".opblock-summary-path[data-path='{route}']")).to_have_count(1)
            assert page.evaluate("window.__csp || []") == []
            assert errors == []
            assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requested)

            log_in(page, live_server.url, organizer.email, f"/admin/api/device/{device.pk}/enroll/")
            page.get_by_role("button", name="Show a new enrollment code").click()
            qr = page.get_by_role("img", name="QR code of the enrollment code")
            expect(qr).to_be_visible()
            assert page.evaluate("document.querySelector('img[src^=\"data:image/svg\"]').naturalWidth") > 100
            assert page.evaluate("window.__csp || []") == []
            assert errors == []
        finally:
            browser.close()
