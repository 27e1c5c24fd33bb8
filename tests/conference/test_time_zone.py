"""Dates and times are stored in UTC and shown and entered in the conference's time zone, which pages name."""

import datetime

import pytest
from django.test import Client

from conference.models import Conference
from tests.factories import ConferenceFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(settings):
    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    settings.ACCORD_REQUIRE_STAFF_MFA = False
    client = Client()
    client.force_login(StaffFactory())
    return client


def _conference_form(conference, **changes):
    data = {
        "slug": conference.slug, "short_name": conference.short_name, "name": conference.name,
        "start_date": "2023-07-10", "end_date": "2023-07-13", "time_zone": "Africa/Cairo", "languages": ["en"],
        "badge_format": "a6", "registration_opens_at_0": "", "registration_opens_at_1": "",
        "registration_closes_at_0": "2023-06-30", "registration_closes_at_1": "23:59",
        "partners-TOTAL_FORMS": 0, "partners-INITIAL_FORMS": 0,
        "email_texts-TOTAL_FORMS": 0, "email_texts-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_admin_deadline_typed_in_cairo_time_is_stored_utc_and_shown_back_in_cairo_time(staff_client):
    conference = ConferenceFactory(slug="sharm2023")
    url = f"/admin/conference/conference/{conference.pk}/change/"
    response = staff_client.post(url, _conference_form(conference))
    assert response.status_code == 302, response.content.decode()[:3000]

    conference.refresh_from_db()
    assert conference.registration_closes_at == datetime.datetime(2023, 6, 30, 20, 59, tzinfo=datetime.UTC)
    body = staff_client.get(url).content.decode()
    assert 'name="registration_closes_at_0" value="2023-06-30"' in body
    assert 'name="registration_closes_at_1" value="23:59:00"' in body
    assert "20:59" not in body
    assert '<span title="Africa/Cairo">Cairo time</span>' in body


def test_admin_changelist_shows_times_in_conference_zone(staff_client):
    ConferenceFactory(slug="sharm2023")
    conference = ConferenceFactory(slug="other", registration_closes_at=datetime.datetime(
        2023, 6, 30, 20, 59, tzinfo=datetime.UTC))
    body = staff_client.get(f"/admin/conference/conference/{conference.pk}/change/").content.decode()
    assert 'name="registration_closes_at_1" value="23:59:00"' in body


def test_admin_time_zone_label_is_translated_in_arabic(staff_client, settings):
    conference = ConferenceFactory(slug="sharm2023")
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    body = staff_client.get(f"/admin/conference/conference/{conference.pk}/change/").content.decode()
    assert '<span title="Africa/Cairo">توقيت القاهرة</span>' in body


def test_time_zone_does_not_leak_after_the_request(staff_client):
    from django.utils import timezone

    ConferenceFactory(slug="sharm2023")
    staff_client.get("/")
    assert timezone.get_current_timezone_name() == "UTC"


def test_conference_time_zone_label_falls_back_to_iana_name():
    assert Conference(time_zone="Africa/Cairo").time_zone_label == "Cairo time"
    assert Conference(time_zone="Asia/Tokyo").time_zone_label == "Asia/Tokyo"


def test_pages_name_the_zone_in_the_page_language(client, settings):
    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    ConferenceFactory(slug="sharm2023")
    for url in ["/", "/programme/day/2023-07-10/"]:
        body = client.get(url).content.decode()
        assert "Cairo time" in body, url
        assert "(Africa/Cairo)" not in body, url
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    body = client.get("/programme/day/2023-07-10/").content.decode()
    assert "توقيت القاهرة" in body
    assert "Africa/Cairo)" not in body


def test_invitation_email_names_the_zone_in_the_invitee_language(settings, mailoutbox,
                                                                 django_capture_on_commit_callbacks):
    from registration.services.invitations import invitation_create
    from tests.factories import DelegationFactory

    settings.SITE_URL = "https://accord.example.org"
    conference = ConferenceFactory(slug="sharm2023")
    delegation = DelegationFactory(conference=conference)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(conference, email="a@example.org", delegation=delegation, language="en",
                          first_name="A", last_name="B", inviter=StaffFactory())
        invitation_create(conference, email="b@example.org", delegation=delegation, language="fr",
                          first_name="C", last_name="D", inviter=StaffFactory())
    assert "(Cairo time)" in mailoutbox[0].body
    assert "(heure du Caire)" in mailoutbox[1].body
