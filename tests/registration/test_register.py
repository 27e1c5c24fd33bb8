"""Self-registration: steps saved one at a time, validation, passport data never shown, submit, edit rules."""

import datetime
import io

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from conference.models import AuditLog
from logistics.models import TravelDocument, TravelPlan, VisaLetter
from registration.enums import ParticipantStatus
from registration.models import Participant
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSPORT = "X9K2L7Q41"


@pytest.fixture
def participant(conference):
    user = UserFactory()
    return ParticipantFactory(
        conference=conference, user=user, email=user.email, status=ParticipantStatus.INVITED,
        first_name="", last_name="", preferred_language="en",
    )


def step_url(step: int) -> str:
    return reverse("registration:register_step", kwargs={"step": step})


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), (10, 20, 30)).save(out, format="PNG")
    return out.getvalue()


PERSONAL = {
    "title": "dr", "first_name": "Amina", "last_name": "Haddad", "badge_name": "Dr. Amina Haddad",
    "badge_name_ar": "أمينة حداد", "gender": "female", "position": "Prosecutor", "organization": "Ministry of Justice",
    "nationality": "EG", "phone": "+20 69 360 0000", "preferred_language": "fr", "languages_spoken": ["ar", "fr"],
}
TRAVEL = {
    "arrival_date": "2023-07-09", "arrival_time": "14:30", "arrival_flight": "MS 123", "arrival_airport": "ssh",
    "departure_date": "2023-07-14", "departure_time": "09:00", "departure_flight": "MS124",
    "departure_airport": "SSH", "transfer_needed": "on", "hotel_needed": "on", "room_sharing": "single",
}
VISA = {"needs_visa_letter": "on", "passport_number": PASSPORT, "passport_expiry": "2030-01-31",
        "issuing_country": "EG", "date_of_birth": "1980-03-15"}


def complete_all_steps(client):
    assert client.post(step_url(1), PERSONAL).status_code == 302
    assert client.post(step_url(2), {"photo": SimpleUploadedFile("me.png", png(), "image/png")}).status_code == 302
    assert client.post(step_url(3), {"dietary_needs": "Vegetarian", "accessibility_needs": ""}).status_code == 302
    assert client.post(step_url(4), TRAVEL).status_code == 302
    assert client.post(step_url(5), VISA).status_code == 302
    assert client.post(step_url(6), {"privacy": "on", "directory": "on"}).status_code == 302


