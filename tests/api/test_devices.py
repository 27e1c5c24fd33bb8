"""Check-in devices through the API: enrollment by a one-time code, scans through onsite's one check-in service
(ok, already with when and by whom, each reason code, nonces that count once, offline scans with their own time),
the airport and hotel arrivals, token revocation, the errors' one shape."""

from __future__ import annotations

import datetime
import threading
import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import Device, DeviceEnrollment, DeviceScan, DeviceToken
from api.services import device_save, device_token_revoke, enrollment_create
from conference.models import AuditLog
from onsite.models import Attendance, CheckIn
from onsite.services.badges import badge_code, badge_revoke
from registration.enums import ParticipantStatus
from registration.models import Participant
from sessions_app.models import Session
from tests.api.conftest import enrolled
from tests.factories import ConferenceFactory, StaffFactory
from tests.onsite.factories import approved_with_badge

pytestmark = pytest.mark.django_db

SCANS = "/api/v1/scans/"
ENROLL = "/api/v1/devices/enroll/"
DAY = datetime.datetime(2023, 7, 10, 7, 0, tzinfo=datetime.UTC)  # the conference's first morning, 10:00 in Cairo


def nonce() -> str:
    return uuid.uuid4().hex


def scan(api, code, *, at=DAY, point="desk", key=None, **extra):
    body = {"code": code, "nonce": key or nonce(), "scanned_at": at.isoformat(), "point": point, **extra}
    return api.post(SCANS, body, format="json")


@pytest.fixture
def desk(conference, organizer, device_client):
    device, row, token = enrolled(conference, organizer, name="Desk 1")
    return device, device_client(token)


# --- enrollment ----------------------------------------------------------------------------------------------


def test_enrollment_code_gives_a_token_once_and_only_its_digest_is_kept(conference, organizer):
    device = device_save(Device(conference=conference, name="Airport phone", at_desk=False, at_airport=True),
                         actor=organizer, doors=[])
    made = enrollment_create(device, actor=organizer)
    api = APIClient()

    first = api.post(ENROLL, {"code": made.code, "label": "Pixel 7"}, format="json")
    again = api.post(ENROLL, {"code": made.code}, format="json")

    assert first.status_code == 201
    token = first.json()["token"]
    assert first.json()["device"] == {
        "id": device.pk, "name": "Airport phone", "conference": "sharm2023",
        "points": {"desk": False, "airport": True, "hotel": False, "doors": []},
        "shows_details": True, "shows_photos": True,
    }
    row = DeviceToken.objects.get(device=device)
    assert (row.label, row.prefix) == ("Pixel 7", token[:12])
    assert token not in row.digest and made.code not in DeviceEnrollment.objects.get().digest
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "unauthorized"
    assert DeviceToken.objects.count() == 1
    assert list(AuditLog.objects.filter(object_id=str(device.pk)).order_by("pk").values_list("action", "actor")) == [
        ("api.device_create", organizer.pk), ("api.enrollment_create", organizer.pk),
        ("api.device_enroll", device.user_id),
    ]
    assert device.user.get_full_name() == "Airport phone" and not device.user.is_active
    assert not device.user.has_usable_password()


@pytest.mark.parametrize("case", ["wrong", "expired", "withdrawn", "garbage"])
def test_enrollment_refused_is_401_and_nothing_else(conference, organizer, case):
    device = device_save(Device(conference=conference, name="Desk"), actor=organizer, doors=[])
    made = enrollment_create(device, actor=organizer)
    code = made.code
    if case == "wrong":
        code = made.code[:-4] + ("AAAA" if not made.code.endswith("AAAA") else "BBBB")
    elif case == "expired":
        DeviceEnrollment.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif case == "withdrawn":
        enrollment_create(device, actor=organizer)  # a new code: the earlier one stops working
    else:
        code = "not a code at all"

    response = APIClient().post(ENROLL, {"code": code}, format="json")

    assert response.status_code == 401
    assert response.json() == {"error": {"code": "unauthorized", "message": "Authentication failed: give a valid token.",
                                         "fields": {}}}
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert not DeviceToken.objects.exists()


