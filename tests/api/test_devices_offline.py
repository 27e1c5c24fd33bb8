"""The offline list a device downloads (the approved participants it may check in, with their badge code's
digest), then only the changes since its version; photo thumbnails served to the device and read-logged."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from onsite.models import Badge
from onsite.services.badges import badge_code, badge_revoke
from privacy.models import ReadLog
from registration.enums import ParticipantStatus
from registration.models import Participant
from tests.api.conftest import enrolled
from tests.factories import ConferenceFactory, ParticipantFactory
from tests.onsite.factories import approved_with_badge

pytestmark = pytest.mark.django_db

LIST = "/api/v1/devices/participants/"


def digest(person) -> str:
    return hashlib.sha256(badge_code(Badge.objects.get(participant=person)).encode()).hexdigest()


def jpeg(side=600) -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (side, side), (200, 40, 40)).save(out, format="JPEG")
    return ContentFile(out.getvalue(), name="photo.jpg")


def age(*people) -> None:
    """Make ``people``'s last changes an hour old: older than any list this test reads."""
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    ids = [person.pk for person in people]
    Participant.objects.filter(pk__in=ids).update(updated_at=hour_ago)
    Badge.objects.filter(participant_id__in=ids).update(created_at=hour_ago)


def test_full_list_then_only_the_changes_and_removals(conference, organizer, device_client):
    _device, _row, token = enrolled(conference, organizer)
    api = device_client(token)
    stays, revoked, cancelled = (approved_with_badge(conference=conference) for _ in range(3))
    submitted = ParticipantFactory(conference=conference, status=ParticipantStatus.SUBMITTED)
    approved_with_badge(conference=ConferenceFactory(slug="elsewhere"))
    age(stays, revoked, cancelled, submitted)

    full = api.get(LIST).json()

    assert full["full"] is True and full["removed"] == []
    assert {row["id"]: row["code_sha256"] for row in full["participants"]} == {
        person.public_id: digest(person) for person in (stays, revoked, cancelled)
    }
    row = next(row for row in full["participants"] if row["id"] == stays.public_id)
    assert set(row) == {"id", "name", "name_ar", "delegation", "delegation_code", "category", "category_label",
                        "photo_url", "code_sha256", "checked_in_at"}
    old_digest = digest(revoked)

    badge_revoke(revoked, actor=organizer, reason="lost")
    Participant.objects.filter(pk=cancelled.pk).update(status=ParticipantStatus.CANCELLED, updated_at=timezone.now())
    newcomer = approved_with_badge(conference=conference)
    changes = api.get(LIST, {"since": full["version"]}).json()

    assert changes["full"] is False
    assert {row["id"]: row["code_sha256"] for row in changes["participants"]} == {
        revoked.public_id: digest(revoked), newcomer.public_id: digest(newcomer),
    }
    assert digest(revoked) != old_digest
    assert changes["removed"] == [cancelled.public_id]
    assert int(changes["version"]) >= int(full["version"])


def test_device_without_details_lists_ids_and_digests_only(conference, organizer, device_client):
    _device, _row, token = enrolled(conference, organizer, shows_details=False)
    person = approved_with_badge(conference=conference)

    rows = device_client(token).get(LIST).json()["participants"]

    assert rows == [{"id": person.public_id, "code_sha256": digest(person), "checked_in_at": None}]


def test_since_that_is_not_a_version_is_400(conference, organizer, device_client):
    _device, _row, token = enrolled(conference, organizer)
    response = device_client(token).get(LIST, {"since": "yesterday"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["since"]


@pytest.mark.parametrize("count", [1, 12])
def test_offline_list_queries_do_not_grow_with_rows(conference, organizer, device_client, django_assert_num_queries,
                                                    count):
    _device, _row, token = enrolled(conference, organizer)
    api = device_client(token)
    api.get("/api/v1/devices/me/")  # the token's last use is saved (once a minute)
    for _ in range(count):
        approved_with_badge(conference=conference)

    # The token with its device (1), the participants with their delegation and badge (1).
    with django_assert_num_queries(2):
        rows = api.get(LIST).json()["participants"]
    with django_assert_num_queries(2):
        api.get(LIST, {"since": "1"})
    assert len(rows) == count


def test_photo_thumbnail_for_the_device_with_its_read_logged(conference, organizer, device_client):
    device, _row, token = enrolled(conference, organizer)
    person = approved_with_badge(conference=conference)
    person.photo.save("photo.jpg", jpeg(), save=True)
    api = device_client(token)

    url = next(row["photo_url"] for row in api.get(LIST).json()["participants"])
    response = api.get(url)

    assert url == f"/api/v1/devices/participants/{person.public_id}/photo/"
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(response.content)).size == (160, 160)
    read = ReadLog.objects.get()
    assert (read.participant_id, read.reader_id, read.what, read.kind) == (person.pk, device.user_id, "photo", "photos")


def test_photo_refused_to_a_device_without_photos_or_for_another_conference(conference, organizer, device_client):
    _device, _row, token = enrolled(conference, organizer, shows_photos=False)
    _other, _row2, other_token = enrolled(conference, organizer)
    person = approved_with_badge(conference=conference)
    person.photo.save("photo.jpg", jpeg(), save=True)
    elsewhere = approved_with_badge(conference=ConferenceFactory(slug="elsewhere"))
    elsewhere.photo.save("photo.jpg", jpeg(), save=True)

    no_photos = device_client(token).get(f"/api/v1/devices/participants/{person.public_id}/photo/")
    other_conference = device_client(other_token).get(f"/api/v1/devices/participants/{elsewhere.public_id}/photo/")
    no_token = device_client("nothing").get(f"/api/v1/devices/participants/{person.public_id}/photo/")

    assert (no_photos.status_code, no_photos.json()["error"]["code"]) == (404, "not_found")
    assert other_conference.status_code == 404
    assert no_token.status_code == 401
    assert not ReadLog.objects.exists()
