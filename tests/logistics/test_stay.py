"""Hotels, room blocks and bookings: nights from the travel plan, quotas, the sharing rule, roommate requests,
and the rooming list's states since the last one sent (XLSX, CSV, PDF in three languages)."""

import csv
import io

import pytest
from django.utils import translation
from django.utils.translation import pgettext
from openpyxl import load_workbook
from pypdf import PdfReader

from conference.models import AuditLog
from conference.services import AccordError
from logistics import selectors_stay, services_stay
from logistics.models import RoomBooking, RoomingListSend, RoommateRequest, StayRules
from logistics.selectors import stay_nights
from tests.factories import ConferenceFactory, DelegationFactory, ParticipantFactory, StaffFactory
from tests.logistics.stay_data import JULY, make_guest, make_hotel

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    return StaffFactory()


def test_stay_nights_come_from_the_travel_plan(conference):
    guest = make_guest(conference, arrive=9, leave=12)
    other = ParticipantFactory(conference=conference)
    assert stay_nights(conference, [guest.pk, other.pk]) == {guest.pk: (JULY[9], JULY[12])}


def test_room_booking_takes_nights_from_the_plan_and_can_be_edited(conference, organizer):
    hotel = make_hotel(conference)
    guest = make_guest(conference, arrive=10, leave=13)
    booking = services_stay.room_booking_save(hotel=hotel, guest=guest, room_type="single", actor=organizer)
    assert (booking.check_in, booking.check_out, booking.dates_edited) == (JULY[10], JULY[13], False)
    assert booking.nights == [JULY[10], JULY[11], JULY[12]]
    booking = services_stay.room_booking_save(hotel=hotel, guest=guest, room_type="single", actor=organizer,
                                              check_in=JULY[9], check_out=JULY[12], booking=booking)
    booking.refresh_from_db()
    assert (booking.check_in, booking.check_out, booking.dates_edited) == (JULY[9], JULY[12], True)
    entry = AuditLog.objects.filter(action="logistics.room_booking_save").order_by("-id").first()
    assert entry.changes == {"check_in": ["2023-07-10", "2023-07-09"], "check_out": ["2023-07-13", "2023-07-12"],
                             "nights": [3, 3]} or entry.changes == {
        "check_in": ["2023-07-10", "2023-07-09"], "check_out": ["2023-07-13", "2023-07-12"]}


def test_room_over_quota_is_refused_naming_the_night(conference, organizer):
    hotel = make_hotel(conference, singles=1)
    first, second = make_guest(conference), make_guest(conference, arrive=12, leave=13)
    services_stay.room_booking_save(hotel=hotel, guest=first, room_type="single", actor=organizer)
    with pytest.raises(AccordError, match="full on the night of 2023-07-12"):
        services_stay.room_booking_save(hotel=hotel, guest=second, room_type="single", actor=organizer)
    assert RoomBooking.objects.count() == 1
    # A night the block does not hold is refused too, nothing saved.
    late = make_guest(conference, arrive=12, leave=15)
    with pytest.raises(AccordError, match="no block of Double rooms on the night of 2023-07-13"):
        services_stay.room_booking_save(hotel=hotel, guest=late, room_type="double", actor=organizer)
    assert RoomBooking.objects.count() == 1


def test_roommate_of_another_conference_is_refused(conference, organizer):
    hotel = make_hotel(conference)
    guest = make_guest(conference)
    stranger = ParticipantFactory(conference=ConferenceFactory())
    with pytest.raises(AccordError, match="^Roommate: this participant belongs to another conference"):
        services_stay.room_booking_save(hotel=hotel, guest=guest, roommate=stranger, room_type="double",
                                        actor=organizer)
    with pytest.raises(AccordError, match="^Would share with: this participant belongs to another conference"):
        services_stay.roommate_request_save(guest, requested=stranger, actor=organizer)
    assert RoomBooking.objects.count() == 0
    assert RoommateRequest.objects.count() == 0


