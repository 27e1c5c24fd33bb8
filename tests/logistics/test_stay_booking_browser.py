"""Headless Chromium (one launch) over the bookings page in Arabic, right to left: a room assigned through the form
without JavaScript, then a room over the block's quota refused on its field; axe-core finds no violation in
either state, and the page logs no console error."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client

from logistics import services_stay
from logistics.models import RoomBooking
from tests.browser import AXE, LAUNCH_ARGS, axe_violations
from tests.factories import StaffFactory, UserFactory
from tests.logistics.stay_data import make_guest, make_hotel


@pytest.mark.browser
def test_booking_page_in_arabic_books_refuses_and_has_no_axe_violation(live_server, transactional_db, conference,
                                                                       chromium_path, monkeypatch):
    if not AXE.exists():
        pytest.skip("axe-core is not vendored in tests/assets")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    cache.clear()
    user = UserFactory(is_staff=True)
    # The Logistics group's role (the group itself is flushed with the data of an earlier live-server test).
    user.user_permissions.add(Permission.objects.get(content_type__app_label="logistics",
                                                     codename="change_transferseat"))
    hotel = make_hotel(conference, singles=1)
    services_stay.room_booking_save(hotel=hotel, guest=make_guest(conference, arrive=10, leave=13,
                                                                  first_name="سلمى", last_name="المصري"),
                                    room_type="single", actor=StaffFactory())
    first = make_guest(conference, arrive=10, leave=12, first_name="Amal", last_name="Haddad")
    late = make_guest(conference, arrive=12, leave=13, first_name="Karim", last_name="Nasser")
    hotel.blocks.filter(room_type="single", night__day__in=[10, 11]).update(quota=2)
    client = Client()
    client.force_login(user)
    found, errors = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(locale="ar")
            context.add_init_script(path=str(AXE))
            context.add_cookies([
                {"name": django_settings.SESSION_COOKIE_NAME,
                 "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value, "url": live_server.url},
                {"name": django_settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": live_server.url},
            ])
            page = context.new_page()
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            response = page.goto(f"{live_server.url}/logistics/hotels/{hotel.pk}/bookings/")
            assert response.status == 200
            assert page.get_attribute("html", "dir") == "rtl"
            found += [f"page: {v}" for v in axe_violations(page)]
            page.select_option("#id_booking-guest", first.public_id)
            page.select_option("#id_booking-room_type", "single")
            page.locator("#booking-form button[type=submit]").click()
            page.wait_for_selector("#bookings >> text=Amal Haddad")
            assert RoomBooking.objects.filter(guest=first).exists()
            page.select_option("#id_booking-guest", late.public_id)
            page.select_option("#id_booking-room_type", "single")
            page.locator("#booking-form button[type=submit]").click()
            page.wait_for_selector("#booking-form [role=alert]")
            assert page.get_attribute("#id_booking-room_type", "aria-invalid") == "true"
            assert "2023-07-12" in page.inner_text("#booking-form [role=alert]")
            found += [f"refused: {v}" for v in axe_violations(page)]
            context.close()
        finally:
            browser.close()
    assert not RoomBooking.objects.filter(guest=late).exists()
    assert found == [], "\n".join(found)
    # The refused form answers 400 (as every refused form here), which Chromium reports; nothing else may.
    assert [e for e in errors if "status of 400" not in e] == [] and len(errors) <= 1
