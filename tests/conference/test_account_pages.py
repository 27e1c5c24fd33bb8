"""The account pages and e-mails a newcomer meets speak the page's language and say each thing once."""

import re

import pytest
from django.urls import reverse

from conference.models import OutgoingEmail
from onsite.models import BadgeBatch
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_login_page_offers_one_password_reset_link(client):
    body = client.get(reverse("account_login")).content.decode()
    assert len(re.findall(rf'href="{reverse("account_reset_password")}"', body)) == 1
    assert "Forgotten your password?" in body
    assert "Forgot your password?" not in body


@pytest.mark.parametrize(("language", "subject"), [
    ("en", "[Accord] Confirm your e-mail address"),
    ("fr", "[Accord] Confirmez votre adresse électronique"),
    ("ar", "[Accord] أكِّد عنوان بريدك الإلكتروني"),
])
def test_signup_verification_email_subject_in_page_language(client, settings, language, subject,
                                                            django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://accord.example.org"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), {
            "email": "new@example.org", "password1": "correct-horse-battery-9",
            "password2": "correct-horse-battery-9",
        })
    assert response.status_code == 302
    row = OutgoingEmail.objects.get(to="new@example.org")
    assert row.subject == subject


def test_badge_batches_page_names_layouts_in_page_language(client, settings, conference):
    settings.ACCORD_REQUIRE_STAFF_MFA = False
    staff = StaffFactory(is_superuser=False)
    client.force_login(staff)
    BadgeBatch.objects.create(conference=conference, requested_by=staff, layout="sheet")
    BadgeBatch.objects.create(conference=conference, requested_by=staff, layout="single")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    body = client.get(reverse("registration:desk_batches")).content.decode()
    cells = re.findall(r'<tr class="batch".*?</tr>', body, flags=re.S)
    assert len(cells) == 2
    assert not any(re.search(r"<td>\s*(single|sheet)\s*</td>", cell) for cell in cells)
    assert sum("Planches avec traits de coupe (A4)" in cell for cell in cells) == 1
    assert sum("Un badge par page" in cell for cell in cells) == 1
