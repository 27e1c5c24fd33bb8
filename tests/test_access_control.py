"""Access control for every URL that takes an id or a token, in one matrix.

* anonymous users are sent to log in (token URLs answer 404 for a wrong token; the desk's JSON API 403);
* a focal point asking for another delegation's objects, or a participant for another's, gets 404, never the data;
* staff at the desk asking for another conference's objects get 404;
* focal points (not staff) get nothing out of the admin: lists, search, change pages, autocomplete, exports.

``test_every_parametrised_url_is_in_the_matrix`` fails when a new URL with a parameter is added without a case.
"""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from onsite.enums import BatchStatus
from onsite.models import BadgeBatch
from registration.enums import ParticipantStatus
from registration.models import Participant
from sessions_app.services import feed_rotate
from tests.factories import (
    ConferenceFactory,
    DelegationFactory,
    ParticipantFactory,
    SessionFactory,
    StaffFactory,
    UserFactory,
)
from tests.module_rows import fresh_copy, module_rows

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zanzibarova"  # the other delegation's member: must never appear in an answer
LOGIN = reverse("account_login")


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def build_world():
    """Two delegations with their focal points, a member with photo and letter, another conference's objects."""
    conference = ConferenceFactory(slug="sharm2023")
    other_conference = ConferenceFactory(slug="vienna2024")
    own = DelegationFactory(conference=conference, code="EGY")
    foreign = DelegationFactory(conference=conference, code="FRA", country="FR")
    focal, other_focal = UserFactory(), UserFactory()
    own.focal_points.add(focal)
    foreign.focal_points.add(other_focal)
    foreign.nomination_letter.save("letter.pdf", ContentFile(b"%PDF-1.4 secret letter"), save=True)
    ParticipantFactory(conference=conference, delegation=own, user=focal, email=focal.email,
                       status=ParticipantStatus.SUBMITTED)
    member = ParticipantFactory(conference=conference, delegation=foreign, user=other_focal, email=other_focal.email,
                                last_name=SECRET_NAME, status=ParticipantStatus.SUBMITTED)
    member.photo.save("face.jpg", ContentFile(jpeg()), save=True)
    stranger = ParticipantFactory(conference=other_conference, last_name=SECRET_NAME)
    stranger.photo.save("face.jpg", ContentFile(jpeg()), save=True)
    other_session = SessionFactory(conference=other_conference, title=SECRET_NAME)
    hidden_session = SessionFactory(conference=conference, title=SECRET_NAME, is_public=False)
    other_batch = BadgeBatch.objects.create(conference=other_conference, status=BatchStatus.QUEUED, total=1)
    other_failed = BadgeBatch.objects.create(conference=other_conference, status=BatchStatus.FAILED, total=1)
    other_done = BadgeBatch(conference=other_conference, status=BatchStatus.DONE, total=1, done=1)
    other_done.file.save("secret.pdf", ContentFile(b"%PDF-1.4 " + SECRET_NAME.encode()), save=True)
    return {
        "conference": conference, "own": own, "foreign": foreign, "focal": focal, "other_focal": other_focal,
        "member": member, "stranger": stranger, "other_session": other_session, "hidden_session": hidden_session,
        "other_batch": other_batch, "other_done": other_done, "other_failed": other_failed, "staff": StaffFactory(),
        "feed_token": feed_rotate(member, actor=other_focal),
    }


# Built once for the module (the same rows for every case), each test in its own savepoint on top.
world_rows = module_rows(build_world, ACCORD_DEFAULT_CONFERENCE="sharm2023")


@pytest.fixture
def world(world_rows, settings):
    rows, media_root = world_rows
    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    settings.MEDIA_ROOT = media_root
    return fresh_copy(rows)


