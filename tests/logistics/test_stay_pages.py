"""The logistics team's stay pages: hotels (blocks against quotas), bookings (assign, change, cancel; over quota
and another conference's roommate refused by name; sharing requests and their mutual state), rooming lists
(send now, history, the files of a list sent), DSA rates and allowances (bad rates refused by name, lines
computed, paid, a paid line changed only with a reason), payment sheets (PDF in the delegation's language,
finance XLSX masked or not). The logistics role only, 404 for another conference's ids, the read log written
once per page, and a literal query count per list page, the same for one row and for many."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from conference.models import AuditLog
from logistics import services_allowances, services_stay
from logistics.models import (
    Allowance,
    DelegationFunding,
    DsaRate,
    RoomBooking,
    RoomingListSend,
    RoommateRequest,
)
from privacy.models import ReadLog
from tests.factories import (
    ConferenceFactory,
    DelegationFactory,
    StaffFactory,
    UserFactory,
)
from tests.logistics.stay_data import JULY, make_guest, make_hotel

pytestmark = pytest.mark.django_db


def logistics_group():
    """The "Logistics" group (migration logistics.0005); a live-server test's flush removes it from a reused test
    database, so it is made again then as the migration makes it: every logistics permission but the passport's."""
    group, created = Group.objects.get_or_create(name="Logistics")
    if created:
        group.permissions.add(*Permission.objects.filter(content_type__app_label="logistics").exclude(
            content_type__model="traveldocument"))
    return group


def logistics_user(*, finance=False):
    user = UserFactory(is_staff=True)
    user.groups.add(logistics_group())
    if finance:
        user.user_permissions.add(Permission.objects.get(codename="view_bank_details"))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def team(client):
    user = logistics_user()
    client.force_login(user)
    return user


def _url(url_name, **kwargs):
    return reverse(f"registration:{url_name}", kwargs=kwargs)


def _errors(response) -> str:
    return response.content.decode()


# Who may: the logistics role; ids of another conference ----------------------------------------------------


def test_stay_pages_need_the_logistics_role(client, conference):
    hotel = make_hotel(conference)
    urls = [_url("logistics_hotels"), _url("logistics_hotel_bookings", hotel_id=hotel.pk),
            _url("logistics_rooming_lists", hotel_id=hotel.pk), _url("logistics_allowances"),
            _url("logistics_payment_sheets")]
    client.force_login(UserFactory(is_staff=True))
    assert [client.get(url).status_code for url in urls] == [404] * 5
    client.force_login(logistics_user())
    assert [client.get(url).status_code for url in urls] == [200] * 5
    client.logout()
    assert client.get(urls[0]).status_code == 302  # to the login page


def test_ids_of_another_conference_are_404(client, conference, team):
    organizer = StaffFactory()
    hotel = make_hotel(conference)
    other = ConferenceFactory(slug="other2023")
    foreign_hotel = make_hotel(other, name="Elsewhere")
    foreign_guest = make_guest(other)
    foreign_booking = services_stay.room_booking_save(hotel=foreign_hotel, guest=foreign_guest, room_type="single",
                                                      actor=organizer)
    foreign_send = services_stay.rooming_list_send(foreign_hotel, actor=organizer)
    services_allowances.dsa_rate_save(other, actor=organizer, duty_station="X", amount="10", currency="USD",
                                      valid_from=JULY[1], terminal_expenses="1")
    foreign_line = services_allowances.allowance_compute(foreign_guest, actor=organizer)
    assert foreign_guest.delegation.code in services_allowances.payment_sheets_render(other, actor=organizer)
    assert client.get(_url("logistics_hotel_bookings", hotel_id=foreign_hotel.pk)).status_code == 404
    assert client.get(_url("logistics_rooming_lists", hotel_id=foreign_hotel.pk)).status_code == 404
    assert client.get(_url("logistics_rooming_list_download", hotel_id=foreign_hotel.pk, send_id=foreign_send.pk,
                           file_format="pdf")).status_code == 404
    assert client.get(_url("logistics_rooming_list_download", hotel_id=hotel.pk, send_id=foreign_send.pk,
                           file_format="pdf")).status_code == 404
    assert client.get(_url("logistics_hotel_bookings", hotel_id=hotel.pk) + f"?change={foreign_booking.pk}"
                      ).status_code == 404
    assert client.post(_url("logistics_booking_cancel", hotel_id=hotel.pk, booking_id=foreign_booking.pk)
                       ).status_code == 404
    assert client.get(_url("logistics_allowance_edit", allowance_id=foreign_line.pk)).status_code == 404
    assert client.post(_url("logistics_allowances"), {"action": "paid", "allowance": foreign_line.pk}
                       ).status_code == 404
    assert client.get(_url("logistics_payment_sheet_download", name=f"{foreign_guest.delegation.code}.pdf")
                      ).status_code == 404
    assert RoomBooking.objects.filter(pk=foreign_booking.pk).exists()
    assert Allowance.objects.get(pk=foreign_line.pk).paid_at is None


