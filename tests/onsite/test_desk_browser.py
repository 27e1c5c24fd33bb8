"""The check-in desk in headless Chromium: USB-scanner style input, "already checked in", a network drop."""

import os
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from onsite.models import CheckIn
from onsite.services.badges import badge_code, badge_ensure
from registration.enums import ParticipantStatus
from tests.browser import LAUNCH_ARGS, log_in
from tests.factories import ConferenceFactory, ParticipantFactory, StaffFactory

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.mark.browser
def test_browser_desk_scan_checkin_already_and_offline_queue(live_server, transactional_db, settings, chromium_path):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import expect, sync_playwright

    settings.ACCORD_DEFAULT_CONFERENCE = "desk-browser"
    cache.clear()
    ARTIFACTS.mkdir(exist_ok=True)
    conference = ConferenceFactory(slug="desk-browser")
    staff = StaffFactory(username="desk@example.org", email="desk@example.org", first_name="Desk", last_name="One")
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    amina = ParticipantFactory(conference=conference, status=ParticipantStatus.APPROVED, badge_name="Amina Haddad")
    jean = ParticipantFactory(conference=conference, status=ParticipantStatus.APPROVED, badge_name="Jean Dupont")
    amina_code = badge_code(badge_ensure(amina))
    jean_code = badge_code(badge_ensure(jean))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(locale="en-GB")
            page = context.new_page()
            page.set_default_timeout(15000)
            log_in(page, live_server.url, staff.email, "/desk/scan/")

            # A USB scanner types the code and Enter into the focused input.
            expect(page.locator("#scan-input")).to_be_focused()
            page.keyboard.type(amina_code)
            page.keyboard.press("Enter")
            expect(page.locator("#scan-last")).to_contain_text("Amina Haddad is checked in.")
            page.keyboard.type(amina_code)
            page.keyboard.press("Enter")
            expect(page.locator("#scan-last")).to_contain_text("already checked in at")
            expect(page.locator("#scan-last")).to_contain_text("by Desk One")
            page.keyboard.type("forged:code")
            page.keyboard.press("Enter")
            expect(page.locator("#scan-last")).to_contain_text("Invalid code")

            # The network drops: the scan is queued in the browser, then sent once when it is back.
            context.set_offline(True)
            page.keyboard.type(jean_code)
            page.keyboard.press("Enter")
            expect(page.locator("#scan-log li.pending").first).to_contain_text("Waiting for the network")
            assert page.evaluate("JSON.parse(localStorage.getItem('accord.desk.queue.desk')).length") == 1
            assert not CheckIn.objects.filter(participant=jean).exists()
            page.screenshot(path=str(ARTIFACTS / "desk-offline-queue.png"), full_page=True)
            context.set_offline(False)
            expect(page.locator("#scan-last")).to_contain_text("Jean Dupont is checked in.", timeout=20000)
            assert page.evaluate("JSON.parse(localStorage.getItem('accord.desk.queue.desk')).length") == 0
            page.screenshot(path=str(ARTIFACTS / "desk-scan.png"), full_page=True)
        finally:
            browser.close()

    assert CheckIn.objects.filter(participant=jean).count() == 1
    assert list(CheckIn.objects.filter(participant=amina).order_by("received_at").values_list("result", flat=True)) == [
        "ok", "already"
    ]
    jean.refresh_from_db()
    assert jean.checked_in_at is not None and jean.checked_in_by == staff


def write_y4m(path: Path, image) -> None:
    """A one-frame Y4M video (what Chromium's fake camera plays in a loop) from a PIL image."""
    image = image.convert("YCbCr")
    width, height = image.size
    y, cb, cr = image.split()
    half = (width // 2, height // 2)
    with open(path, "wb") as handle:
        handle.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        handle.write(b"FRAME\n")
        handle.write(y.tobytes())
        handle.write(cb.resize(half).tobytes())
        handle.write(cr.resize(half).tobytes())


@pytest.mark.browser
def test_browser_desk_camera_scan_checks_in(live_server, transactional_db, settings, chromium_path, tmp_path):
    """The device camera (Chromium's fake camera playing a badge's QR code) checks the participant in."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import segno
    from PIL import Image
    from playwright.sync_api import expect, sync_playwright

    settings.ACCORD_DEFAULT_CONFERENCE = "desk-camera"
    cache.clear()
    conference = ConferenceFactory(slug="desk-camera")
    staff = StaffFactory(username="cam@example.org", email="cam@example.org")
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    person = ParticipantFactory(conference=conference, status=ParticipantStatus.APPROVED, badge_name="Camera Person")
    code = badge_code(badge_ensure(person))
    qr_png = tmp_path / "qr.png"
    segno.make_qr(code, error="m").save(str(qr_png), scale=6, border=4)
    frame = Image.new("RGB", (640, 480), "white")
    qr = Image.open(qr_png).convert("RGB")
    frame.paste(qr, ((640 - qr.width) // 2, (480 - qr.height) // 2))
    video = tmp_path / "badge.y4m"
    write_y4m(video, frame)

    args = [*LAUNCH_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=args)
        try:
            context = browser.new_context(locale="en-GB")
            context.grant_permissions(["camera"], origin=live_server.url)
            page = context.new_page()
            page.set_default_timeout(20000)
            log_in(page, live_server.url, staff.email, "/desk/scan/")
            page.click("#camera-start")
            expect(page.locator("#scan-last")).to_contain_text("Camera Person is checked in.")
            page.click("#camera-stop")
        finally:
            browser.close()

    person.refresh_from_db()
    assert person.checked_in_at is not None
    assert CheckIn.objects.filter(participant=person, result="ok").count() == 1