# (case id, URL name, method, kwargs from the world, anonymous answer)
# Anonymous answers: "login" (redirect to the login page), 404, 403 (JSON API).
CASES = [
    ("invitation", "registration:invitation", "get", lambda w: {"token": "x" * 43}, 404),
    ("delegation", "registration:delegation", "get", lambda w: {"code": "FRA"}, "login"),
    ("nominate", "registration:delegation_nominate", "post", lambda w: {"code": "FRA"}, "login"),
    ("letter", "registration:delegation_letter", "get", lambda w: {"code": "FRA"}, "login"),
    ("letter-upload", "registration:delegation_letter_upload", "post", lambda w: {"code": "FRA"}, "login"),
    ("substitute", "registration:delegation_substitute", "get",
     lambda w: {"code": "FRA", "public_id": w["member"].public_id}, "login"),
    ("substitute-own-code", "registration:delegation_substitute", "get",
     lambda w: {"code": "EGY", "public_id": w["member"].public_id}, "login"),
    ("decide", "registration:delegation_decide", "post",
     lambda w: {"code": "FRA", "public_id": w["member"].public_id}, "login"),
    ("decide-own-code", "registration:delegation_decide", "post",
     lambda w: {"code": "EGY", "public_id": w["member"].public_id}, "login"),
    ("register-step", "registration:register_step", "get", lambda w: {"step": 99}, "login"),
    ("register-visa-letter", "registration:register_visa_letter", "get", lambda w: {}, "login"),
    ("desk-participant", "registration:desk_participant", "get", lambda w: {"public_id": w["member"].public_id},
     "login"),
    ("desk-print", "registration:desk_print", "post", lambda w: {"public_id": w["member"].public_id}, "login"),
    ("desk-photo", "registration:desk_photo", "get", lambda w: {"public_id": w["member"].public_id}, "login"),
    ("desk-visa-letter", "registration:desk_visa_letter", "get",
     lambda w: {"public_id": w["stranger"].public_id}, "login"),
    ("desk-session-scan", "registration:desk_session_scan", "get",
     lambda w: {"session_id": w["other_session"].pk}, "login"),
    ("desk-batch-status", "registration:desk_batch_status", "get", lambda w: {"batch_id": w["other_batch"].pk},
     403),  # a JSON endpoint polled by the page: 403, not a redirect
    ("desk-batch-download", "registration:desk_batch_download", "get",
     lambda w: {"batch_id": w["other_done"].pk}, "login"),
    ("desk-batch-rerun", "registration:desk_batch_rerun", "post",
     lambda w: {"batch_id": w["other_failed"].pk}, "login"),
    ("session-hidden", "sessions_app:session", "get", lambda w: {"pk": w["hidden_session"].pk}, 404),
    ("session-foreign", "sessions_app:session", "get", lambda w: {"pk": w["other_session"].pk}, 404),
    ("signup-foreign", "sessions_app:signup", "post", lambda w: {"pk": w["other_session"].pk}, "login"),
    ("cancel-foreign", "sessions_app:cancel", "post", lambda w: {"pk": w["other_session"].pk}, "login"),
    ("ical-wrong-token", "sessions_app:ical_personal", "get", lambda w: {"token": "A" * 43}, 404),
    ("agenda-pdf-unknown-language", "sessions_app:agenda_pdf", "get", lambda w: {"language": "de"}, 404),
    ("day-outside-conference", "sessions_app:day", "get", lambda w: {"day": "2024-01-01"}, 404),
    ("grid", "sessions_app:grid", "get", lambda w: {"day": "2023-07-10"}, "admin-login"),
    ("member-travel", "registration:logistics_member_travel", "get",
     lambda w: {"code": "FRA", "public_id": w["member"].public_id}, "login"),
    ("member-travel-own-code", "registration:logistics_member_travel", "get",
     lambda w: {"code": "EGY", "public_id": w["member"].public_id}, "login"),
    ("airport-run", "registration:logistics_airport_run", "get", lambda w: {"run_id": 999999}, "login"),
    ("airport-run-counts", "registration:logistics_airport_run_counts", "get", lambda w: {"run_id": 999999}, 403),
    ("airport-move", "registration:logistics_airport_move", "post", lambda w: {"run_id": 999999}, "login"),
    ("airport-delay", "registration:logistics_airport_delay", "post", lambda w: {"run_id": 999999}, "login"),
    ("driver-sheet-pdf", "registration:logistics_driver_sheet_pdf", "get",
     lambda w: {"run_id": 999999, "language": "en"}, "login"),
    ("manifest-pdf", "registration:logistics_manifest_pdf", "get",
     lambda w: {"direction": "inbound", "language": "en"}, "login"),
    ("hotel-bookings", "registration:logistics_hotel_bookings", "get", lambda w: {"hotel_id": 999999}, "login"),
    ("booking-cancel", "registration:logistics_booking_cancel", "post",
     lambda w: {"hotel_id": 999999, "booking_id": 999999}, "login"),
    ("rooming-lists", "registration:logistics_rooming_lists", "get", lambda w: {"hotel_id": 999999}, "login"),
    ("rooming-list-download", "registration:logistics_rooming_list_download", "get",
     lambda w: {"hotel_id": 999999, "send_id": 999999, "file_format": "csv"}, "login"),
    ("allowance-edit", "registration:logistics_allowance_edit", "get", lambda w: {"allowance_id": 999999}, "login"),
    ("payment-sheet-download", "registration:logistics_payment_sheet_download", "get",
     lambda w: {"name": "FRA.pdf"}, "login"),
    ("payment-sheet-finance", "registration:logistics_payment_sheet_download", "get",
     lambda w: {"name": "allowances.xlsx"}, "login"),
    ("member-bank-details", "registration:logistics_member_bank_details", "get",
     lambda w: {"code": "FRA", "public_id": w["member"].public_id}, "login"),
    ("certificate-verify-forged", "registration:certificate_verify", "get", lambda w: {"code": "F" * 16}, 404),
    ("certificate-download", "registration:certificate_download", "get",
     lambda w: {"public_id": w["member"].public_id}, "login"),
    ("delegation-certificates-zip", "registration:delegation_certificates_zip", "get",
     lambda w: {"delegation_id": w["foreign"].pk}, "login"),
]
# What a logged-in focal point of EGY gets for each case (another delegation's or conference's objects).
FOCAL_POINT_ANSWER = {"grid": "admin-login"}
# Staff at the desk: another conference's participant, session and batches.
STAFF_CASES = {"airport-run", "airport-run-counts", "airport-move", "airport-delay", "driver-sheet-pdf",
               "certificate-verify-forged", "desk-visa-letter", "desk-session-scan", "desk-batch-status", "desk-batch-download", "desk-batch-rerun", "session-foreign", "signup-foreign",
               "cancel-foreign", "ical-wrong-token", "invitation"}
