import pytest
from django.urls import reverse

from cooperation import services
from cooperation.models import FollowUp, MeetingRoom, MeetingSlot
from tests.factories import RoomFactory, StaffFactory

from .conftest import cairo

pytestmark = pytest.mark.django_db

COUNTS = {"bilateralmeeting": 5, "meetingslot": 5, "meetingroom": 5, "followup": 4}


def _accepted(world, requesting, invited, slot):
    meeting = services.bilateral_request(
        conference=world.conference, requesting=requesting.delegation, invited=invited.delegation,
        actor=requesting.focal, topic="Training", attendee_ids=[requesting.members[0].pk], languages=["en"],
        slot_ids=[slot.pk])
    meeting, _warnings = services.bilateral_accept(meeting, actor=invited.focal, slot_id=slot.pk)
    services.follow_up_save(FollowUp(meeting=meeting, kind="training", owner=requesting.members[0]),
                            actor=requesting.focal)


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_admin_changelists_query_count_constant(client, world, name, django_assert_num_queries):
    _accepted(world, world.a, world.b, world.slots[0])
    client.force_login(StaffFactory(password=None))
    url = reverse(f"admin:cooperation_{name}_changelist")
    client.get(url)
    with django_assert_num_queries(COUNTS[name]):
        assert client.get(url).status_code == 200
    _accepted(world, world.c, world.a, world.slots[1])
    _accepted(world, world.b, world.c, world.slots[2])
    for hour in (9, 10, 11):
        MeetingSlot.objects.create(conference=world.conference, starts_at=cairo(12, hour), ends_at=cairo(12, hour, 45))
        MeetingRoom.objects.create(conference=world.conference,
                                   room=RoomFactory(conference=world.conference, name=f"Extra {hour}"))
    with django_assert_num_queries(COUNTS[name]):
        assert client.get(url).status_code == 200
