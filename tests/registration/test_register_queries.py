"""Queries of a registration step submit (the busiest participant write)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registration.enums import ParticipantStatus
from registration.models import Participant
from tests.factories import ConferenceFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_register_step_submit_queries_few(client, settings):
    conference = ConferenceFactory(slug="q-conf", registration_locked=False, registration_closes_at=None)
    settings.ACCORD_DEFAULT_CONFERENCE = "q-conf"
    user = UserFactory()
    participant = ParticipantFactory(conference=conference, user=user, email=user.email,
                                     status=ParticipantStatus.INVITED, form_step=2)
    client.force_login(user)
    url = reverse("registration:register_step", kwargs={"step": 3})
    client.post(url, {"dietary_needs": "Vegan", "accessibility_needs": ""})  # content type cached
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, {"dietary_needs": "Halal", "accessibility_needs": ""})
    assert response.status_code == 302 and response["Location"] == reverse("registration:register_step", args=[4])
    assert Participant.objects.get(pk=participant.pk).dietary_needs == "Halal"
    # User, participant (the conference from the shared cache), the organizers' questions (none here: their
    # choices are not fetched), SAVEPOINT, update, audit row, RELEASE.
    assert len(captured) == 7
