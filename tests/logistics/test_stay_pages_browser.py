"""Headless Chromium with axe-core over the stay's new staff pages (the logistics dashboard, the caterer's meals,
the needs list), in English and in Arabic (right to left); the dashboard draws its charts from the page's data
without an inline script and without a console error."""


import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

from logistics import services_stay
from tests.browser import AXE, LAUNCH_ARGS, axe_violations
from tests.factories import StaffFactory
from tests.logistics.stay_data import make_guest, make_hotel

PAGES = ["/logistics/dashboard/", "/logistics/meals/", "/logistics/needs/"]


@pytest.mark.browser
def test_stay_pages_have_no_axe_violation(live_server, transactional_db, conference, chromium_path, monkeypatch):
    if not AXE.exists():
        pytest.skip("axe-core is not vendored in tests/assets")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    cache.clear()
    organizer = StaffFactory(password=None)
    hotel = make_hotel(conference, singles=5)
    for index in range(3):
        guest = make_guest(conference, arrive=9 + index, leave=13, dietary_needs="Halal" if index else "")
        services_stay.room_booking_save(hotel=hotel, guest=guest, room_type="single", actor=organizer)
    client = Client()
    client.force_login(organizer)
    found, errors, drawn = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            for language in ("en", "ar"):
                context = browser.new_context(locale=language)
                context.add_init_script(path=str(AXE))
                context.add_cookies([
                    {"name": django_settings.SESSION_COOKIE_NAME,
                     "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value, "url": live_server.url},
                    {"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
                ])
                page = context.new_page()
                page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
                for path in PAGES:
                    response = page.goto(f"{live_server.url}{path}")
                    assert response.status == 200, path
                    if language == "ar":
                        assert page.get_attribute("html", "dir") == "rtl", path
                    if path == PAGES[0]:
                        page.wait_for_function("() => window.Chart && Chart.getChart('chart-movements')")
                        drawn.append(page.evaluate(
                            "() => Array.from(document.querySelectorAll('canvas')).filter(c => Chart.getChart(c)).length"))
                    violations = axe_violations(page)
                    found += [f"{language} {path}: {v}" for v in violations]
                context.close()
        finally:
            browser.close()
    assert found == [], "\n".join(found)
    assert errors == []
    assert drawn == [5, 5]  # movements, transfers, funded, and the hotel's two blocks