COVERED_NAMES = {name for _case, name, *_rest in CASES}


def request(client, method: str, url: str):
    if method == "post":
        return client.post(url, {"decision": "approve", "reason": "x", "email": "new@example.org",
                                 "first_name": "N", "last_name": "N", "category": "delegate", "language": "en"})
    return client.get(url)


def assert_answer(response, expected, url: str) -> None:
    body = b"" if getattr(response, "streaming", False) else response.content
    assert SECRET_NAME.encode() not in body, url
    assert b"secret letter" not in body, url
    if expected == "login":
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN), url
    elif expected == "admin-login":
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url
    else:
        assert response.status_code == expected, url


@pytest.mark.parametrize(("case", "name", "method", "kwargs", "anonymous"), CASES, ids=[c[0] for c in CASES])
def test_access_anonymous_sent_to_login_or_404(client, world, case, name, method, kwargs, anonymous):
    url = reverse(name, kwargs=kwargs(world))
    assert_answer(request(client, method, url), anonymous, url)


@pytest.mark.parametrize(("case", "name", "method", "kwargs", "anonymous"), CASES, ids=[c[0] for c in CASES])
def test_access_focal_point_gets_404_for_others_objects(client, world, case, name, method, kwargs, anonymous):
    client.force_login(world["focal"])
    url = reverse(name, kwargs=kwargs(world))
    assert_answer(request(client, method, url), FOCAL_POINT_ANSWER.get(case, 404), url)
    world["member"].refresh_from_db()
    assert world["member"].status == ParticipantStatus.SUBMITTED
    assert Participant.objects.filter(email="new@example.org").count() == 0


@pytest.mark.parametrize(("case", "name", "method", "kwargs", "anonymous"),
                         [c for c in CASES if c[0] in STAFF_CASES], ids=sorted(STAFF_CASES, key=[c[0] for c in CASES].index))
def test_access_staff_get_404_for_other_conference_objects(client, world, case, name, method, kwargs, anonymous):
    client.force_login(world["staff"])
    url = reverse(name, kwargs=kwargs(world))
    assert_answer(request(client, method, url), 404, url)


