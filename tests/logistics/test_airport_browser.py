"""The airport page on a phone (390×844, headless Chromium): staff tick a person picked up and another no-show,
the counts change without a reload; they move a person to another run and record a flight's delay with the
page's forms (plain posts); nothing is wider than the screen, no axe-core violation and no console error (the
page's script is static: the CSP allows no inline script), in English and Arabic."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.test import Client

from logistics.models import TransferRun, TransferSeat
from logistics.services_travel import transfer_runs_propose
from tests.browser import AXE, LAUNCH_ARGS, axe_violations


@pytest.mark.browser
def test_airport_page_on_a_phone(live_server, transactional_db, conference, travel, chromium_path, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    transfer_runs_propose(conference, actor=travel.organizer)
    run = TransferRun.objects.get(seats__participant=travel.adams)
    adams = TransferSeat.objects.get(participant=travel.adams)
    baker = TransferSeat.objects.get(participant=travel.baker)
    hill = TransferSeat.objects.get(participant=travel.hill)
    # A run ten minutes after Adams's, without a vehicle yet: where Hill is moved.
    spare = TransferRun.objects.create(conference=conference, direction="inbound", airport="SSH", hotel="Hotel Nile",
                                       pickup_at=run.pickup_at + datetime.timedelta(minutes=10))
    client = Client()
    client.force_login(travel.organizer)
    errors, found = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            for language in ("en", "ar"):
                context = browser.new_context(viewport={"width": 390, "height": 844}, locale=language,
                                              is_mobile=True, has_touch=True)
                if AXE.exists():
                    context.add_init_script(path=str(AXE))
                context.add_cookies([
                    {"name": django_settings.SESSION_COOKIE_NAME,
                     "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value, "url": live_server.url},
                    {"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
                ])
                page = context.new_page()
                page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
                response = page.goto(f"{live_server.url}/logistics/airport/{run.pk}/")
                assert response.status == 200
                if language == "en":
                    page.locator(f"li[data-seat='{adams.pk}'] button[value=picked_up]").tap()
                    expect(page.locator("[data-count=picked_up]")).to_have_text("1")
                    page.locator(f"li[data-seat='{baker.pk}'] button[value=no_show]").tap()
                    expect(page.locator("[data-count=no_show]")).to_have_text("1")
                    expect(page.locator("[data-count=planned]")).to_have_text("1")
                    expect(page.locator(f"li[data-seat='{adams.pk}'] [data-state-label]")).to_have_text("Picked up")
                    assert page.url.endswith(f"/logistics/airport/{run.pk}/")  # no reload, no redirect
                    # Hill moves to the spare run (16:40 Cairo time) through the seat's "Move" form.
                    seat = page.locator(f"li[data-seat='{hill.pk}']")
                    seat.locator("summary").tap()
                    seat.locator("select[name=run]").select_option(str(spare.pk))
                    seat.locator("details button[type=submit]").tap()
                    expect(page.locator(".messages")).to_contain_text("moved to the run of 16:40")
                    expect(page.locator(f"li[data-seat='{hill.pk}']")).to_have_count(0)
                    # On the spare run, MS 5 lands at 16:40 instead of 16:00: Hill goes to a later run.
                    page.goto(f"{live_server.url}/logistics/airport/{spare.pk}/")
                    page.select_option("#delay-flight", "MS5")
                    page.fill("#delay-arrival", "2023-07-09T16:40")
                    page.locator(".airport-delay button[type=submit]").tap()
                    expect(page.locator(".messages")).to_contain_text(
                        "Flight MS5 delayed: 1 person moved to a later run.")
                    page.goto(f"{live_server.url}/logistics/airport/{run.pk}/")
                else:
                    assert page.get_attribute("html", "dir") == "rtl"
                    expect(page.locator("[data-count=picked_up]")).to_have_text("1")
                page.locator("details.seat-move summary").first.tap()  # the move form open for the checks
                width = page.evaluate("() => document.documentElement.scrollWidth")
                assert width <= 390, (language, width)
                if AXE.exists():
                    violations = axe_violations(page)
                    found += [f"{language}: {v}" for v in violations]
                context.close()
        finally:
            browser.close()
    assert found == [], "\n".join(found)
    assert errors == []
    adams.refresh_from_db()
    baker.refresh_from_db()
    hill.refresh_from_db()
    assert (adams.state, adams.marked_by, baker.state) == ("picked_up", travel.organizer, "no_show")
    assert hill.run not in (run, spare) and hill.run.pickup_at == datetime.datetime(2023, 7, 9, 14, 10,
                                                                                  tzinfo=datetime.UTC)


@pytest.mark.browser
def test_travel_pages_have_no_axe_violation(live_server, transactional_db, conference, travel, chromium_path,
                                            monkeypatch):
    """The manifest, the runs and the travel page (a participant's own), in English and Arabic."""
    if not AXE.exists():
        pytest.skip("axe-core is not vendored in tests/assets")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    from tests.factories import UserFactory

    transfer_runs_propose(conference, actor=travel.organizer)
    traveller = UserFactory()
    travel.adams.user = traveller
    travel.adams.save(update_fields=["user"])
    pages = [(travel.organizer, "/logistics/manifest/"), (travel.organizer, "/logistics/manifest/?direction=outbound"),
             (travel.organizer, "/logistics/runs/"), (traveller, "/logistics/travel/")]
    found, errors = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            for language in ("en", "ar"):
                for user, path in pages:
                    client = Client()
                    client.force_login(user)
                    context = browser.new_context(locale=language)
                    context.add_init_script(path=str(AXE))
                    context.add_cookies([
                        {"name": django_settings.SESSION_COOKIE_NAME,
                         "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value, "url": live_server.url},
                        {"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
                    ])
                    page = context.new_page()
                    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                    response = page.goto(f"{live_server.url}{path}")
                    assert response.status == 200, path
                    violations = axe_violations(page)
                    found += [f"{language} {path}: {v}" for v in violations]
                    context.close()
        finally:
            browser.close()
    assert found == [], "\n".join(found)
    assert errors == []
