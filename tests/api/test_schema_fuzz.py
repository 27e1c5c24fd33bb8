"""schemathesis against the API's own OpenAPI schema (``/api/schema/``), in process through WSGI on the test
database: every operation of the schema (each with hypothesis strategies of its own, ``as_strategy``), devices' and the integration's, each generated request sent twice,
with a device token and with a focal point's integration token. No answer may be a server error, have a status
the schema does not document, or a body or content type that breaks the schema.

The conference code of the integration addresses is the real one (the other path values stay generated), so
the requests reach the lists and not only their 404; half the participant and delegation identifiers are real
ones too, and half the scans are made now (a generated time is mostly years away, which the API refuses).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.integration.services import integration_token_create
from logistics.models import TravelDocument
from onsite.models import CheckIn
from tests.api.conftest import enrolled
from tests.factories import DelegationFactory, ParticipantFactory, SessionFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]


@pytest.fixture
def api_world(conference):
    """A conference with two delegations, members (one with passport data, one checked in), a session; a
    device allowed at the desk and the session's door; a focal point of one delegation."""
    organizer = StaffFactory(username="fuzz-organizer@example.org", password=None)
    egypt = DelegationFactory(conference=conference, code="EGY", country="EG")
    DelegationFactory(conference=conference, code="FRA", country="FR")
    amal = ParticipantFactory(conference=conference, delegation=egypt, public_id="amalfuzz0001")
    ParticipantFactory(conference=conference, delegation=egypt, status="submitted")
    TravelDocument.objects.create(participant=amal, passport_number="A1234567", issuing_country="EG")
    session = SessionFactory(conference=conference)
    CheckIn.objects.create(conference=conference, participant=amal, client_id="fuzz-1", result="ok",
                           scanned_at=conference.created_at)
    _device, _row, device_token = enrolled(conference, organizer, doors=[session], at_desk=True)
    focal = UserFactory(username="fuzz-focal@example.org", password=None)
    egypt.focal_points.add(focal)
    focal_token = integration_token_create(conference=conference, user=focal, delegation=egypt, name="fuzz",
                                           scopes=["participants", "delegations", "sessions", "checkins"],
                                           actor=organizer).token
    return {"conference": conference, "tokens": {"device": device_token, "focal point": focal_token},
            "public_id": amal.public_id, "delegation": egypt.code}


@pytest.fixture
def api_schema(api_world, settings):
    # Generous limits: the run must see the answers, not the rate limit (429 is documented and tested apart).
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": dict.fromkeys(
        settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "100000/min")}
    # Requests run in this thread on the test's transaction: as Django's test client does, neither the start
    # nor the end of a request may close the connection (and lose the test's data).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def _real_values(case, world) -> None:
    parameters = case.path_parameters or {}
    if "code" in parameters:
        parameters["code"] = world["conference"].slug
    for name, real in (("public_id", world["public_id"]), ("delegation_code", world["delegation"])):
        if name in parameters and len(str(parameters[name])) % 2 == 0:
            parameters[name] = real
    # A scan's generated time is mostly years away (refused: 400); half the scans are made now.
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("nonce"), str) and len(body["nonce"]) % 2 == 0 \
            and "scanned_at" in body:
        body["scanned_at"] = timezone.now().isoformat()


# Each operation on its own (all of them covered, whatever hypothesis draws): valid requests, and a few with
# data the schema forbids (a 400 then, never a 5xx).
MODES = {GenerationMode.POSITIVE: 12, GenerationMode.NEGATIVE: 4}


def test_api_answers_conform_to_the_schema(api_schema, api_world):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    labels = {operation.label for operation in operations}
    assert {"POST /api/v1/scans/", "POST /api/v1/devices/enroll/", "GET /api/v1/devices/participants/",
            "GET /api/v1/conferences/{code}/participants/", "GET /api/v1/conferences/{code}/checkins/"} <= labels
    statuses: dict[str, set[int]] = {}
    for operation in operations:
        for mode, examples in MODES.items():

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                _real_values(case, api_world)
                for token in api_world["tokens"].values():
                    response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
                    statuses.setdefault(operation.label, set()).add(response.status_code)

            run()
    # The run reached the views, not only their refusals: each list answered with data at least once.
    answered = {label for label, codes in statuses.items() if 200 in codes}
    assert {"POST /api/v1/scans/", "GET /api/v1/devices/participants/", "GET /api/v1/conferences/{code}/participants/",
            "GET /api/v1/conferences/{code}/delegations/", "GET /api/v1/conferences/{code}/sessions/",
            "GET /api/v1/conferences/{code}/checkins/"} <= answered, statuses
