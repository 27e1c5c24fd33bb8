"""The desk's offline queue when the answer is lost: the server recorded the scan, the answer never reached the
desk, the desk sends it again. The resend must carry the same client id, so the server replays its first answer
instead of counting a second scan (headless Chromium; the answer is dropped with Playwright's request routing)."""

import datetime
import json
import os

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.utils import timezone

from onsite.models import Attendance, CheckIn
from onsite.services.badges import badge_code, badge_ensure
from registration.enums import ParticipantStatus
from tests.browser import LAUNCH_ARGS, log_in
from tests.factories import ConferenceFactory, ParticipantFactory, StaffFactory

pytestmark = [pytest.mark.browser]


@pytest.fixture
def desk(live_server, transactional_db, settings):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    settings.ACCORD_DEFAULT_CONFERENCE = "desk-lost-answer"
    cache.clear()
    conference = ConferenceFactory(slug="desk-lost-answer")
    staff = StaffFactory(username="door@example.org", email="door@example.org", first_name="Door", last_name="Keeper")
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    amina = ParticipantFactory(conference=conference, status=ParticipantStatus.APPROVED, badge_name="Amina Haddad")
    return conference, staff, amina, badge_code(badge_ensure(amina))


def _scan_with_first_answer_lost(live_server, chromium_path, staff, path: str, code: str) -> tuple[list, str, list]:
    """Log in, open the scan page at ``path``, scan ``code`` once; the first POST reaches the server (which
    answers) but its answer is dropped before the page gets it. Returns (client ids sent, last answer shown,
    the texts of the scan log's result rows)."""
    from playwright.sync_api import expect, sync_playwright

    sent: list[str] = []

    def lose_first_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        sent.append(json.loads(route.request.post_data)["client_id"])
        if len(sent) == 1:
            route.fetch()  # the request reaches the server, which records the scan and answers...
            route.abort("connectionreset")  # ...but the answer never reaches the desk
        else:
            route.continue_()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(locale="en-GB")
            page = context.new_page()
            page.set_default_timeout(15000)
            log_in(page, live_server.url, staff.email, path)
            page.route(f"**{path}", lose_first_answer)

            page.fill("#scan-input", code)
            page.press("#scan-input", "Enter")
            # The lost answer leaves the scan pending; the desk retries on its own (every 4 s).
            expect(page.locator("#scan-log li.pending")).to_have_count(1)
            expect(page.locator("#scan-log li.pending")).to_have_count(0, timeout=20000)
            shown = page.locator("#scan-last").inner_text()
            log = page.locator("#scan-log li").all_inner_texts()
            classes = page.locator("#scan-log li").evaluate_all("items => items.map(item => item.className)")
            queued = page.evaluate(
                "JSON.parse(localStorage.getItem('accord.desk.queue.' + "
                "document.getElementById('desk-scan').dataset.scope) || '[]').length"
            )
            assert queued == 0
        finally:
            browser.close()
    return sent, shown, list(zip(classes, log, strict=True))


def test_browser_desk_checkin_answer_lost_resend_counts_once(live_server, desk, chromium_path):
    conference, staff, amina, code = desk

    sent, shown, log = _scan_with_first_answer_lost(live_server, chromium_path, staff, "/desk/scan/", code)

    assert list(CheckIn.objects.values_list("participant", "result")) == [(amina.pk, "ok")]
    assert "Amina Haddad is checked in." in shown
    assert [css for css, _text in log] == ["scan result-ok"]  # one row, shown once as checked in
    assert len(sent) == 2 and sent[0] == sent[1]  # the resend carried the first attempt's client id
    assert CheckIn.objects.get().client_id == sent[0]
    amina.refresh_from_db()
    assert amina.checked_in_at is not None and amina.checked_in_by == staff


def test_browser_door_attendance_answer_lost_resend_counts_once(live_server, desk, chromium_path):
    from sessions_app.models import Session

    conference, staff, amina, code = desk
    start = timezone.now()
    session = Session.objects.create(conference=conference, kind="plenary", title="Opening plenary",
                                     starts_at=start, ends_at=start + datetime.timedelta(hours=1))

    sent, shown, log = _scan_with_first_answer_lost(
        live_server, chromium_path, staff, f"/desk/session/{session.pk}/scan/", code
    )

    assert list(Attendance.objects.values_list("session", "participant")) == [(session.pk, amina.pk)]
    assert "Amina Haddad is recorded at this session." in shown
    assert [css for css, _text in log] == ["scan result-ok"]
    assert len(sent) == 2 and sent[0] == sent[1]
    assert Attendance.objects.get().client_id == sent[0]