def test_register_anonymous_redirected_to_login(client, participant):
    for url in (reverse("registration:register"), step_url(1), reverse("registration:open_request")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_register_steps_save_progress_and_submit(client, participant, mailoutbox):
    client.force_login(participant.user)
    response = client.post(step_url(1), PERSONAL)
    assert response["Location"] == step_url(2)
    participant.refresh_from_db()
    assert (participant.form_step, participant.first_name, participant.badge_name_ar) == (1, "Amina", "أمينة حداد")
    assert participant.languages_spoken == ["ar", "fr"]
    entry = AuditLog.objects.get(action="participant.update", object_id=str(participant.pk))
    assert entry.actor == participant.user
    assert entry.changes["first_name"] == {"old": "", "new": "Amina"}
    assert entry.changes["phone"] == {"old": "(changed)", "new": "(changed)"}
    # Saving step 1 stores the preferred language and sets the language cookie.
    assert participant.preferred_language == "fr"
    assert response.cookies["accord_language"].value == "fr"
    # Leave and come back: the status page shows the progress and the next step.
    status = client.get(reverse("registration:register"))
    assert status.context["next_step"] == 2
    assert [item["done"] for item in status.context["steps"]] == [True, False, False, False, False, False]
    complete_all_steps(client)
    participant.refresh_from_db()
    assert participant.form_step == 6
    assert participant.consent_privacy_at is not None and participant.consent_directory is True
    assert participant.consent_photos is False
    plan = TravelPlan.objects.get(participant=participant)
    assert (plan.arrival_flight, plan.arrival_airport, plan.room_sharing) == ("MS123", "SSH", "single")
    assert participant.status == ParticipantStatus.INVITED
    response = client.post(reverse("registration:register_submit"))
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.SUBMITTED
    assert participant.submitted_at is not None
    assert AuditLog.objects.filter(action="participant.submit", object_id=str(participant.pk)).count() == 1
    page = client.get(reverse("registration:register"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-status="submitted"' in page


def test_register_submit_refused_when_steps_missing(client, participant):
    client.force_login(participant.user)
    client.post(step_url(1), PERSONAL)
    client.post(reverse("registration:register_submit"))
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.INVITED
    assert participant.submitted_at is None


def test_register_passport_data_never_shown(client, participant):
    client.force_login(participant.user)
    complete_all_steps(client)
    document = TravelDocument.objects.get(participant=participant)
    assert (document.passport_number, document.passport_expiry, document.issuing_country.code) == (
        PASSPORT, datetime.date(2030, 1, 31), "EG"
    )
    client.post(reverse("registration:register_submit"))
    pages = [reverse("registration:register"), reverse("registration:register_status")]
    pages += [step_url(step) for step in range(1, 7)]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert PASSPORT not in html, url
        assert "2030-01-31" not in html and "31 January 2030" not in html, url
    visa_page = client.get(step_url(5)).content.decode()
    assert 'data-testid="passport-on-file"' in visa_page
    # The audit log records the replacement, never the number.
    assert PASSPORT not in str(list(AuditLog.objects.values_list("changes", flat=True)))


def test_register_visa_step_blank_keeps_document_on_file(client, participant):
    client.force_login(participant.user)
    complete_all_steps(client)
    assert client.post(step_url(5), {"needs_visa_letter": "on"}).status_code == 302
    assert TravelDocument.objects.get(participant=participant).passport_number == PASSPORT


def test_register_passport_expiry_must_be_after_conference(client, participant):
    client.force_login(participant.user)
    response = client.post(step_url(5), {**VISA, "passport_expiry": "2023-07-12"})
    assert response.status_code == 400
    assert "valid after the end of the conference" in response.content.decode()
    assert not TravelDocument.objects.filter(participant=participant).exists()


def test_register_visa_needs_passport_details(client, participant):
    client.force_login(participant.user)
    response = client.post(step_url(5), {"needs_visa_letter": "on"})
    assert response.status_code == 400
    assert not VisaLetter.objects.filter(participant=participant, requested=True).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"departure_date": "2023-07-08"}, "departure_date"),  # before arrival and before the start
        ({"arrival_date": "2023-07-12", "departure_date": "2023-07-12", "arrival_time": "18:00",
          "departure_time": "08:00"}, "departure_date"),  # same day, leaves before arriving
        ({"arrival_date": "2022-01-01"}, "arrival_date"),  # far too early
        ({"departure_date": "2024-07-01"}, "departure_date"),  # far too late
        ({"arrival_flight": "not a flight"}, "arrival_flight"),
        ({"arrival_airport": "SHARM"}, "arrival_airport"),
        ({"room_sharing": ""}, "room_sharing"),  # hotel needed but no room type
    ],
)
def test_register_travel_dates_must_be_sensible(client, participant, changes, field):
    client.force_login(participant.user)
    response = client.post(step_url(4), {**TRAVEL, **changes})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    participant.refresh_from_db()
    assert not TravelPlan.objects.filter(participant=participant).exists() and participant.form_step == 0


@pytest.mark.parametrize("value", ["Amina Haddad", "أمينة Haddad", "<script>", "123"])
def test_register_arabic_badge_name_must_be_arabic_script(client, participant, value):
    client.force_login(participant.user)
    response = client.post(step_url(1), {**PERSONAL, "badge_name_ar": value})
    assert response.status_code == 400
    assert "badge_name_ar" in response.context["form"].errors
    participant.refresh_from_db()
    assert participant.first_name == ""


