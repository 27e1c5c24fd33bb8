"""The read log is written by each access path hooked so far, and the registration's consent step records the
notice version accepted and logs consent changes."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from privacy.models import ConsentChange, NoticeAcceptance, ReadLog
from privacy.services.notices import notice_publish
from registration.models import Participant
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), (200, 10, 10)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_desk_photo_is_in_the_read_log(client, traveller):
    staff = StaffFactory(username="desk@example.org")
    traveller.photo.save("p.jpg", ContentFile(_jpeg()), save=True)
    client.force_login(staff)

    assert client.get(reverse("registration:desk_photo", args=[traveller.public_id])).status_code == 200

    assert list(ReadLog.objects.values_list("participant_id", "reader_id", "reader_name", "kind", "what", "where")) == [
        (traveller.pk, staff.pk, "desk@example.org", "photos", "photo", "desk")
    ]


def test_desk_photo_refused_writes_no_read(client, traveller):
    client.force_login(UserFactory())
    assert client.get(reverse("registration:desk_photo", args=[traveller.public_id])).status_code == 404
    assert not ReadLog.objects.exists()


def _privacy_ticked(page: str) -> bool:
    tag = re.search(r'<input[^>]*name="privacy"[^>]*>', page).group(0)
    return " checked" in tag


@pytest.fixture
def registrant(conference):
    from tests.factories import ParticipantFactory

    user = UserFactory(username="amina@example.org")
    return ParticipantFactory(conference=conference, user=user, email="amina@example.org", status="invited",
                              first_name="", last_name="")


def test_consent_step_records_the_notice_version_and_asks_again(client, registrant, conference):
    notice_publish(conference, actor=None, text="v1", text_fr="v1 fr", text_ar="v1 ar")
    client.force_login(registrant.user)
    step6 = reverse("registration:register_step", args=[6])

    assert client.post(step6, {"privacy": "on", "photos": "on"}).status_code == 302

    registrant.refresh_from_db()
    first_time = registrant.consent_privacy_at
    assert first_time is not None
    assert list(NoticeAcceptance.objects.values_list("participant_id", "notice__version")) == [(registrant.pk, 1)]
    assert list(ConsentChange.objects.order_by("pk").values_list("topic", "old_value", "new_value")) == [
        ("photos", "no", "yes"), ("privacy_notice", "", "v1"),
    ]
    assert _privacy_ticked(client.get(step6).content.decode())

    notice_publish(conference, actor=None, text="v2", text_fr="v2 fr", text_ar="v2 ar")
    page = client.get(step6).content.decode()
    assert not _privacy_ticked(page)
    status = client.get(reverse("registration:register"), follow=True).content.decode()
    assert "The privacy notice has changed" in status

    client.post(step6, {"privacy": "on", "photos": "on", "directory": "on"})
    registrant.refresh_from_db()
    assert registrant.consent_privacy_at > first_time
    assert sorted(NoticeAcceptance.objects.values_list("notice__version", flat=True)) == [1, 2]
    assert list(ConsentChange.objects.order_by("pk").values_list("topic", "old_value", "new_value"))[2:] == [
        ("directory", "no", "yes"), ("privacy_notice", "v1", "v2"),
    ]


def test_consent_changed_by_an_organizer_is_logged(traveller):
    from registration.services.participants import participant_update

    organizer = StaffFactory()
    participant_update(traveller, actor=organizer, consent_photos=True)
    participant_update(traveller, actor=organizer, consent_photos=True)
    assert list(ConsentChange.objects.values_list("topic", "old_value", "new_value", "actor")) == [
        ("photos", "no", "yes", organizer.pk)
    ]
    assert Participant.objects.get(pk=traveller.pk).consent_photos is True


def _photo(participant):
    participant.photo.save("p.jpg", ContentFile(_jpeg()), save=True)
    return participant


def test_desk_badge_print_and_batch_download_log_the_photos_they_print(client, conference,
                                                                        django_capture_on_commit_callbacks):
    from onsite.models import BadgeBatch
    from tests.factories import DelegationFactory
    from tests.onsite.factories import approved_with_badge

    staff = StaffFactory(username="desk@example.org")
    client.force_login(staff)
    delegation = DelegationFactory(conference=conference, code="EGY")
    with_photo = _photo(approved_with_badge(conference=conference, delegation=delegation))
    approved_with_badge(conference=conference, delegation=delegation)  # no photo: nothing read

    assert client.post(reverse("registration:desk_print", args=[with_photo.public_id])).status_code == 200
    assert list(ReadLog.objects.values_list("participant_id", "kind", "what", "where")) == [
        (with_photo.pk, "photos", "badge", "desk")]

    ReadLog.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registration:desk_batches"), {"delegation": "EGY", "layout": "sheet"})
    batch = BadgeBatch.objects.get()
    assert not ReadLog.objects.exists()  # rendering is not reading
    assert client.get(reverse("registration:desk_batch_download", args=[batch.pk])).status_code == 200
    assert list(ReadLog.objects.values_list("participant_id", "reader_id", "kind", "what", "where")) == [
        (with_photo.pk, staff.pk, "photos", "badge", "download")]