def test_sharing_rule_same_gender_then_same_delegation(conference, organizer):
    hotel = make_hotel(conference)
    delegation = DelegationFactory(conference=conference)
    guest = make_guest(conference, gender="female", delegation=delegation)
    man = make_guest(conference, gender="male", delegation=delegation)
    woman_elsewhere = make_guest(conference, gender="female")
    with pytest.raises(AccordError, match="same gender"):
        services_stay.room_booking_save(hotel=hotel, guest=guest, roommate=man, room_type="double", actor=organizer)
    services_stay.stay_rules_save(conference, sharing_rule="same_delegation", actor=organizer)
    with pytest.raises(AccordError, match="same delegation"):
        services_stay.room_booking_save(hotel=hotel, guest=guest, roommate=woman_elsewhere, room_type="double",
                                        actor=organizer)
    with pytest.raises(AccordError, match="only a double room"):
        services_stay.room_booking_save(hotel=hotel, guest=guest, roommate=man, room_type="single", actor=organizer)
    booking = services_stay.room_booking_save(hotel=hotel, guest=guest, roommate=man, room_type="double",
                                              actor=organizer)
    assert (booking.guest, booking.roommate) == (guest, man)
    assert StayRules.objects.get(conference=conference).sharing_rule == "same_delegation"
    # Someone already in a room is not booked twice.
    with pytest.raises(AccordError, match="already has a room"):
        services_stay.room_booking_save(hotel=hotel, guest=man, room_type="single", actor=organizer)


def test_a_sharing_request_counts_only_when_both_ask(conference, organizer):
    a, b, c = (make_guest(conference) for _ in range(3))
    services_stay.roommate_request_save(a, requested=b, actor=organizer)
    services_stay.roommate_request_save(c, requested=a, actor=organizer)
    assert selectors_stay.mutual_roommate_pairs(conference) == []
    services_stay.roommate_request_save(b, requested=a, actor=organizer)
    assert selectors_stay.mutual_roommate_pairs(conference) == [tuple(sorted((a.pk, b.pk)))]


def _states(hotel):
    return [(line.state, line.values["guest"], line.changed) for line in selectors_stay.rooming_list(hotel)]


def test_rooming_list_states_since_the_last_one_sent(conference, organizer, django_capture_on_commit_callbacks,
                                                     mailoutbox):
    hotel = make_hotel(conference)
    people = [make_guest(conference, first_name=name, last_name="Test") for name in ("Amal", "Badr", "Chadi", "Dina")]
    bookings = [services_stay.room_booking_save(hotel=hotel, guest=person, room_type="single" if i < 2 else "double",
                                                actor=organizer) for i, person in enumerate(people[:3])]
    assert _states(hotel) == [("new", "Amal Test", []), ("new", "Badr Test", []), ("new", "Chadi Test", [])]
    with django_capture_on_commit_callbacks(execute=True):
        first = services_stay.rooming_list_send(hotel, actor=organizer)
    assert first.counts == {"new": 3, "amended": 0, "cancelled": 0, "unchanged": 0}
    assert len(mailoutbox) == 1
    assert _states(hotel) == [("unchanged", "Amal Test", []), ("unchanged", "Badr Test", []),
                              ("unchanged", "Chadi Test", [])]
    # Amal leaves a day early, Badr's room is cancelled, Dina arrives, Chadi is unchanged.
    services_stay.room_booking_save(hotel=hotel, guest=people[0], room_type="single", actor=organizer,
                                    check_in=JULY[10], check_out=JULY[12], booking=bookings[0])
    services_stay.room_booking_cancel(bookings[1], actor=organizer)
    services_stay.room_booking_save(hotel=hotel, guest=people[3], room_type="double", actor=organizer)
    assert _states(hotel) == [("new", "Dina Test", []), ("amended", "Amal Test", ["check_out", "nights"]),
                              ("cancelled", "Badr Test", []), ("unchanged", "Chadi Test", [])]
    with django_capture_on_commit_callbacks(execute=True):
        second = services_stay.rooming_list_send(hotel, actor=organizer)
    assert second.counts == {"new": 1, "amended": 1, "cancelled": 1, "unchanged": 1}
    assert len(mailoutbox) == 2
    # The cancelled line went once: the next list no longer has it.
    assert _states(hotel) == [("unchanged", "Amal Test", []), ("unchanged", "Chadi Test", []),
                              ("unchanged", "Dina Test", [])]
    # What went is stored: the CSV and XLSX of the second send.
    with second.csv.open("rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    assert rows[0] == ["State", "Changed", "Guest", "Roommate", "Room type", "Check-in date", "Check-out date", "Nights",
                       "Notes"]
    assert [row[:3] + row[5:8] for row in rows[1:]] == [
        ["New", "", "Dina Test", "2023-07-10", "2023-07-13", "3"],
        ["Amended", "Check-out date, Nights", "Amal Test", "2023-07-10", "2023-07-12", "2"],
        ["Cancelled", "", "Badr Test", "2023-07-10", "2023-07-13", "3"],
        ["Unchanged", "", "Chadi Test", "2023-07-10", "2023-07-13", "3"],
    ]
    with second.xlsx.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    assert [cell.value for cell in sheet[3]][:3] == ["New", None, "Dina Test"]
    message = mailoutbox[1]
    assert message.to == ["rooms@nile-palace.example"]
    assert "1 new, 1 amended, 1 cancelled, 1 unchanged" in message.body
    assert sorted(name.rsplit(".", 1)[1] for name, _content, _mime in message.attachments) == ["csv", "pdf", "xlsx"]
    assert RoomingListSend.objects.filter(hotel=hotel, sent_at__isnull=False).count() == 2
    # The list carries only what the hotel needs: no e-mail address, no delegation.
    assert people[3].email not in str(second.lines)