# Hotels and bookings ---------------------------------------------------------------------------------------


def _book(conference, hotel, organizer, count, **guest_fields):
    for _index in range(count):
        services_stay.room_booking_save(hotel=hotel, guest=make_guest(conference, **guest_fields),
                                        room_type="single", actor=organizer)


def test_hotels_page_shows_blocks_against_quota(client, conference, team, django_assert_num_queries):
    organizer = StaffFactory()
    hotel = make_hotel(conference, singles=2, doubles=1)
    make_hotel(conference, name="Sinai Resort", nights=(10,))
    _book(conference, hotel, organizer, 2, arrive=10, leave=12)
    response = client.get(_url("logistics_hotels"))
    page = response.content.decode()
    assert "Ms. Reservations" in page and "rooms@nile-palace.example" in page
    nile = next(item for item in response.context["hotels"] if item["hotel"] == hotel)
    cells = [(row["night"], [(cell["quota"], cell["taken"]) for cell in row["cells"]]) for row in nile["nights"]]
    assert cells == [(JULY[9], [(2, 0), (1, 0)]), (JULY[10], [(2, 2), (1, 0)]), (JULY[11], [(2, 2), (1, 0)]),
                     (JULY[12], [(2, 0), (1, 0)])]
    assert page.count("<strong>full</strong>") == 2
    assert _url("logistics_hotels") in client.get(_url("logistics_dashboard")).content.decode()
    url = _url("logistics_hotels")
    with django_assert_num_queries(6):  # user, its permissions and its groups'; hotels, blocks, bookings
        client.get(url)
    make_hotel(conference, name="Third", singles=9)
    hotel.blocks.update(quota=20)
    _book(conference, hotel, organizer, 8, arrive=9, leave=13)
    with django_assert_num_queries(6):
        client.get(url)


def _booking_post(guest, *, room_type="single", roommate=None, check_in="", check_out="", booking=""):
    return {"action": "booking", "booking-booking": booking, "booking-guest": guest.public_id,
            "booking-room_type": room_type, "booking-roommate": roommate.public_id if roommate else "",
            "booking-check_in": check_in, "booking-check_out": check_out, "booking-notes": "Late arrival"}


def test_booking_assign_change_and_cancel_are_audited(client, conference, team):
    hotel = make_hotel(conference)
    guest = make_guest(conference, arrive=10, leave=13, first_name="Amal", last_name="Haddad")
    url = _url("logistics_hotel_bookings", hotel_id=hotel.pk)
    assert "Amal Haddad" in client.get(url).content.decode()  # offered in the guest list
    response = client.post(url, _booking_post(guest))
    assert response.status_code == 302
    booking = RoomBooking.objects.get()
    assert (booking.guest, booking.check_in, booking.check_out, booking.notes) == (guest, JULY[10], JULY[13],
                                                                                 "Late arrival")
    page = client.get(url + f"?change={booking.pk}").content.decode()
    assert f'value="{booking.pk}"' in page and "Change the room" in page
    response = client.post(url, _booking_post(guest, room_type="double", check_in="2023-07-09",
                                              check_out="2023-07-12", booking=booking.pk))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.room_type, booking.check_in, booking.check_out, booking.dates_edited) == (
        "double", JULY[9], JULY[12], True)
    assert RoomBooking.objects.count() == 1
    response = client.post(_url("logistics_booking_cancel", hotel_id=hotel.pk, booking_id=booking.pk))
    assert response.status_code == 302 and not RoomBooking.objects.exists()
    assert list(AuditLog.objects.filter(actor=team).order_by("id").values_list("action", flat=True)) == [
        "logistics.room_booking_save", "logistics.room_booking_save", "logistics.room_booking_cancel"]