def test_register_html_in_names_escaped(client, participant):
    client.force_login(participant.user)
    evil = "<script>alert('x')</script>"
    client.post(step_url(1), {**PERSONAL, "first_name": evil, "badge_name": evil, "position": evil})
    participant.refresh_from_db()
    assert participant.first_name == evil
    for url in (reverse("registration:register"), step_url(1)):
        html = client.get(url).content.decode()
        assert evil not in html
        assert "&lt;script&gt;" in html


def test_register_found_by_verified_email_and_linked(client, conference):
    participant = ParticipantFactory(conference=conference, email="amina@example.org", user=None)
    user = UserFactory(username="amina-account", email="amina@example.org")
    client.force_login(user)
    # Unverified address: no participation.
    EmailAddress.objects.create(user=user, email="amina@example.org", verified=False, primary=True)
    response = client.get(reverse("registration:register"))
    assert response.templates[0].name == "registration/register_none.html"
    participant.refresh_from_db()
    assert participant.user is None
    EmailAddress.objects.filter(user=user).update(verified=True)
    response = client.get(reverse("registration:register"))
    assert response.context["participant"] == participant
    participant.refresh_from_db()
    assert participant.user == user


def test_register_other_users_participant_not_reachable(client, participant, conference):
    other_user = UserFactory()
    client.force_login(other_user)
    response = client.get(reverse("registration:register"))
    assert "participant" not in response.context
    assert client.post(step_url(1), PERSONAL).status_code == 302
    participant.refresh_from_db()
    assert participant.first_name == ""
    assert client.get(reverse("registration:register_photo")).status_code == 404


def test_register_locked_registration_refuses_edits(client, participant, conference):
    conference.registration_locked = True
    conference.save()
    client.force_login(participant.user)
    response = client.post(step_url(1), PERSONAL)
    assert response.status_code == 302
    assert response["Location"] == reverse("registration:register")
    participant.refresh_from_db()
    assert participant.first_name == ""


def test_register_closed_window_refuses_edits(client, participant, conference):
    conference.registration_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    conference.save()
    client.force_login(participant.user)
    client.post(step_url(3), {"dietary_needs": "Halal"})
    participant.refresh_from_db()
    assert participant.dietary_needs == ""


def test_register_approved_may_edit_needs_but_not_identity(client, participant):
    Participant.objects.filter(pk=participant.pk).update(status=ParticipantStatus.APPROVED, first_name="Amina")
    client.force_login(participant.user)
    client.post(step_url(1), {**PERSONAL, "first_name": "Changed"})
    client.post(step_url(3), {"dietary_needs": "Halal"})
    participant.refresh_from_db()
    assert participant.first_name == "Amina"
    assert participant.dietary_needs == "Halal"
    assert client.get(step_url(5)).status_code == 302


@pytest.mark.parametrize("status", [ParticipantStatus.REJECTED, ParticipantStatus.CANCELLED])
def test_register_rejected_or_cancelled_cannot_edit(client, participant, status):
    Participant.objects.filter(pk=participant.pk).update(status=status)
    client.force_login(participant.user)
    client.post(step_url(3), {"dietary_needs": "Halal"})
    participant.refresh_from_db()
    assert participant.dietary_needs == ""


def test_register_page_in_preferred_language_and_switcher_wins(client, participant):
    Participant.objects.filter(pk=participant.pk).update(preferred_language="fr")
    client.force_login(participant.user)
    response = client.get(reverse("registration:register"))
    assert '<html lang="fr"' in response.content.decode()
    # The language switcher (cookie) still works.
    client.post(reverse("set_language"), {"language": "ar", "next": "/register/"})
    response = client.get(reverse("registration:register"))
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl"' in html


def test_register_unknown_step_404(client, participant):
    client.force_login(participant.user)
    assert client.get(step_url(7)).status_code == 404
    assert client.get(step_url(0)).status_code == 404