def test_a_hotel_without_email_is_refused(conference, organizer):
    hotel = make_hotel(conference)
    hotel.contact_email = ""
    hotel.save()
    with pytest.raises(AccordError, match="^Contact e-mail"):
        services_stay.rooming_list_send(hotel, actor=organizer)
    assert RoomingListSend.objects.count() == 0


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_rooming_list_pdf_in_three_languages(conference, organizer, language):
    hotel = make_hotel(conference, language=language)
    services_stay.room_booking_save(hotel=hotel, guest=make_guest(conference, first_name="Amal", last_name="Test"),
                                    room_type="single", actor=organizer)
    send = services_stay.rooming_list_send(hotel, actor=organizer)
    with send.pdf.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Amal Test" in text
    assert "2023-07-10" in text
    with translation.override(language):
        words = [pgettext("rooming list", "Guest"), pgettext("rooming list line", "New")]
    for word in words:
        # pypdf may give an Arabic word in visual order (its letters reversed)
        assert word in text or (language == "ar" and word[::-1] in text)


def test_rooming_list_query_count_does_not_grow(conference, organizer, django_assert_num_queries):
    hotel = make_hotel(conference, singles=50)
    for _ in range(2):
        services_stay.room_booking_save(hotel=hotel, guest=make_guest(conference), room_type="single",
                                        actor=organizer)
    with django_assert_num_queries(2):
        assert len(selectors_stay.rooming_list(hotel)) == 2
    for _ in range(20):
        services_stay.room_booking_save(hotel=hotel, guest=make_guest(conference), room_type="single",
                                        actor=organizer)
    with django_assert_num_queries(2):
        assert len(selectors_stay.rooming_list(hotel)) == 22