def test_booking_over_quota_or_with_another_conferences_roommate_is_refused(client, conference, team):
    organizer = StaffFactory()
    hotel = make_hotel(conference, singles=1)
    _book(conference, hotel, organizer, 1, arrive=10, leave=13)
    late = make_guest(conference, arrive=11, leave=13)
    url = _url("logistics_hotel_bookings", hotel_id=hotel.pk)
    response = client.post(url, _booking_post(late))
    assert response.status_code == 400
    assert "Room type: the block of Single rooms is full on the night of 2023-07-11 (1 rooms)." in _errors(response)
    assert response.context["form"].errors["room_type"]
    stranger = make_guest(ConferenceFactory(slug="other2023"))
    response = client.post(url, _booking_post(late, room_type="double", roommate=stranger))
    assert response.status_code == 400
    assert response.context["form"].errors["roommate"] == ["Roommate: this participant belongs to another conference."]
    response = client.post(url, {"action": "sharing", "sharing-participant": late.public_id,
                                 "sharing-requested": stranger.public_id})
    assert response.status_code == 400
    assert response.context["request_form"].errors["requested"] == [
        "Would share with: this participant belongs to another conference."]
    assert RoomBooking.objects.count() == 1 and not RoommateRequest.objects.exists()
    assert not AuditLog.objects.filter(actor=team).exists()


def test_sharing_requests_show_their_mutual_state(client, conference, team):
    hotel = make_hotel(conference)
    ana, bea, cem = (make_guest(conference, first_name=name, last_name="Test") for name in ("Ana", "Bea", "Cem"))
    url = _url("logistics_hotel_bookings", hotel_id=hotel.pk)
    for participant, requested in ((ana, bea), (bea, ana), (cem, ana)):
        response = client.post(url, {"action": "sharing", "sharing-participant": participant.public_id,
                                     "sharing-requested": requested.public_id})
        assert response.status_code == 302
    shown = {(item["request"].participant.first_name, item["request"].requested.first_name): item["mutual"]
             for item in client.get(url).context["requests"]}
    assert shown == {("Ana", "Bea"): True, ("Bea", "Ana"): True, ("Cem", "Ana"): False}
    assert AuditLog.objects.filter(actor=team, action="logistics.roommate_request_save").count() == 3


def test_bookings_page_reads_are_logged_and_counted(client, conference, team, django_assert_num_queries):
    organizer = StaffFactory()
    hotel = make_hotel(conference, singles=20)
    _book(conference, hotel, organizer, 1)
    url = _url("logistics_hotel_bookings", hotel_id=hotel.pk)
    client.get(url)  # the current conference, cached from here on
    entries = ReadLog.objects.filter(reader=team, what="travel")
    assert list(entries.values_list("kind", "where")) == [("travel_hotel", "admin")]
    with django_assert_num_queries(8):  # user, permissions ×2, hotel; bookings, requests, people; read log
        client.get(url)
    _book(conference, hotel, organizer, 9)
    with django_assert_num_queries(8):
        client.get(url)
    assert entries.count() == 1 + 1 + 10


def test_booking_page_is_right_to_left_in_arabic(client, conference, team, settings):
    hotel = make_hotel(conference)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get(_url("logistics_hotel_bookings", hotel_id=hotel.pk)).content.decode()
    assert '<html lang="ar" dir="rtl">' in page


# Rooming lists ---------------------------------------------------------------------------------------------


def test_rooming_list_send_history_and_files(client, conference, team, mailoutbox,
                                             django_capture_on_commit_callbacks, django_assert_num_queries):
    organizer = StaffFactory()
    hotel = make_hotel(conference, singles=20)
    services_stay.room_booking_save(hotel=hotel, guest=make_guest(conference, first_name="Amal", last_name="Haddad"),
                                    room_type="single", actor=organizer)
    url = _url("logistics_rooming_lists", hotel_id=hotel.pk)
    page = client.get(url)
    assert [line.state for line in page.context["lines"]] == ["new"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    send = RoomingListSend.objects.get()
    assert (send.actor, send.counts["new"], len(mailoutbox)) == (team, 1, 1)
    assert AuditLog.objects.filter(actor=team, action="logistics.rooming_list_send").count() == 1
    page = client.get(url)
    assert list(page.context["sends"]) == [send] and [line.state for line in page.context["lines"]] == ["unchanged"]
    before = ReadLog.objects.filter(where="download").count()
    response = client.get(_url("logistics_rooming_list_download", hotel_id=hotel.pk, send_id=send.pk,
                               file_format="xlsx"))
    rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(b"".join(response.streaming_content)))
            .active.iter_rows()]
    assert any("Amal Haddad" in row for row in rows)
    response = client.get(_url("logistics_rooming_list_download", hotel_id=hotel.pk, send_id=send.pk,
                               file_format="csv"))
    assert "Amal Haddad" in b"".join(response.streaming_content).decode("utf-8-sig")
    response = client.get(_url("logistics_rooming_list_download", hotel_id=hotel.pk, send_id=send.pk,
                               file_format="pdf"))
    assert "Amal Haddad" in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    assert client.get(_url("logistics_rooming_list_download", hotel_id=hotel.pk, send_id=send.pk,
                           file_format="docx")).status_code == 404
    assert ReadLog.objects.filter(where="download", reader=team, kind="travel_hotel").count() == before + 3
    with django_assert_num_queries(7):  # user, permissions ×2, hotel; sends, bookings; read log
        client.get(url)
    _book(conference, hotel, organizer, 6)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with django_assert_num_queries(7):
        client.get(url)


