"""Headless Chromium: Egypt's focal point requests a bilateral meeting with France, France proposes another slot,
Egypt accepts it, and both focal points (attending) find it in their personal agendas and iCal feeds. axe-core
checks the request and meeting pages (when the vendored axe-core of tests/assets is there)."""


import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from icalendar import Calendar

from cooperation.enums import BilateralStatus
from cooperation.models import BilateralMeeting
from registration.models import Participant
from sessions_app import services as programme
from tests.browser import AXE, LAUNCH_ARGS, axe_violations

from .conftest import cairo


def _violations(page) -> list[str]:
    if not AXE.exists():
        return []
    return axe_violations(page)


def _cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


@pytest.mark.browser
def test_request_counter_accept_then_both_agendas(live_server, transactional_db, world, chromium_path, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    cache.clear()
    egypt = Participant.objects.get(user=world.a.focal)
    france = Participant.objects.get(user=world.b.focal)
    found = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            def page_for(user):
                context = browser.new_context(locale="en-GB")
                if AXE.exists():
                    context.add_init_script(path=str(AXE))
                context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": _cookie(user),
                                      "url": live_server.url}])
                page = context.new_page()
                page.set_default_timeout(15000)
                return page

            cairo_page = page_for(world.a.focal)
            cairo_page.goto(f"{live_server.url}/cooperation/meetings/new/")
            found += _violations(cairo_page)
            cairo_page.select_option("select[name=invited]", str(world.b.delegation.pk))
            cairo_page.fill("input[name=topic]", "Joint investigation teams")
            # Egypt's focal point reads Accord in Arabic (their preferred language): fields are found by value.
            expect(cairo_page.locator("html")).to_have_attribute("dir", "rtl")
            cairo_page.check(f"input[name=attendees][value='{egypt.pk}']")
            cairo_page.check("input[name=languages][value=ar]")
            cairo_page.check("input[name=languages][value=fr]")
            for slot in world.slots[:2]:
                cairo_page.check(f"input[name=slots][value='{slot.pk}']")
            cairo_page.locator("form.meeting-request button[type=submit]").click()
            cairo_page.wait_for_url("**/cooperation/meetings/*/")
            meeting = BilateralMeeting.objects.get()

            paris = page_for(world.b.focal)
            paris.goto(f"{live_server.url}/cooperation/meetings/{meeting.pk}/")
            expect(paris.locator("h1")).to_contain_text("Égypte")  # France's focal point reads French
            found += _violations(paris)
            counter = paris.locator("form.meeting-counter")
            counter.locator(f"input[name=slots][value='{world.slots[2].pk}']").check()
            counter.locator(f"input[name=attendees][value='{france.pk}']").check()
            counter.locator("button[value=counter]").click()
            expect(paris.locator(".messages")).to_contain_text("Votre proposition a été envoyée")  # French

            cairo_page.goto(f"{live_server.url}/cooperation/meetings/{meeting.pk}/")
            accept = cairo_page.locator("form.meeting-accept")
            accept.locator(f"input[name=slot][value='{world.slots[2].pk}']").check()
            accept.locator("button[value=accept]").click()
            expect(cairo_page.locator(".messages .success")).to_be_visible()
            expect(cairo_page.locator("#meeting-status")).to_have_class("status approved")
            found += _violations(cairo_page)

            for page, other in ((cairo_page, "فرنسا"), (paris, "Égypte")):
                page.goto(f"{live_server.url}/programme/me/")
                expect(page.locator("main")).to_contain_text(other)
                expect(page.locator("main")).to_contain_text("16:00–16:45")
                expect(page.locator("main")).to_contain_text("Meeting room 1")
        finally:
            browser.close()
    meeting.refresh_from_db()
    assert meeting.status == BilateralStatus.ACCEPTED and meeting.starts_at == cairo(11, 16)
    for person, other in ((egypt, "France"), (france, "Egypt")):
        token = programme.feed_rotate(person, actor=None)
        body = Client().get(f"/programme/ical/{token}.ics?lang=en").content
        assert [str(e["summary"]) for e in Calendar.from_ical(body).walk("VEVENT")] == [f"Bilateral meeting with {other}"]
    assert found == []
