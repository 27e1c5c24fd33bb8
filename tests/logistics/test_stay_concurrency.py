"""Two organizers book the last room of a block at once: the block rows' lock gives it to one of them and refuses
the other. The threads make the call the admin makes (``services_stay.room_booking_save``); the window between
counting the rooms and saving is widened through the service's documented test hook ``room_race_window``. The
control run reads the block rows without ``FOR UPDATE`` and shows the overbooking the lock prevents."""

import threading
import time

import pytest
from django.db import connection, connections
from django.db.models import QuerySet

from conference.services import AccordError
from logistics import services_stay
from logistics.models import Hotel, RoomBooking
from registration.models import Participant
from tests.factories import StaffFactory
from tests.logistics.stay_data import make_guest, make_hotel

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def last_room(conference, monkeypatch):
    hotel = make_hotel(conference, singles=2)
    organizer = StaffFactory()
    services_stay.room_booking_save(hotel=hotel, guest=make_guest(conference), room_type="single", actor=organizer)
    contenders = [make_guest(conference).pk, make_guest(conference).pk]
    monkeypatch.setattr(services_stay, "room_race_window", lambda: time.sleep(0.3))
    return hotel.pk, organizer.pk, contenders


def _book_at_once(hotel_id, organizer_id, participant_ids):
    barrier = threading.Barrier(len(participant_ids))
    outcomes, errors = [], []

    def work(participant_id):
        try:
            from django.contrib.auth import get_user_model

            hotel = Hotel.objects.select_related("conference").get(pk=hotel_id)
            guest = Participant.objects.get(pk=participant_id)
            organizer = get_user_model().objects.get(pk=organizer_id)
            barrier.wait(timeout=30)
            try:
                services_stay.room_booking_save(hotel=hotel, guest=guest, room_type="single", actor=organizer)
                outcomes.append("booked")
            except AccordError as refusal:
                outcomes.append(str(refusal))
        except Exception as error:  # noqa: BLE001 - reported to the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(pk,)) for pk in participant_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return sorted(outcomes)


def test_the_last_room_goes_to_one_of_two_organizers(last_room):
    assert connection.vendor == "postgresql"
    hotel_id, organizer_id, contenders = last_room
    outcomes = _book_at_once(hotel_id, organizer_id, contenders)
    assert outcomes == [
        "Room type: the block of Single rooms is full on the night of 2023-07-10 (2 rooms).", "booked"]
    assert RoomBooking.objects.filter(hotel_id=hotel_id).count() == 2


def test_without_the_lock_the_block_is_overbooked_control(last_room, monkeypatch):
    """Control: the same calls with SELECT ... FOR UPDATE read as a plain SELECT book three rooms of two."""
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, *args, **kwargs: self)
    hotel_id, organizer_id, contenders = last_room
    assert _book_at_once(hotel_id, organizer_id, contenders) == ["booked", "booked"]
    assert RoomBooking.objects.filter(hotel_id=hotel_id).count() == 3
