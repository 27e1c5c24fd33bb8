"""The read-only integration API (issue 19, item 5): tokens for organizers and focal points, made and revoked
through the service (audited, stored hashed, shown once in the admin), and the participants, delegations,
sessions and check-ins of one conference: paginated and capped, filtered, sensitive fields only for the
permission's holders (read log written), a focal point's token held to its delegation (404 beyond), one error
shape, a rate limit per token, and query counts that do not grow with the page."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from api.integration.models import IntegrationToken
from api.integration.services import integration_token_create, integration_token_revoke
from api.tokens import hash_token
from conference.models import AuditLog
from conference.services import AccordError
from logistics.models import BankDetails, TravelDocument
from onsite.models import CheckIn
from privacy.models import ReadLog
from tests.admin_form import admin_form_data
from tests.factories import (
    ConferenceFactory,
    DelegationFactory,
    ParticipantFactory,
    SessionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/conferences/{code}/{what}/"


def _perms(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def world(conference):
    """Two delegations of the conference (Egypt with 2 members, France with 1), one participant of another
    conference; passport data and bank details for an Egyptian member; a public and an internal session; two
    desk scans."""
    other_conference = ConferenceFactory(slug="other2024")
    egypt = DelegationFactory(conference=conference, code="EGY", country="EG")
    france = DelegationFactory(conference=conference, code="FRA", country="FR")
    amal = ParticipantFactory(conference=conference, delegation=egypt, first_name="Amal", last_name="Hassan",
                              category="head")
    omar = ParticipantFactory(conference=conference, delegation=egypt, first_name="Omar", last_name="Said",
                              status="submitted")
    claire = ParticipantFactory(conference=conference, delegation=france, first_name="Claire", last_name="Dubois")
    stranger = ParticipantFactory(conference=other_conference, first_name="Other", last_name="Person")
    TravelDocument.objects.create(participant=amal, passport_number="A1234567", issuing_country="EG",
                                  passport_expiry=datetime.date(2030, 1, 31), date_of_birth=datetime.date(1980, 5, 4))
    BankDetails.objects.create(participant=amal, account_holder="Amal Hassan", bank_name="NBE",
                               iban="EG380019000500000000263180002", swift_bic="NBEGEGCX")
    public = SessionFactory(conference=conference, title="Opening", kind="opening")
    internal = SessionFactory(conference=conference, title="Organizers' briefing", is_public=False)
    now = timezone.now()
    CheckIn.objects.create(conference=conference, participant=amal, client_id="scan-1", result="ok", scanned_at=now)
    CheckIn.objects.create(conference=conference, participant=claire, client_id="scan-2", result="ok", scanned_at=now)
    # password=None: an unusable one, no hashing (1 s of CPU each on a busy machine); the client logs in by force.
    focal = UserFactory(username="focal@example.org", password=None)
    egypt.focal_points.add(focal)
    organizer = _perms(UserFactory(username="organizer@example.org", is_staff=True, password=None),
                       "view_participant", "view_delegation", "view_session", "view_checkin")
    visa_officer = _perms(UserFactory(username="visa@example.org", is_staff=True, password=None),
                          "view_participant", "view_traveldocument", "view_bank_details")
    admin = StaffFactory(username="admin@example.org", password=None)
    return {
        "conference": conference, "other_conference": other_conference, "egypt": egypt, "france": france,
        "amal": amal, "omar": omar, "claire": claire, "stranger": stranger, "public": public, "internal": internal,
        "focal": focal, "organizer": organizer, "visa_officer": visa_officer, "admin": admin,
    }


def _token(world, user, *, delegation=None, scopes=("participants", "delegations", "sessions", "checkins"), **kw):
    created = integration_token_create(conference=world["conference"], user=user, delegation=delegation,
                                       name="CRM feed", scopes=list(scopes), actor=world["admin"], **kw)
    return created.token


def _get(client, token, what, code="sharm2023", **params):
    return client.get(BASE.format(code=code, what=what), params, HTTP_AUTHORIZATION=f"Bearer {token}")


def _ids(response):
    return [row["id"] for row in response.json()["results"]]


# --- tokens -----------------------------------------------------------------------------------------------------


def test_token_create_stores_only_the_hash_and_audits_without_the_secret(world):
    created = integration_token_create(conference=world["conference"], user=world["organizer"], name="CRM",
                                       scopes=["participants"], actor=world["admin"])
    row = IntegrationToken.objects.get()
    assert created.token.startswith("int_") and row.prefix == created.token[:12]
    assert row.digest == hash_token(created.token) and created.token not in row.digest
    assert row.expires_at - timezone.now() > datetime.timedelta(days=89)
    entry = AuditLog.objects.get(action="integration_token.create")
    assert (entry.actor, entry.conference, entry.object_id) == (world["admin"], world["conference"], str(row.pk))
    assert entry.changes["scopes"] == [None, ["participants"]] and created.token not in str(entry.changes)


@pytest.mark.parametrize(
    ("who", "delegation", "scopes", "expires_in", "message"),
    [
        ("focal", None, ["participants"], None, "staff account"),
        ("focal", "france", ["participants"], None, "not a focal point"),
        ("organizer", None, [], None, "at least one"),
        ("organizer", None, ["everything"], None, "at least one"),
        ("organizer", None, ["participants"], -1, "in the future"),
        ("organizer", None, ["participants"], 400, "at most a year"),
    ],
)
def test_token_create_refuses(world, who, delegation, scopes, expires_in, message):
    expires_at = timezone.now() + datetime.timedelta(days=expires_in) if expires_in is not None else None
    with pytest.raises(AccordError, match=message):
        integration_token_create(conference=world["conference"], user=world[who],
                                 delegation=world[delegation] if delegation else None, name="x", scopes=scopes,
                                 expires_at=expires_at, actor=world["admin"])
    assert not IntegrationToken.objects.exists()


def test_token_of_a_delegation_of_another_conference_is_refused(world):
    elsewhere = DelegationFactory(conference=world["other_conference"], code="EGY")
    elsewhere.focal_points.add(world["focal"])
    with pytest.raises(AccordError, match="another conference"):
        integration_token_create(conference=world["conference"], user=world["focal"], delegation=elsewhere,
                                 name="x", scopes=["participants"], actor=world["admin"])


def test_missing_wrong_and_foreign_tokens_answer_401_in_the_one_shape(client, world):
    url = BASE.format(code="sharm2023", what="participants")
    token = _token(world, world["organizer"])
    for header in ({}, {"HTTP_AUTHORIZATION": "Bearer int_" + "x" * 43},
                   {"HTTP_AUTHORIZATION": f"Bearer {token[:-1]}A" if token[-1] != "A" else f"Bearer {token[:-1]}B"},
                   {"HTTP_AUTHORIZATION": "Bearer dev_" + token[4:]}, {"HTTP_AUTHORIZATION": f"Basic {token}"}):
        response = client.get(url, **header)
        assert response.status_code == 401, header
        body = response.json()
        assert body["error"]["code"] == "unauthorized" and body["error"]["fields"] == {}, body
        assert "results" not in body


def test_revoked_token_is_refused_on_the_next_call_and_audited(client, world):
    token = _token(world, world["organizer"])
    assert _get(client, token, "participants").status_code == 200
    row = IntegrationToken.objects.get()
    assert integration_token_revoke(row, actor=world["admin"]) is True
    assert _get(client, token, "participants").status_code == 401
    assert integration_token_revoke(row, actor=world["admin"]) is False  # once
    assert AuditLog.objects.filter(action="integration_token.revoke").count() == 1


def test_expired_token_and_deactivated_account_answer_401(client, world):
    token = _token(world, world["organizer"])
    IntegrationToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert _get(client, token, "participants").status_code == 401
    other = _token(world, world["organizer"])
    world["organizer"].is_active = False
    world["organizer"].save(update_fields=["is_active"])
    assert _get(client, other, "participants").status_code == 401


def test_last_use_is_recorded(client, world):
    token = _token(world, world["organizer"])
    assert IntegrationToken.objects.get().last_used_at is None
    _get(client, token, "sessions")
    assert timezone.now() - IntegrationToken.objects.get().last_used_at < datetime.timedelta(seconds=10)


def test_scope_and_rights_are_checked_on_every_call(client, world):
    token = _token(world, world["organizer"], scopes=["sessions"])
    assert _get(client, token, "sessions").status_code == 200
    response = _get(client, token, "participants")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    world["organizer"].is_staff = False  # no longer an organizer: the token reads nothing
    world["organizer"].save(update_fields=["is_staff"])
    assert _get(client, token, "sessions").status_code == 403
    focal_token = _token(world, world["focal"], delegation=world["egypt"])
    assert _get(client, focal_token, "participants").status_code == 200
    world["egypt"].focal_points.remove(world["focal"])
    assert _get(client, focal_token, "participants").status_code == 403


# --- what each token reads -----------------------------------------------------------------------------------------


def test_organizer_reads_the_conference_without_sensitive_fields(client, world):
    response = _get(client, _token(world, world["organizer"]), "participants")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and sorted(_ids(response)) == sorted(
        p.public_id for p in (world["amal"], world["omar"], world["claire"]))
    amal = next(row for row in body["results"] if row["id"] == world["amal"].public_id)
    assert (amal["delegation"], amal["first_name"], amal["category"]) == ("EGY", "Amal", "head")
    assert (amal["passport"], amal["bank_details"], amal["sensitive_included"]) == (None, None, [])
    assert not ReadLog.objects.exists()


def test_sensitive_fields_only_for_the_permission_and_each_read_logged(client, world):
    response = _get(client, _token(world, world["visa_officer"], scopes=["participants"]), "participants")
    rows = {row["id"]: row for row in response.json()["results"]}
    amal = rows[world["amal"].public_id]
    assert amal["sensitive_included"] == ["bank", "passport"]
    assert amal["passport"] == {"number": "A1234567", "expiry": "2030-01-31", "issuing_country": "EG",
                                "date_of_birth": "1980-05-04"}
    assert amal["bank_details"]["iban"] == "EG380019000500000000263180002"
    assert rows[world["claire"].public_id]["passport"] is None  # gave none
    logged = sorted(ReadLog.objects.values_list("participant_id", "reader__username", "kind", "what", "where"))
    assert logged == [
        (world["amal"].pk, "visa@example.org", "sensitive", "bank_details", "export"),
        (world["amal"].pk, "visa@example.org", "sensitive", "travel_document", "export"),
    ]


def test_superuser_token_sees_sensitive_fields_of_one_participant(client, world):
    token = _token(world, world["admin"])
    response = client.get(BASE.format(code="sharm2023", what="participants") + f"{world['amal'].public_id}/",
                          HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.json()["passport"]["number"] == "A1234567"
    assert ReadLog.objects.filter(participant=world["amal"], what="travel_document").count() == 1


def test_focal_point_reads_its_delegation_only(client, world):
    token = _token(world, world["focal"], delegation=world["egypt"])
    response = _get(client, token, "participants")
    assert sorted(_ids(response)) == sorted([world["amal"].public_id, world["omar"].public_id])
    assert response.json()["results"][0]["passport"] is None
    assert _get(client, token, "participants", delegation="EGY").json()["count"] == 2
    delegations = _get(client, token, "delegations").json()["results"]
    assert [(d["code"], d["approved_members"]) for d in delegations] == [("EGY", 1)]
    assert [s["title"] for s in _get(client, token, "sessions").json()["results"]] == ["Opening"]
    checkins = _get(client, token, "checkins").json()["results"]
    assert [c["participant"] for c in checkins] == [world["amal"].public_id]
    assert not ReadLog.objects.exists()


@pytest.mark.parametrize("path", [
    "participants/?delegation=FRA", "checkins/?delegation=FRA", "delegations/FRA/", "participants/{claire}/",
    "participants/{stranger}/", "delegations/NOPE/", "participants/?delegation=NOPE",
])
def test_focal_point_asking_for_another_delegation_gets_404(client, world, path):
    token = _token(world, world["focal"], delegation=world["egypt"])
    url = "/api/v1/conferences/sharm2023/" + path.format(claire=world["claire"].public_id,
                                                          stranger=world["stranger"].public_id)
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_another_conference_answers_404(client, world):
    token = _token(world, world["admin"])
    for what in ("participants", "delegations", "sessions", "checkins"):
        response = _get(client, token, what, code="other2024")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_organizer_reads_delegations_sessions_checkins(client, world):
    token = _token(world, world["organizer"])
    delegations = _get(client, token, "delegations").json()["results"]
    assert [(d["code"], d["country"], d["approved_members"]) for d in delegations] == [("EGY", "EG", 1),
                                                                                        ("FRA", "FR", 1)]
    sessions = _get(client, token, "sessions").json()["results"]
    assert [(s["title"], s["is_public"], s["starts_at"]) for s in sessions] == [
        ("Opening", True, "2023-07-10T06:00:00Z"), ("Organizers' briefing", False, "2023-07-10T06:00:00Z")]
    checkins = _get(client, token, "checkins", delegation="FRA").json()["results"]
    assert [(c["participant"], c["delegation"], c["result"]) for c in checkins] == [
        (world["claire"].public_id, "FRA", "ok")]
    one = client.get(BASE.format(code="sharm2023", what="delegations") + "EGY/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert one.json()["code"] == "EGY" and one.json()["head"] is None


# --- filters, pages, errors, limits --------------------------------------------------------------------------------


def test_filters_narrow_the_participants(client, world):
    token = _token(world, world["organizer"])
    assert _ids(_get(client, token, "participants", status="submitted")) == [world["omar"].public_id]
    assert _ids(_get(client, token, "participants", category="head")) == [world["amal"].public_id]
    assert _get(client, token, "participants", delegation="FRA").json()["count"] == 1
    later = timezone.now() + datetime.timedelta(seconds=1)
    assert _get(client, token, "participants", updated_since=later.isoformat()).json()["count"] == 0
    type(world["omar"]).objects.filter(pk=world["omar"].pk).update(updated_at=later + datetime.timedelta(seconds=1))
    assert _ids(_get(client, token, "participants", updated_since=later.isoformat())) == [world["omar"].public_id]


@pytest.mark.parametrize(("params", "field"), [
    ({"status": "sleeping"}, "status"), ({"updated_since": "yesterday"}, "updated_since"),
    ({"updated_since": "9999-12-31T23:59:59-23:00"}, "updated_since"), ({"delegation": "a b"}, "delegation"),
])
def test_malformed_filters_answer_400_with_the_field(client, world, params, field):
    response = _get(client, _token(world, world["organizer"]), "participants", **params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == [field], error


def test_oversized_page_size_is_capped(client, world, settings):
    from api.pagination import CappedPagination

    ParticipantFactory.create_batch(CappedPagination.max_page_size + 1 - 3, conference=world["conference"],
                                    delegation=world["france"])
    token = _token(world, world["organizer"])
    response = _get(client, token, "participants", page_size=10_000)
    body = response.json()
    assert body["count"] == CappedPagination.max_page_size + 1
    assert len(body["results"]) == CappedPagination.max_page_size and body["next"]
    second = client.get(body["next"], HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert len(second["results"]) == 1


def test_rate_limit_per_token_answers_429_in_the_one_shape(client, world, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "integration": "3/min"}}
    token, other = _token(world, world["organizer"]), _token(world, world["organizer"])
    assert [_get(client, token, "sessions").status_code for _ in range(3)] == [200, 200, 200]
    response = _get(client, token, "sessions")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "throttled"
    assert _get(client, other, "sessions").status_code == 200  # counted per token


# --- query counts: literal, whatever the number of rows -------------------------------------------------------------


@pytest.mark.parametrize(("user", "what", "queries"), [
    # token and its user; the user's permissions and groups' (2); count; page
    ("organizer", "participants", 5),
    ("organizer", "delegations", 5),
    ("organizer", "sessions", 5),
    ("organizer", "checkins", 5),
    # ... and one read-log insert per sensitive class shown
    ("visa_officer", "participants", 7),
    # token; focal point still of the delegation; count; page
    ("focal", "participants", 4),
    ("focal", "checkins", 4),
])
def test_list_query_counts_do_not_grow_with_the_rows(client, world, django_assert_num_queries, user, what, queries):
    delegation = world["egypt"] if user == "focal" else None
    token = _token(world, world[user], delegation=delegation,
                   scopes=["participants"] if user == "visa_officer" else
                   ["participants", "delegations", "sessions", "checkins"])
    IntegrationToken.objects.update(last_used_at=timezone.now())  # the last use was just saved: no UPDATE
    client.get(BASE.format(code="sharm2023", what=what))  # the middleware's cached current conference, filled
    with django_assert_num_queries(queries):
        first = _get(client, token, what)
    assert first.status_code == 200
    for index in range(6):  # more rows of every list, each with its relations
        member = ParticipantFactory(conference=world["conference"], delegation=world["egypt"])
        TravelDocument.objects.create(participant=member, passport_number=f"B{index}")
        BankDetails.objects.create(participant=member, account_holder="x", bank_name="y", iban=f"EG{index}")
        CheckIn.objects.create(conference=world["conference"], participant=member, client_id=f"more-{index}",
                               result="ok", scanned_at=timezone.now())
        DelegationFactory(conference=world["conference"])
        SessionFactory(conference=world["conference"])
    with django_assert_num_queries(queries):
        many = _get(client, token, what)
    assert many.json()["count"] > first.json()["count"]


# --- the admin ----------------------------------------------------------------------------------------------------


def test_admin_creates_a_token_shown_once_and_revokes_it(client, world):
    client.force_login(world["admin"])
    add_url = reverse("admin:api_integrationtoken_add")
    data = admin_form_data(client.get(add_url).content.decode())
    data.update({"conference": str(world["conference"].pk), "user": str(world["focal"].pk),
                 "delegation": str(world["egypt"].pk), "name": "Ministry roster", "scopes": ["participants"]})
    response = client.post(add_url, data)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    row = IntegrationToken.objects.get()
    token = response.context["token"]
    assert hash_token(token) == row.digest and token in response.content.decode()
    assert (row.user, row.delegation, row.scopes, row.created_by) == (
        world["focal"], world["egypt"], ["participants"], world["admin"])
    assert AuditLog.objects.filter(action="integration_token.create", actor=world["admin"]).count() == 1
    # Never shown again: the change page and the list show the prefix only.
    change = client.get(reverse("admin:api_integrationtoken_change", args=[row.pk])).content.decode()
    listing = client.get(reverse("admin:api_integrationtoken_changelist")).content.decode()
    assert token not in change and token not in listing and row.prefix in listing
    client.logout()
    assert _get(client, token, "participants").json()["count"] == 2
    client.force_login(world["admin"])
    client.post(reverse("admin:api_integrationtoken_changelist"),
                {"action": "revoke_selected", "_selected_action": [str(row.pk)]})
    client.logout()
    assert _get(client, token, "participants").status_code == 401


def test_admin_refusal_comes_back_as_a_message(client, world):
    client.force_login(world["admin"])
    add_url = reverse("admin:api_integrationtoken_add")
    data = admin_form_data(client.get(add_url).content.decode())
    data.update({"conference": str(world["conference"].pk), "user": str(world["focal"].pk), "name": "No delegation",
                 "scopes": ["participants"]})
    response = client.post(add_url, data, follow=True)
    assert "staff account" in response.content.decode()
    assert not IntegrationToken.objects.exists()