def test_the_schedule_sends_only_hotels_that_asked_and_changed(conference, organizer, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    scheduled = make_hotel(conference, name="Scheduled", send_on_schedule=True)
    manual = make_hotel(conference, name="Manual")
    for hotel in (scheduled, manual):
        services_stay.room_booking_save(hotel=hotel, guest=make_guest(conference), room_type="single",
                                        actor=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        assert services_stay.rooming_lists_send_due() == 1
    assert [send.hotel.name for send in RoomingListSend.objects.all()] == ["Scheduled"]
    assert RoomingListSend.objects.get().trigger == "schedule"
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services_stay.rooming_lists_send_due() == 0  # nothing changed since
    assert len(mailoutbox) == 1


def test_stay_nights_prefer_the_itinerary_legs(conference):
    import datetime

    from logistics.models import Itinerary, ItineraryLeg

    guest = make_guest(conference, arrive=9, leave=12)
    itinerary = Itinerary.objects.create(participant=guest)
    # Lands 23:30 UTC on 10 July = 02:30 on 11 July in Cairo; leaves 21:30 UTC on 13 July = 00:30 on 14 July.
    ItineraryLeg.objects.create(itinerary=itinerary, direction="inbound", carrier="EgyptAir", flight_number="MS 1",
                                from_airport="CDG", to_airport="SSH",
                                departs_at=datetime.datetime(2023, 7, 10, 18, 0, tzinfo=datetime.UTC),
                                arrives_at=datetime.datetime(2023, 7, 10, 23, 30, tzinfo=datetime.UTC))
    ItineraryLeg.objects.create(itinerary=itinerary, direction="outbound", carrier="EgyptAir", flight_number="MS 2",
                                from_airport="SSH", to_airport="CDG",
                                departs_at=datetime.datetime(2023, 7, 13, 21, 30, tzinfo=datetime.UTC),
                                arrives_at=datetime.datetime(2023, 7, 14, 2, 0, tzinfo=datetime.UTC))
    assert stay_nights(conference, [guest.pk]) == {guest.pk: (JULY[11], JULY[14])}


def test_bookings_follow_the_travel_dates_unless_set_by_hand(conference, organizer):
    hotel = make_hotel(conference, singles=1)
    moving = make_guest(conference, arrive=10, leave=13)
    by_hand = make_guest(conference, arrive=10, leave=11)
    blocked = make_guest(conference, arrive=11, leave=12)
    first = services_stay.room_booking_save(hotel=hotel, guest=moving, room_type="single", actor=organizer)
    kept = services_stay.room_booking_save(hotel=hotel, guest=by_hand, room_type="double", actor=organizer,
                                           check_in=JULY[10], check_out=JULY[11])
    third = services_stay.room_booking_save(hotel=hotel, guest=blocked, room_type="double", actor=organizer)
    moving.travel_plan.departure_date = JULY[12]
    moving.travel_plan.save()
    by_hand.travel_plan.departure_date = JULY[13]
    by_hand.travel_plan.save()
    blocked.travel_plan.arrival_date = JULY[9]  # a day earlier: the double block has room that night
    blocked.travel_plan.save()
    result = services_stay.room_bookings_follow_travel(conference, actor=organizer)
    assert result == {"moved": [first.pk, third.pk], "refused": []}
    first.refresh_from_db()
    kept.refresh_from_db()
    third.refresh_from_db()
    assert (first.check_in, first.check_out, first.dates_edited) == (JULY[10], JULY[12], False)
    assert (kept.check_in, kept.check_out, kept.dates_edited) == (JULY[10], JULY[11], True)
    assert (third.check_in, third.check_out) == (JULY[9], JULY[12])
    # A move the block cannot take is refused and the booking keeps its dates.
    other = make_guest(conference, arrive=12, leave=13)
    services_stay.room_booking_save(hotel=hotel, guest=other, room_type="single", actor=organizer)
    moving.travel_plan.departure_date = JULY[13]
    moving.travel_plan.save()
    result = services_stay.room_bookings_follow_travel(conference, actor=organizer)
    assert result["moved"] == []
    assert [booking_id for booking_id, _reason in result["refused"]] == [first.pk]
    assert "full on the night of 2023-07-12" in result["refused"][0][1]
    first.refresh_from_db()
    assert first.check_out == JULY[12]


def test_the_rooming_lists_schedule_is_in_celery_beat():
    from django.conf import settings

    from conference.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["logistics-send-due-rooming-lists"]
    assert entry == {"task": "logistics.send_due_rooming_lists", "schedule": 86400}
    assert entry["task"] in app.tasks
