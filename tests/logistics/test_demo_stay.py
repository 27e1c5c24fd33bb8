"""seed_demo's stay: two hotels with blocks, bookings (one shared double from a mutual request), the DSA rate;
a second run writes nothing more."""

import io

import pytest
from django.core.management import call_command

from logistics.models import DsaRate, Hotel, RoomBlock, RoomBooking, RoommateRequest
from logistics.selectors_stay import mutual_roommate_pairs, rooming_list

pytestmark = pytest.mark.django_db


def _counts():
    return (Hotel.objects.count(), RoomBlock.objects.count(), RoomBooking.objects.count(),
            RoomBooking.objects.filter(roommate__isnull=False).count(), DsaRate.objects.count(),
            RoommateRequest.objects.count())


def test_seed_demo_adds_hotels_blocks_bookings_and_rate():
    call_command("seed_demo", stdout=io.StringIO())
    hotels, blocks, bookings, shared, rates, requests = _counts()
    assert (hotels, rates, shared, requests) == (2, 1, 1, 2)
    assert blocks == 2 * 2 * 6  # two hotels, two room types, six nights (8 to 13 July)
    assert bookings >= 4
    conference = Hotel.objects.first().conference
    assert len(mutual_roommate_pairs(conference)) == 1
    for hotel in Hotel.objects.all():
        assert {line.state for line in rooming_list(hotel)} <= {"new"}
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == (hotels, blocks, bookings, shared, rates, requests)