def test_rooming_list_csv_names_no_more_than_the_hotel_needs(client, conference, team):
    organizer = StaffFactory()
    hotel = make_hotel(conference)
    _book(conference, hotel, organizer, 1, phone="+20 100 123 4567")
    send = services_stay.rooming_list_send(hotel, actor=organizer)
    response = client.get(_url("logistics_rooming_list_download", hotel_id=hotel.pk, send_id=send.pk,
                               file_format="csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) >= 2 and "+20 100" not in text and "@example.org" not in text


# DSA rates and allowances ----------------------------------------------------------------------------------


RATE = {"action": "rate", "rate-duty_station": "Sharm El Sheikh", "rate-amount": "239", "rate-currency": "usd",
        "rate-valid_from": "2023-07-01", "rate-terminal_expenses": "38", "rate-lodging_share": "50",
        "rate-meals_share": "30"}


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"rate-amount": "-5"}, "amount", "DSA per night: the amount cannot be negative."),
    ({"rate-amount": ""}, "amount", "DSA per night: give an amount."),
    ({"rate-valid_from": ""}, "valid_from", "Valid from: give a date."),
    ({"rate-currency": "dollars"}, "currency", None),
])
def test_a_bad_rate_is_refused_naming_the_field(client, conference, team, change, field, message):
    response = client.post(_url("logistics_allowances"), RATE | change)
    assert response.status_code == 400
    errors = response.context["rate_form"].errors[field]
    assert errors == [message] if message else errors
    assert not DsaRate.objects.exists() and not AuditLog.objects.filter(actor=team).exists()


def _funded(conference, count, *, delegation=None):
    delegation = delegation or DelegationFactory(conference=conference)
    DelegationFunding.objects.get_or_create(delegation=delegation, defaults={"funding": "funded"})
    return [make_guest(conference, delegation=delegation, arrive=10, leave=13, last_name=f"Guest{index}")
            for index in range(count)]


