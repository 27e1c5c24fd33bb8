import pytest
from django.core.management import call_command

from cooperation.enums import BilateralStatus
from cooperation.models import BilateralMeeting, Booking, DirectoryEntry, FollowUp, MeetingSlot

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_every_cooperation_page_data_once():
    call_command("seed_demo", verbosity=0)
    statuses = sorted(BilateralMeeting.objects.values_list("status", flat=True))
    assert statuses == sorted([BilateralStatus.ACCEPTED] * 3 + [BilateralStatus.REQUESTED, BilateralStatus.DECLINED,
                                                                 BilateralStatus.EXPIRED])
    assert DirectoryEntry.objects.filter(listed=True).count() == 12
    assert DirectoryEntry.objects.filter(listed=False).count() == 4
    assert FollowUp.objects.count() == 3
    bookings, slots = Booking.objects.count(), MeetingSlot.objects.count()
    assert bookings == 3 * (2 + 1 + 3)  # two delegations, the room, three attending members, per accepted meeting
    call_command("seed_demo", verbosity=0)
    assert (BilateralMeeting.objects.count(), Booking.objects.count(), MeetingSlot.objects.count()) == (6, bookings, slots)
