"""Headless Chromium with axe-core over cooperation's other new pages, in English and in Arabic (right to left):
the directory and one's entry, the contacts and the badge scan page, the organizers' grid and outcome report."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from cooperation import services
from cooperation.models import CooperationSettings, DirectoryEntry, FollowUp
from registration.models import Participant
from tests.browser import AXE, LAUNCH_ARGS, axe_violations
from tests.factories import StaffFactory

PAGES = ["/cooperation/directory/", "/cooperation/directory/me/", "/cooperation/contacts/",
         "/cooperation/contacts/scan/", "/cooperation/meetings/"]
STAFF_PAGES = ["/cooperation/grid/2023-07-11/", "/cooperation/report/"]


@pytest.mark.browser
def test_cooperation_pages_have_no_axe_violation(live_server, transactional_db, world, chromium_path, monkeypatch):
    if not AXE.exists():
        pytest.skip("axe-core is not vendored in tests/assets")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    cache.clear()
    CooperationSettings.objects.create(conference=world.conference,
                                       contact_exchange_until=timezone.now() + datetime.timedelta(days=1))
    for person in world.b.members:
        DirectoryEntry.objects.create(participant=person, listed=True, share_position=True, share_languages=True,
                                      share_expertise=True, expertise=["prosecution"])
    meeting = services.bilateral_request(
        conference=world.conference, requesting=world.a.delegation, invited=world.b.delegation, actor=world.a.focal,
        topic="Training", attendee_ids=[world.a.members[0].pk], languages=["ar", "fr"], slot_ids=[world.slots[0].pk])
    meeting, _warnings = services.bilateral_accept(meeting, actor=world.b.focal, slot_id=world.slots[0].pk)
    services.follow_up_save(FollowUp(meeting=meeting, kind="training"), actor=world.a.focal)
    viewer = Participant.objects.get(user=world.a.focal)
    found = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            for user, pages in ((world.a.focal, PAGES + [f"/cooperation/meetings/{meeting.pk}/"]),
                                (StaffFactory(password=None), STAFF_PAGES)):
                client = Client()
                client.force_login(user)
                for language in ("en", "ar"):
                    viewer.preferred_language = language
                    viewer.save(update_fields=["preferred_language"])
                    context = browser.new_context(locale=language)
                    context.add_init_script(path=str(AXE))
                    context.add_cookies([
                        {"name": django_settings.SESSION_COOKIE_NAME,
                         "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value, "url": live_server.url},
                        {"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
                    ])
                    page = context.new_page()
                    for path in pages:
                        response = page.goto(f"{live_server.url}{path}")
                        assert response.status == 200, path
                        if language == "ar":
                            assert page.get_attribute("html", "dir") == "rtl", path
                        violations = axe_violations(page)
                        found += [f"{language} {path}: {v}" for v in violations]
                    context.close()
        finally:
            browser.close()
    assert found == []
