"""The stay in the admin: a booking through the service (an over-quota one refused as a message, nothing saved),
the hotels' "send the rooming list" action, and the changelists' query counts."""

import pytest
from django.urls import reverse

from logistics import services_stay
from logistics.models import RoomBooking, RoomingListSend
from tests.factories import StaffFactory
from tests.logistics.stay_data import make_guest, make_hotel

pytestmark = pytest.mark.django_db


def test_admin_booking_over_quota_is_refused_as_a_message(client, conference):
    organizer = StaffFactory()
    client.force_login(organizer)
    hotel = make_hotel(conference, singles=1)
    services_stay.room_booking_save(hotel=hotel, guest=make_guest(conference), room_type="single", actor=organizer)
    guest = make_guest(conference)
    data = {"hotel": hotel.pk, "room_type": "single", "guest": guest.pk, "roommate": "", "check_in": "",
            "check_out": "", "notes": ""}
    response = client.post(reverse("admin:logistics_roombooking_add"), data, follow=True)
    assert "the block of Single rooms is full on the night of 2023-07-10 (1 rooms)" in response.content.decode()
    assert RoomBooking.objects.count() == 1
    hotel.blocks.filter(room_type="double").update(quota=3)
    data["room_type"] = "double"
    response = client.post(reverse("admin:logistics_roombooking_add"), data, follow=True)
    booking = RoomBooking.objects.get(guest=guest)
    assert (booking.room_type, booking.check_in.day, booking.check_out.day) == ("double", 10, 13)


def test_admin_send_rooming_list_action(client, conference, mailoutbox, django_capture_on_commit_callbacks):
    organizer = StaffFactory()
    client.force_login(organizer)
    hotel = make_hotel(conference)
    services_stay.room_booking_save(hotel=hotel, guest=make_guest(conference), room_type="single", actor=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:logistics_hotel_changelist"),
                               {"action": "send_rooming_lists", "_selected_action": [hotel.pk]}, follow=True)
    assert "1 rooming list sent" in response.content.decode()
    assert RoomingListSend.objects.get().counts == {"new": 1, "amended": 0, "cancelled": 0, "unchanged": 0}
    assert [message.to for message in mailoutbox] == [["rooms@nile-palace.example"]]


CHANGELIST_QUERIES = {"logistics_hotel": (6, 5), "logistics_roombooking": (6, 5)}


@pytest.mark.parametrize("name", list(CHANGELIST_QUERIES))
def test_stay_changelists_query_count_constant(client, conference, name, django_assert_num_queries):
    organizer = StaffFactory()
    client.force_login(organizer)
    url = reverse(f"admin:{name}_changelist")
    one_row, more_rows = CHANGELIST_QUERIES[name]
    hotel = make_hotel(conference, singles=20)
    services_stay.room_booking_save(hotel=hotel, guest=make_guest(conference), room_type="single", actor=organizer)
    with django_assert_num_queries(one_row):
        assert client.get(url).status_code == 200
    for index in range(8):
        other = make_hotel(conference, name=f"Hotel {index}")
        services_stay.room_booking_save(hotel=other, guest=make_guest(conference), room_type="single",
                                        actor=organizer)
    with django_assert_num_queries(more_rows):
        assert client.get(url).status_code == 200
