"""A batch whose worker died (lease lapsed) can be claimed again; a live one cannot be taken over."""

import datetime

import pypdf
import pytest
from django.utils import timezone

from conference.services import AccordError
from onsite.enums import BatchStatus
from onsite.models import BadgeBatch
from onsite.services.badges import badge_batch_can_rerun, badge_batch_rerun, badge_batch_run
from registration.enums import ParticipantStatus
from tests.factories import ConferenceFactory, ParticipantFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch():
    conference = ConferenceFactory()
    ParticipantFactory(conference=conference, status=ParticipantStatus.APPROVED)
    return BadgeBatch.objects.create(conference=conference, requested_by=StaffFactory(), total=1)


def test_badge_batch_run_live_lease_not_taken_over(batch):
    BadgeBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, heartbeat_at=timezone.now())
    batch = badge_batch_run(batch)
    assert batch.status == BatchStatus.RUNNING and not batch.file
    assert badge_batch_can_rerun(batch) is False


def test_badge_batch_run_stale_lease_claimed_and_completed(batch, settings):
    settings.ACCORD_BADGE_BATCH_LEASE_SECONDS = 60
    stale = timezone.now() - datetime.timedelta(seconds=61)
    BadgeBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, heartbeat_at=stale, done=0)
    batch.refresh_from_db()
    assert badge_batch_can_rerun(batch) is True
    batch = badge_batch_run(batch)
    assert batch.status == BatchStatus.DONE
    with batch.file.open("rb") as handle:
        assert len(pypdf.PdfReader(handle).pages) == 1
    assert batch.heartbeat_at > stale


def test_badge_batch_rerun_requeues_failed_and_refuses_done(batch, django_capture_on_commit_callbacks):
    staff = StaffFactory()
    BadgeBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED, error="worker lost")
    with django_capture_on_commit_callbacks(execute=True):
        batch = badge_batch_rerun(batch, actor=staff)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.error == ""
    with pytest.raises(AccordError):
        badge_batch_rerun(batch, actor=staff)


def test_desk_batch_rerun_button_for_stalled_batch(client, batch, settings, django_capture_on_commit_callbacks):
    settings.ACCORD_REQUIRE_STAFF_MFA = False
    settings.ACCORD_DEFAULT_CONFERENCE = batch.conference.slug
    staff = StaffFactory()
    client.force_login(staff)
    BadgeBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING, heartbeat_at=timezone.now() - datetime.timedelta(hours=1)
    )
    page = client.get("/desk/batches/").content.decode()
    assert f"/desk/batches/{batch.pk}/rerun/" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/desk/batches/{batch.pk}/rerun/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