@pytest.mark.parametrize("who", ["stranger", "member"])
def test_access_desk_participant_urls_for_staff_only_and_own_conference(client, world, who):
    """Staff reach the member (this conference) but not the stranger (another conference); focal points neither."""
    participant = world[who]
    client.force_login(world["staff"])
    for name in ("registration:desk_participant", "registration:desk_photo"):
        response = client.get(reverse(name, kwargs={"public_id": participant.public_id}))
        assert response.status_code == (200 if who == "member" else 404), name
    client.force_login(world["other_focal"])  # the member's own focal point, not staff
    for name in ("registration:desk_participant", "registration:desk_photo"):
        assert client.get(reverse(name, kwargs={"public_id": participant.public_id})).status_code == 404


def test_access_own_photo_only(client, world):
    """/register/photo/ takes no id: each user gets their own photo, someone without one gets 404."""
    client.force_login(world["focal"])  # has a participation but no photo
    assert client.get(reverse("registration:register_photo")).status_code == 404
    client.force_login(world["other_focal"])
    response = client.get(reverse("registration:register_photo"))
    assert response.status_code == 200
    world["member"].photo.open("rb")
    assert b"".join(response.streaming_content) == world["member"].photo.read()


def test_access_desk_scan_api_anonymous_and_non_staff(client, world):
    url = reverse("registration:desk_scan")
    response = client.post(url, {"code": "x", "client_id": "1"}, content_type="application/json")
    assert response.status_code == 403
    client.force_login(world["focal"])
    response = client.post(url, {"code": "x", "client_id": "1"}, content_type="application/json")
    assert response.status_code == 404


def test_access_personal_feed_token_is_the_credential(client, world):
    """The valid token works without a session (calendar apps); after rotation the old one answers 404."""
    url = reverse("sessions_app:ical_personal", kwargs={"token": world["feed_token"]})
    assert client.get(url).status_code == 200
    feed_rotate(world["member"], actor=world["other_focal"])
    assert client.get(url).status_code == 404


ADMIN_GETS = [
    ("changelist-search", lambda w: reverse("admin:registration_participant_changelist") + f"?q={SECRET_NAME}"),
    ("change-page", lambda w: reverse("admin:registration_participant_change", args=[w["member"].pk])),
    ("delegation-search", lambda w: reverse("admin:conference_delegation_changelist") + "?q=FRA"),
    ("autocomplete-user", lambda w: reverse("admin:autocomplete")
     + "?app_label=registration&model_name=participant&field_name=user&term=user"),
    ("autocomplete-participant", lambda w: reverse("admin:autocomplete")
     + f"?app_label=sessions_app&model_name=sessionrole&field_name=participant&term={SECRET_NAME}"),
    ("autocomplete-focal-points", lambda w: reverse("admin:autocomplete")
     + "?app_label=conference&model_name=delegation&field_name=focal_points&term=user"),
    ("invitations", lambda w: reverse("admin:registration_invitation_changelist")),
    ("batches", lambda w: reverse("admin:onsite_badgebatch_changelist")),
]


@pytest.mark.parametrize(("case", "url"), ADMIN_GETS, ids=[c[0] for c in ADMIN_GETS])
def test_access_focal_point_gets_nothing_from_admin(client, world, case, url):
    client.force_login(world["focal"])
    target = url(world)
    response = client.get(target)
    assert_answer(response, "admin-login", target)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_access_focal_point_cannot_export(client, world, fmt):
    client.force_login(world["focal"])
    response = client.post(
        reverse("admin:registration_participant_changelist"),
        {"action": f"export_{fmt}", "_selected_action": [world["member"].pk]},
    )
    assert_answer(response, "admin-login", fmt)
    assert "attachment" not in response.get("Content-Disposition", "")


def _parametrised_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                continue  # the admin: test_access_focal_point_gets_nothing_from_admin
            yield from _parametrised_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and pattern.pattern.regex.groups:
            yield f"{namespace}{pattern.name}"


def test_every_parametrised_url_is_in_the_matrix():
    names = {name for name in _parametrised_names(get_resolver().url_patterns)
             if name.startswith(("registration:", "sessions_app:"))}
    assert names - COVERED_NAMES == set()
