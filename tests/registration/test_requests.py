"""Open requests to attend: one participant per person, decided by the focal point or an organizer."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from conference.services import AccordError
from registration.enums import ParticipantStatus, RequestKind
from registration.models import Participant
from registration.services.nominations import open_request_create
from tests.factories import ConferenceFactory, DelegationFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

REQUEST = {"first_name": "Karim", "last_name": "Mansour", "position": "Inspector",
           "organization": "Border police", "reason": "I lead the unit on smuggling.", "category": "delegate"}


@pytest.fixture
def delegation(conference):
    return DelegationFactory(conference=conference, code="EGY", seat_quota=2)


def test_open_request_to_join_delegation(client, conference, delegation):
    user = UserFactory(email="karim@example.org", username="karim@example.org")
    client.force_login(user)
    page = client.get(reverse("registration:open_request"))
    assert page.status_code == 200
    response = client.post(reverse("registration:open_request"), {**REQUEST, "delegation": str(delegation.pk)})
    assert response.status_code == 302
    participant = Participant.objects.get(conference=conference, email="karim@example.org")
    assert (participant.source, participant.status, participant.delegation, participant.user) == (
        RequestKind.OPEN_REQUEST, ParticipantStatus.SUBMITTED, delegation, user
    )
    assert participant.request_message == REQUEST["reason"]
    assert participant.submitted_at is not None


def test_open_request_as_observer(client, conference, delegation):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("registration:open_request"), {**REQUEST, "delegation": "observer"})
    participant = Participant.objects.get(email=user.email)
    assert participant.delegation is None
    assert participant.source == RequestKind.OPEN_REQUEST


def test_open_request_other_conference_delegation_refused(client, conference, delegation):
    other = DelegationFactory(conference=ConferenceFactory(), code="XX")
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("registration:open_request"), {**REQUEST, "delegation": str(other.pk)})
    assert response.status_code == 400
    assert not Participant.objects.filter(email=user.email).exists()


def test_open_request_twice_creates_one_participant(client, conference, delegation):
    user = UserFactory()
    client.force_login(user)
    url = reverse("registration:open_request")
    client.post(url, {**REQUEST, "delegation": str(delegation.pk)})
    second = client.post(url, {**REQUEST, "delegation": str(delegation.pk)}, follow=True)
    assert Participant.objects.filter(email=user.email).count() == 1
    assert "already registered" in second.content.decode()


def test_open_request_service_duplicate_raises_clear_error(conference, delegation):
    user = UserFactory()
    open_request_create(conference, user=user, delegation=delegation, first_name="A", last_name="B")
    with pytest.raises(AccordError, match="already registered"):
        open_request_create(conference, user=user, delegation=None, first_name="A", last_name="B")
    assert Participant.objects.filter(email=user.email).count() == 1


def test_open_request_concurrent_double_submit_creates_one(transactional_db, settings):
    """Two tabs at the same instant: the unique constraint lets exactly one through, the other gets a message."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    conference = ConferenceFactory()
    user = UserFactory()
    barrier = threading.Barrier(4)
    outcomes: list[str] = []
    guard = threading.Lock()

    def submit() -> None:
        try:
            barrier.wait(timeout=30)
            open_request_create(conference, user=user, delegation=None, first_name="A", last_name="B")
            result = "created"
        except AccordError as exc:
            result = str(exc)
        finally:
            connections.close_all()
        with guard:
            outcomes.append(result)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count("created") == 1
    assert all("already registered" in outcome for outcome in outcomes if outcome != "created")
    assert Participant.objects.filter(conference=conference, email=user.email).count() == 1


def test_pending_request_holds_no_seat_and_focal_point_accepts_within_quota(
    client, conference, delegation, mailoutbox, django_capture_on_commit_callbacks
):
    conference.focal_points_may_approve = True
    conference.save()
    focal = UserFactory()
    delegation.focal_points.add(focal)
    requester = UserFactory()
    request = open_request_create(conference, user=requester, delegation=delegation, first_name="K",
                                  last_name="M")
    from registration.selectors import delegation_quota

    assert delegation_quota(delegation).used == 0
    client.force_login(focal)
    page = client.get(reverse("registration:delegation", kwargs={"code": "EGY"}))
    assert list(page.context["requests"]) == [request]
    # The conference lets focal points approve: their "Accept" approves (otherwise it endorses, test_endorsement.py).
    url = reverse("registration:delegation_decide", kwargs={"code": "EGY", "public_id": request.public_id})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "approve"})
    request.refresh_from_db()
    assert request.status == ParticipantStatus.APPROVED
    assert [m.to for m in mailoutbox] == [[request.email]]
    assert delegation_quota(delegation).used == 1


def test_accepting_request_refused_when_quota_full(client, conference, delegation):
    focal = UserFactory()
    delegation.focal_points.add(focal)
    for _ in range(2):
        ParticipantFactory(conference=conference, delegation=delegation)
    request = open_request_create(conference, user=UserFactory(), delegation=delegation, first_name="K",
                                  last_name="M")
    client.force_login(focal)
    url = reverse("registration:delegation_decide", kwargs={"code": "EGY", "public_id": request.public_id})
    response = client.post(url, {"decision": "approve"}, follow=True)
    assert "quota" in response.content.decode()
    request.refresh_from_db()
    assert request.status == ParticipantStatus.SUBMITTED


def test_focal_point_declines_request_with_reason(client, conference, delegation):
    focal = UserFactory()
    delegation.focal_points.add(focal)
    request = open_request_create(conference, user=UserFactory(), delegation=delegation, first_name="K",
                                  last_name="M")
    client.force_login(focal)
    url = reverse("registration:delegation_decide", kwargs={"code": "EGY", "public_id": request.public_id})
    client.post(url, {"decision": "reject", "reason": "Not part of our delegation"})
    request.refresh_from_db()
    assert (request.status, request.status_reason) == (ParticipantStatus.REJECTED, "Not part of our delegation")


def test_request_message_escaped_in_portal(client, conference, delegation):
    focal = UserFactory()
    delegation.focal_points.add(focal)
    open_request_create(conference, user=UserFactory(), delegation=delegation, first_name="<i>K</i>",
                        last_name="M", reason="<script>alert(1)</script>")
    client.force_login(focal)
    html = client.get(reverse("registration:delegation", kwargs={"code": "EGY"})).content.decode()
    assert "<script>alert(1)</script>" not in html and "<i>K</i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
