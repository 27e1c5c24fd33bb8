import datetime

import pytest
from django.urls import reverse

from cooperation.models import BilateralMeeting
from tests.factories import ConferenceFactory, DelegationFactory, RoomFactory, SessionFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _bilateral_post(conference, room, a, b, day="2023-07-11", start="10:00", end="10:45"):
    return {"conference": conference.pk, "requesting": a.pk, "invited": b.pk, "topic": "Joint investigation",
            "starts_at_0": day, "starts_at_1": start, "ends_at_0": day, "ends_at_1": end, "room": room.pk,
            "status": "accepted"}


def test_admin_bilateral_meeting_in_local_time_and_room_clash_refused(client):
    conference = ConferenceFactory()  # Cairo time, UTC+3 in July
    room = RoomFactory(conference=conference, name="Hall A")
    a, b = DelegationFactory(conference=conference), DelegationFactory(conference=conference)
    SessionFactory(conference=conference, room=room, title="Panel",
                   starts_at=datetime.datetime(2023, 7, 11, 7, 30, tzinfo=datetime.UTC),  # 10:30–12:00 in Cairo
                   ends_at=datetime.datetime(2023, 7, 11, 9, 0, tzinfo=datetime.UTC))
    client.force_login(StaffFactory())
    url = reverse("admin:cooperation_bilateralmeeting_add")
    response = client.post(url, _bilateral_post(conference, room, a, b))
    assert response.status_code == 200
    assert "Hall A is already booked at that time." in response.content.decode()
    assert not BilateralMeeting.objects.exists()
    response = client.post(url, _bilateral_post(conference, room, a, b, start="09:00", end="10:00"))
    assert response.status_code == 302
    meeting = BilateralMeeting.objects.get()
    assert meeting.starts_at == datetime.datetime(2023, 7, 11, 6, 0, tzinfo=datetime.UTC)
