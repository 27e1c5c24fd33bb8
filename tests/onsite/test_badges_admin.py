"""The admin action "Render badges for selected participants"."""

import pytest
from django.urls import reverse

from onsite.enums import BatchStatus
from onsite.models import BadgeBatch, BadgePrint
from registration.enums import ParticipantStatus
from tests.factories import ConferenceFactory, ParticipantFactory, StaffFactory

pytestmark = pytest.mark.django_db


def run_action(client, participants):
    return client.post(
        reverse("admin:registration_participant_changelist"),
        {"action": "render_badges_for_selected", "_selected_action": [p.pk for p in participants]},
    )


def test_admin_render_badges_for_selected_batch_done(client, settings, django_capture_on_commit_callbacks):
    conference = ConferenceFactory(slug="admin-badges")
    settings.ACCORD_DEFAULT_CONFERENCE = "admin-badges"
    staff = StaffFactory()
    client.force_login(staff)
    chosen = [ParticipantFactory(conference=conference, status=ParticipantStatus.APPROVED) for _ in range(2)]
    ParticipantFactory(conference=conference, status=ParticipantStatus.APPROVED)  # not selected

    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(client, chosen)

    assert response.status_code == 302 and response["Location"] == reverse("registration:desk_batches")
    batch = BadgeBatch.objects.get()
    assert (batch.status, batch.total, batch.requested_by) == (BatchStatus.DONE, 2, staff)
    assert sorted(BadgePrint.objects.values_list("badge__participant", flat=True)) == sorted(p.pk for p in chosen)


def test_admin_render_badges_for_selected_non_approved_refused(client):
    conference = ConferenceFactory()
    client.force_login(StaffFactory())
    selection = [
        ParticipantFactory(conference=conference, status=ParticipantStatus.APPROVED),
        ParticipantFactory(conference=conference, status=ParticipantStatus.SUBMITTED),
    ]

    response = run_action(client, selection)

    assert response.status_code == 302
    assert not BadgeBatch.objects.exists()
