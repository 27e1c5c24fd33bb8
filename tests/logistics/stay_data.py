"""Seeded stay data for the stay tests: a hotel (10–13 July 2023) with blocks of 2 single and 2 double rooms a
night, and participants with travel plans."""

import datetime

from logistics.models import Hotel, RoomBlock, TravelPlan
from tests.factories import ParticipantFactory

JULY = {day: datetime.date(2023, 7, day) for day in range(1, 32)}


def make_hotel(conference, *, name="Nile Palace", singles=2, doubles=2, nights=(9, 10, 11, 12), **fields):
    hotel = Hotel.objects.create(conference=conference, name=name, contact_name="Ms. Reservations",
                                 contact_email="rooms@nile-palace.example", **fields)
    for day in nights:
        RoomBlock.objects.create(hotel=hotel, room_type="single", night=JULY[day], quota=singles)
        RoomBlock.objects.create(hotel=hotel, room_type="double", night=JULY[day], quota=doubles)
    return hotel


def make_guest(conference, *, arrive=10, leave=13, **fields):
    participant = ParticipantFactory(conference=conference, **fields)
    TravelPlan.objects.create(participant=participant, arrival_date=JULY[arrive], departure_date=JULY[leave],
                              hotel_needed=True)
    return participant