def test_rate_lines_paid_and_a_paid_line_changes_only_with_a_reason(client, conference, team):
    url = _url("logistics_allowances")
    assert client.post(url, RATE).status_code == 302
    assert DsaRate.objects.get().amount == 239
    (guest,) = _funded(conference, 1)
    assert client.post(url, {"action": "compute"}).status_code == 302
    line = Allowance.objects.get(participant=guest)
    assert (line.nights, line.total) == (3, 793)  # 3 × 239 + 2 × 38
    assert client.post(url, {"action": "paid", "allowance": line.pk}).status_code == 302
    line.refresh_from_db()
    assert line.paid_at is not None and line.paid_by == team
    edit = _url("logistics_allowance_edit", allowance_id=line.pk)
    response = client.post(edit, {"nights": 2, "journeys": 2, "reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == [
        "Reason: this allowance has been paid; say why its amounts change."]
    assert Allowance.objects.get(pk=line.pk).nights == 3
    assert client.post(edit, {"nights": 2, "journeys": 2, "reason": "Left a day early"}).status_code == 302
    line.refresh_from_db()
    assert (line.nights, line.total) == (2, 554)
    entry = AuditLog.objects.filter(action="logistics.allowance_compute", actor=team).order_by("-id").first()
    assert entry.changes["reason"] == "Left a day early" and entry.changes["total"] == ["793.00", "554.00"]
    assert list(AuditLog.objects.filter(actor=team).order_by("id").values_list("action", flat=True)) == [
        "logistics.dsa_rate_save", "logistics.allowance_compute", "logistics.allowance_paid",
        "logistics.allowance_compute"]


IBAN = "EG380019000500000000263180002"


def test_bank_details_masked_except_for_the_finance_officer(client, conference, django_assert_num_queries):
    organizer = StaffFactory()
    services_allowances.dsa_rate_save(conference, actor=organizer, duty_station="SSH", amount="239",
                                      currency="USD", valid_from=JULY[1], terminal_expenses="38")
    guests = _funded(conference, 2)
    services_allowances.allowances_compute_funded(conference, actor=organizer)
    services_allowances.bank_details_save(guests[0], actor=organizer, account_holder="Amal Test", bank_name="NBE",
                                          iban=IBAN, swift_bic="NBEGEGCX")
    url = _url("logistics_allowances")
    clerk = logistics_user()
    client.force_login(clerk)
    page = client.get(url).content.decode()
    assert IBAN not in page and "(hidden)" in page and "not given" in page
    assert not ReadLog.objects.filter(reader=clerk, kind="sensitive").exists()
    assert ReadLog.objects.filter(reader=clerk, kind="travel_hotel", what="allowance").count() == 2
    officer = logistics_user(finance=True)
    client.force_login(officer)
    page = client.get(url).content.decode()
    assert IBAN in page and "Amal Test" in page
    assert list(ReadLog.objects.filter(reader=officer, kind="sensitive").values_list(
        "participant", "what", "where")) == [(guests[0].pk, "bank_details", "admin")]
    with django_assert_num_queries(8):  # user, permissions ×2; rates, lines, bank details; 2 read-log inserts
        client.get(url)
    _funded(conference, 7)
    services_allowances.allowances_compute_funded(conference, actor=organizer)
    with django_assert_num_queries(8):
        client.get(url)


# Payment sheets --------------------------------------------------------------------------------------------


def test_payment_sheets_in_the_delegations_language_and_finance_xlsx(client, conference,
                                                                     django_capture_on_commit_callbacks,
                                                                     django_assert_num_queries):
    organizer = StaffFactory()
    services_allowances.dsa_rate_save(conference, actor=organizer, duty_station="SSH", amount="239",
                                      currency="USD", valid_from=JULY[1], terminal_expenses="38")
    french = DelegationFactory(conference=conference, code="FRA", country="FR")
    guests = _funded(conference, 2, delegation=french)
    for guest in guests:
        guest.preferred_language = "fr"
        guest.save(update_fields=["preferred_language"])
    services_allowances.allowances_compute_funded(conference, actor=organizer)
    services_allowances.bank_details_save(guests[0], actor=organizer, account_holder="Amal Test", bank_name="NBE",
                                          iban=IBAN, swift_bic="NBEGEGCX")
    clerk = logistics_user()
    client.force_login(clerk)
    url = _url("logistics_payment_sheets")
    assert "No payment sheet rendered yet." in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    page = client.get(url).content.decode()
    sheet = _url("logistics_payment_sheet_download", name="FRA.pdf")
    assert sheet in page
    response = client.get(sheet)
    text = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    assert "État de paiement" in text and "Guest0" in text and "Guest1" in text, text  # the delegation's French
    assert list(ReadLog.objects.filter(reader=clerk, what="payment_sheet").values_list("where", flat=True)) == [
        "download", "download"]
    finance = _url("logistics_payment_sheet_download", name="allowances.xlsx")

    def cells(response):
        rows = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
        return {row[1]: row[-4:] for row in list(rows)[1:]}

    masked = cells(client.get(finance))
    assert masked[guests[0].full_name] == ("(hidden)",) * 4 and masked[guests[1].full_name] == (None,) * 4
    assert not ReadLog.objects.filter(reader=clerk, kind="sensitive").exists()
    officer = logistics_user(finance=True)
    client.force_login(officer)
    shown = cells(client.get(finance))
    assert shown[guests[0].full_name] == ("Amal Test", "NBE", IBAN, "NBEGEGCX")
    assert list(ReadLog.objects.filter(reader=officer, kind="sensitive").values_list("participant", "where")) == [
        (guests[0].pk, "download")]
    assert client.get(_url("logistics_payment_sheet_download", name="ZZZ.pdf")).status_code == 404
    assert client.get("/logistics/payment-sheets/..%2F..%2Fsettings.pdf").status_code == 404
    with django_assert_num_queries(4):  # user, permissions ×2; delegations
        client.get(url)
    _funded(conference, 3, delegation=DelegationFactory(conference=conference, code="EGY"))
    services_allowances.allowances_compute_funded(conference, actor=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with django_assert_num_queries(4):
        page = client.get(url)
    assert len(page.context["sheets"]) == 2