def test_enrollment_without_code_is_400_with_the_field():
    response = APIClient().post(ENROLL, {"label": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert list(response.json()["error"]["fields"]) == ["code"]


# --- scans at the desk -------------------------------------------------------------------------------------


def test_scan_ok_then_already_says_when_and_by_which_device(conference, organizer, desk, device_client):
    device, api = desk
    person = approved_with_badge(conference=conference, first_name="Amina", last_name="Diallo", badge_name="")
    code = badge_code(person.badge)
    _other, _row, other_token = enrolled(conference, organizer, name="Desk 2")

    first = scan(api, code)
    second = scan(device_client(other_token), code, at=DAY + datetime.timedelta(minutes=3))

    assert first.status_code == 200
    answer = first.json()
    assert (answer["result"], answer["duplicate"], answer["already"]) == ("ok", False, None)
    assert answer["message"] == "Amina Diallo is checked in."
    assert answer["participant"] == {
        "id": person.public_id, "name": "Amina Diallo", "name_ar": "", "delegation": str(person.delegation),
        "delegation_code": person.delegation.code, "category": "delegate", "category_label": "Delegate",
        "photo_url": None,
    }
    assert answer["scanned_at"] == DAY.isoformat()
    later = second.json()
    assert later["result"] == "already"
    assert later["already"] == {"at": DAY.isoformat(), "by": "Desk 1"}
    assert later["message"] == "Amina Diallo was already checked in at 10:00 by Desk 1."
    person.refresh_from_db()
    assert (person.checked_in_at, person.checked_in_by_id) == (DAY, device.user_id)
    assert CheckIn.objects.filter(participant=person, result="ok").get().device == "Desk 1"
    scans = AuditLog.objects.filter(action="api.scan").order_by("pk")
    assert [(entry.actor_id, entry.changes["result"], entry.changes["participant"]) for entry in scans] == [
        (device.user_id, "ok", person.public_id), (_other.user_id, "already", person.public_id),
    ]


def test_scan_resent_with_its_nonce_answers_the_first_time_and_counts_once(conference, desk):
    device, api = desk
    person = approved_with_badge(conference=conference)
    key = nonce()

    first = scan(api, badge_code(person.badge), key=key).json()
    again = scan(api, badge_code(person.badge), key=key, at=DAY + datetime.timedelta(hours=1)).json()

    assert first["result"] == "ok" and first["duplicate"] is False
    assert again == {**first, "duplicate": True}
    assert CheckIn.objects.count() == 1 and DeviceScan.objects.count() == 1
    assert AuditLog.objects.filter(action="api.scan").count() == 1


def test_same_nonce_from_two_devices_are_two_scans(conference, organizer, desk, device_client):
    _device, api = desk
    _other, _row, other_token = enrolled(conference, organizer, name="Desk 2")
    one, two = approved_with_badge(conference=conference), approved_with_badge(conference=conference)

    first = scan(api, badge_code(one.badge), key="1").json()
    second = scan(device_client(other_token), badge_code(two.badge), key="1").json()

    assert (first["result"], second["result"], second["duplicate"]) == ("ok", "ok", False)
    assert CheckIn.objects.filter(result="ok").count() == 2


def test_offline_scans_sent_out_of_order_keep_their_time_and_count_once(conference, desk):
    _device, api = desk
    early, late = approved_with_badge(conference=conference), approved_with_badge(conference=conference)
    at = {key: DAY + datetime.timedelta(minutes=minutes) for key, minutes in (("a", 0), ("b", 5), ("c", 9))}
    # Queued offline: a (early, 10:00), b (late, 10:05), c (early again, 10:09); sent back to front, then all again.
    order = [("c", early), ("b", late), ("a", early), ("a", early), ("b", late), ("c", early)]

    answers = [scan(api, badge_code(person.badge), key=key, at=at[key]).json() for key, person in order]

    assert [(answer["result"], answer["duplicate"]) for answer in answers] == [
        ("ok", False), ("ok", False), ("already", False), ("already", True), ("ok", True), ("ok", True),
    ]
    assert {row.nonce: row.scanned_at for row in DeviceScan.objects.all()} == at
    early.refresh_from_db()
    late.refresh_from_db()
    # The first scan received counts; each scan row keeps the device's time of it.
    assert (early.checked_in_at, late.checked_in_at) == (at["c"], at["b"])
    assert sorted(CheckIn.objects.values_list("scanned_at", "result")) == [
        (at["a"], "already"), (at["b"], "ok"), (at["c"], "ok"),
    ]


@pytest.mark.parametrize("offset, message", [
    (datetime.timedelta(minutes=10), "The scan's time is in the future: check the device's clock."),
    (None, "The scan's time is long before the conference: check the device's clock."),
])
def test_scan_time_in_the_future_or_long_before_is_400(conference, desk, offset, message):
    _device, api = desk
    person = approved_with_badge(conference=conference)
    at = timezone.now() + offset if offset else datetime.datetime(2023, 7, 2, 20, 59, tzinfo=datetime.UTC)

    response = scan(api, badge_code(person.badge), at=at)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"scanned_at": [message]}
    assert not CheckIn.objects.exists() and not DeviceScan.objects.exists()


@pytest.mark.parametrize("case, result", [
    ("garbage", "unknown"), ("revoked", "revoked"), ("cancelled", "cancelled"), ("submitted", "not_approved"),
    ("other conference", "other_conference"),
])
def test_scan_reason_codes(conference, organizer, desk, case, result):
    _device, api = desk
    if case == "garbage":
        code = "definitely not a badge"
    elif case == "other conference":
        code = badge_code(approved_with_badge(conference=ConferenceFactory(slug="elsewhere")).badge)
    else:
        person = approved_with_badge(conference=conference)
        code = badge_code(person.badge)
        if case == "revoked":
            badge_revoke(person, actor=organizer, reason="lost")
        else:
            Participant.objects.filter(pk=person.pk).update(
                status=ParticipantStatus.CANCELLED if case == "cancelled" else ParticipantStatus.SUBMITTED
            )

    answer = scan(api, code).json()

    assert answer["result"] == result
    if result in {"unknown", "other_conference"}:
        assert answer["participant"] is None
    assert not CheckIn.objects.filter(result="ok").exists()
    assert DeviceScan.objects.get().result == result


def test_device_without_details_gets_the_result_only(conference, organizer, device_client):
    _device, _row, token = enrolled(conference, organizer, shows_details=False)
    person = approved_with_badge(conference=conference)

    answer = scan(device_client(token), badge_code(person.badge)).json()

    assert (answer["result"], answer["participant"]) == ("ok", None)


# --- scan points -------------------------------------------------------------------------------------------


@pytest.fixture
def plenary(conference):
    return Session.objects.create(conference=conference, kind="plenary", title="Plenary",
                                  starts_at=DAY, ends_at=DAY + datetime.timedelta(hours=2))


def test_scan_point_not_allowed_answers_not_allowed_here(conference, organizer, plenary, device_client):
    _device, _row, token = enrolled(conference, organizer, at_desk=False)
    other_door = Session.objects.create(conference=conference, kind="plenary", title="Other",
                                        starts_at=DAY, ends_at=DAY + datetime.timedelta(hours=1))
    person = approved_with_badge(conference=conference)
    api = device_client(token)

    answers = [scan(api, badge_code(person.badge), point=point, **extra).json()["result"]
               for point, extra in (("desk", {}), ("airport", {}), ("hotel", {}), ("door", {"session": other_door.pk}),
                                    ("door", {"session": 999999}))]

    assert answers == ["not_allowed_here"] * 5
    assert not CheckIn.objects.exists() and not Attendance.objects.exists()
    person.refresh_from_db()
    assert person.checked_in_at is None


def test_door_scan_records_attendance_once(conference, organizer, plenary, device_client):
    _device, _row, token = enrolled(conference, organizer, name="Plenary door", at_desk=False, doors=[plenary])
    person = approved_with_badge(conference=conference)
    api = device_client(token)

    first = scan(api, badge_code(person.badge), point="door", session=plenary.pk).json()
    second = scan(api, badge_code(person.badge), point="door", session=plenary.pk,
                  at=DAY + datetime.timedelta(minutes=1)).json()

    assert (first["result"], first["session"]) == ("ok", plenary.pk)
    assert (second["result"], second["already"]) == ("already", {"at": DAY.isoformat(), "by": "Plenary door"})
    assert Attendance.objects.get().scanned_at == DAY


def test_door_scan_without_session_is_400(conference, desk):
    _device, api = desk
    response = scan(api, "x", point="door")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["session"]


def test_airport_scan_marks_the_transfer_seat_picked_up_once(conference, organizer, device_client):
    from logistics.models import TransferRun, TransferSeat

    _device, _row, token = enrolled(conference, organizer, name="Airport", at_desk=False, at_airport=True)
    _other, _row2, other_token = enrolled(conference, organizer, name="Airport 2", at_desk=False, at_airport=True)
    person = approved_with_badge(conference=conference)
    run = TransferRun.objects.create(conference=conference, direction="inbound", airport="SSH",
                                     pickup_at=DAY)
    TransferSeat.objects.create(run=run, participant=person, direction="inbound")

    first = scan(device_client(token), badge_code(person.badge), point="airport").json()
    second = scan(device_client(other_token), badge_code(person.badge), point="airport").json()

    assert (first["result"], first["transfer"]["state"]) == ("ok", "picked_up")
    assert first["message"] == f"{person.printed_name} arrived at the airport."
    assert (second["result"], second["already"]["by"]) == ("already", "Airport")
    seat = TransferSeat.objects.get()
    assert (seat.state, seat.marked_by_id) == ("picked_up", _device.user_id)
    person.refresh_from_db()
    assert person.checked_in_at is None  # arriving at the airport is not the conference check-in


def test_hotel_scan_without_booking_is_recorded_once(conference, organizer, device_client):
    _device, _row, token = enrolled(conference, organizer, name="Hotel", at_desk=False, at_hotel=True)
    person = approved_with_badge(conference=conference)
    api = device_client(token)

    first = scan(api, badge_code(person.badge), point="hotel").json()
    second = scan(api, badge_code(person.badge), point="hotel").json()

    assert (first["result"], first["hotel"]) == ("ok", None)
    assert second["result"] == "already"
    assert DeviceScan.objects.filter(point="hotel", result="ok").count() == 1


def test_arrival_constraint_refuses_a_second_accepted_hotel_scan(conference, organizer):
    device, _row, _token = enrolled(conference, organizer, at_hotel=True)
    person = approved_with_badge(conference=conference)
    row = {"device": device, "participant": person, "point": "hotel", "scanned_at": DAY}
    DeviceScan.objects.create(nonce="1", result="ok", **row)
    DeviceScan.objects.create(nonce="2", result="already", **row)
    with pytest.raises(IntegrityError), transaction.atomic():
        DeviceScan.objects.create(nonce="3", result="ok", **row)


# --- tokens and bad input ----------------------------------------------------------------------------------


def test_revoked_token_is_refused_on_its_next_call(conference, organizer, desk):
    device, api = desk
    person = approved_with_badge(conference=conference)
    assert scan(api, badge_code(person.badge)).status_code == 200

    device_token_revoke(DeviceToken.objects.get(device=device), actor=organizer)
    response = scan(api, badge_code(person.badge))

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert DeviceScan.objects.count() == 1
    assert AuditLog.objects.filter(action="api.device_token_revoke", actor=organizer).count() == 1


@pytest.mark.parametrize("header", [None, "Bearer dev_wrongwrongwrongwrongwrongwrongwrongwrongwro", "Bearer int_x",
                                    "Basic Zm9vOmJhcg==", "Bearer "])
def test_scan_without_a_valid_token_is_401(conference, header):
    api = APIClient()
    if header:
        api.credentials(HTTP_AUTHORIZATION=header)
    response = api.post(SCANS, {"code": "x", "nonce": "n", "scanned_at": DAY.isoformat(), "point": "desk"},
                        format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert not DeviceScan.objects.exists()


def test_last_use_of_a_token_is_kept(conference, desk):
    device, api = desk
    assert DeviceToken.objects.get(device=device).last_used_at is None
    api.get("/api/v1/devices/me/")
    assert DeviceToken.objects.get(device=device).last_used_at is not None


@pytest.mark.parametrize("body, fields", [
    ({}, ["code", "nonce", "scanned_at", "point"]),
    ({"code": "x", "nonce": "has spaces", "scanned_at": "2023-07-10T07:00:00Z", "point": "desk"}, ["nonce"]),
    ({"code": "x", "nonce": "n", "scanned_at": "yesterday", "point": "desk"}, ["scanned_at"]),
    ({"code": "x", "nonce": "n", "scanned_at": "2023-07-10T07:00:00Z", "point": "lobby"}, ["point"]),
    ({"code": "x" * 201, "nonce": "n", "scanned_at": "2023-07-10T07:00:00Z", "point": "desk"}, ["code"]),
])
def test_malformed_scan_is_400_with_the_field(desk, body, fields):
    _device, api = desk
    response = api.post(SCANS, body, format="json")
    assert response.status_code == 400
    assert sorted(response.json()["error"]["fields"]) == sorted(fields)
    assert not DeviceScan.objects.exists()


def test_body_that_is_not_json_is_400(desk):
    _device, api = desk
    response = api.post(SCANS, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_error_messages_follow_the_request_language(desk):
    _device, api = desk
    response = api.post(SCANS, {}, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    # DRF's own catalog says which field is missing in French.
    assert response.json()["error"]["fields"]["code"] == ["Ce champ est obligatoire."]


def test_throttle_per_token_answers_429_in_the_error_shape(settings, conference, organizer, device_client):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "device": "2/min"}
    previous = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = rates  # DRF reads its rates once at import
    try:
        _device, _row, token = enrolled(conference, organizer)
        _other, _row2, other_token = enrolled(conference, organizer, name="Other")
        api = device_client(token)
        codes = [api.get("/api/v1/devices/me/").status_code for _ in range(3)]
        other = device_client(other_token).get("/api/v1/devices/me/")
        last = api.get("/api/v1/devices/me/")
    finally:
        SimpleRateThrottle.THROTTLE_RATES = previous
    assert api_settings.DEFAULT_THROTTLE_RATES is not None
    assert codes == [200, 200, 429]
    assert other.status_code == 200  # another token has its own count
    assert last.json()["error"]["code"] == "throttled"
    assert int(last.headers["Retry-After"]) > 0


# --- the desk page and the API: one service ----------------------------------------------------------------


def test_desk_page_and_device_share_one_check_in(conference, desk):
    _device, api = desk
    staff = StaffFactory(first_name="Nadia", last_name="Desk")
    person = approved_with_badge(conference=conference, first_name="Omar", last_name="Farouk", badge_name="")
    code = badge_code(person.badge)
    browser = Client()
    browser.force_login(staff)

    page = browser.post(reverse("registration:desk_scan"), {"code": code, "client_id": nonce()},
                        content_type="application/json").json()
    device = scan(api, code).json()

    assert page["result"] == "ok"
    assert (device["result"], device["already"]["by"]) == ("already", "Nadia Desk")
    assert CheckIn.objects.filter(participant=person, result="ok").count() == 1


# --- the nonce under concurrency ---------------------------------------------------------------------------


def _at_once(target, count=2):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(index):
        try:
            barrier.wait(timeout=10)
            results.append(target(index))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_nonce_replayed_from_two_threads_at_once_counts_once(conference, organizer, device_client):
    if connection.vendor != "postgresql":
        pytest.skip("the race is tested on PostgreSQL")
    _device, _row, token = enrolled(conference, organizer)
    people = [approved_with_badge(conference=conference) for _ in range(3)]

    for person in people:  # a few rounds: the two requests meet at different points of the service
        key = nonce()
        results, errors = _at_once(lambda _i, person=person, key=key: scan(device_client(token), badge_code(person.badge), key=key).json())
        assert errors == []
        assert sorted((answer["result"], answer["duplicate"]) for answer in results) == [("ok", False), ("ok", True)]
        assert results[0]["scanned_at"] == results[1]["scanned_at"]
        assert CheckIn.objects.filter(participant=person).count() == 1
        assert DeviceScan.objects.filter(nonce=key).count() == 1
    assert AuditLog.objects.filter(action="api.scan").count() == 3


@pytest.mark.django_db(transaction=True)
def test_nonce_race_control_a_lookup_alone_lets_both_through(conference, organizer):
    """Control: looking the nonce up before recording it, both requests see "not received yet" -- only the
    unique (device, nonce) constraint keeps the second out."""
    if connection.vendor != "postgresql":
        pytest.skip("the race is tested on PostgreSQL")
    device, _row, _token = enrolled(conference, organizer)
    both_looked = threading.Barrier(2)

    def naive(_index):
        with transaction.atomic():
            seen = DeviceScan.objects.filter(device=device, nonce="same").exists()
            both_looked.wait(timeout=10)
            try:
                with transaction.atomic():
                    DeviceScan.objects.create(device=device, nonce="same", point="desk", result="ok", scanned_at=DAY)
            except IntegrityError:
                return (seen, "constraint")
            return (seen, "recorded")

    results, errors = _at_once(naive)

    assert errors == []
    assert [seen for seen, _outcome in results] == [False, False]
    assert sorted(outcome for _seen, outcome in results) == ["constraint", "recorded"]
    assert DeviceScan.objects.filter(nonce="same").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_hotel_devices_scanning_one_guest_at_once_record_one_arrival(conference, organizer, device_client):
    if connection.vendor != "postgresql":
        pytest.skip("the race is tested on PostgreSQL")
    tokens = [enrolled(conference, organizer, name=f"Hotel {index}", at_desk=False, at_hotel=True)[2]
              for index in range(2)]
    person = approved_with_badge(conference=conference)

    results, errors = _at_once(lambda index: scan(device_client(tokens[index]), badge_code(person.badge),
                                                  point="hotel").json()["result"])

    assert errors == []
    assert sorted(results) == ["already", "ok"]
    assert DeviceScan.objects.filter(participant=person, point="hotel", result="ok").count() == 1
