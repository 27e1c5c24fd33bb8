"""The registration status page shows the visa letter's state, and once issued a link to download it."""

import re

import pytest
from django.urls import reverse

from logistics.services import visa_letter_issue
from registration.enums import ParticipantStatus
from registration.services.participants import participant_approve
from tests.factories import StaffFactory, UserFactory

from .test_visa_letters import conference, make_participant  # noqa: F401  (the module's conference fixture)

pytestmark = pytest.mark.django_db


def _visa_line(client) -> str:
    body = client.get(reverse("registration:register")).content.decode()
    line = re.search(r"<dt>Visa support letter</dt><dd>(.*?)</dd>", body, flags=re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", line)).strip(), line


def test_status_page_follows_visa_letter_from_request_to_download(client, conference, settings,  # noqa: F811
                                                                  django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    user = UserFactory()
    participant = make_participant(conference, status=ParticipantStatus.SUBMITTED, user=user, email=user.email)
    client.force_login(user)
    text, _ = _visa_line(client)
    assert text.startswith("Requested: it is issued once your registration is approved.")

    with django_capture_on_commit_callbacks(execute=True):
        participant_approve(participant, actor=StaffFactory())
    text, html = _visa_line(client)
    assert "requested" not in text.lower()
    assert re.match(r"Issued on \d{1,2} \w+ \d{4} \(reference SHARM2023/VISA/0001 ?\)", text), text
    assert f'href="{reverse("registration:register_visa_letter")}"' in html
    assert "Download your visa support letter (PDF)" in text
    download = client.get(reverse("registration:register_visa_letter"))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_status_page_says_letter_is_being_prepared_when_approved_but_not_issued(client, conference):  # noqa: F811
    user = UserFactory()
    make_participant(conference, user=user, email=user.email)
    client.force_login(user)
    text, html = _visa_line(client)
    assert text.startswith("Being prepared: it will be here and sent to you by e-mail.")
    assert "register/visa-letter/" not in html


def test_status_page_visa_letter_not_needed(client, conference):  # noqa: F811
    user = UserFactory()
    participant = make_participant(conference, user=user, email=user.email, needs_visa_letter=False)
    client.force_login(user)
    assert _visa_line(client)[0] == "not needed"
    assert participant.pk and visa_letter_issue  # the issuing service exists for the other cases
