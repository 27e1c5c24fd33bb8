"""Where only the organizers approve, a focal point's "Accept" on an open request is an endorsement, and the
organizers' bulk approval leaves out whoever never submitted a registration, saying how many and why."""

import pytest
from django.urls import reverse

from conference.models import AuditLog
from registration.enums import ParticipantStatus
from registration.models import Participant
from registration.services.nominations import open_request_create
from tests.factories import ConferenceFactory, DelegationFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_to_join(conference):
    delegation = DelegationFactory(conference=conference, code="EGY", seat_quota=3)
    focal = UserFactory()
    delegation.focal_points.add(focal)
    pending = open_request_create(conference, user=UserFactory(), delegation=delegation, first_name="Karim",
                                  last_name="Mansour")
    return focal, pending, reverse("registration:delegation_decide",
                                   kwargs={"code": "EGY", "public_id": pending.public_id})


def test_focal_point_accept_records_endorsement_when_focal_points_may_not_approve(
    client, conference, request_to_join, mailoutbox, django_capture_on_commit_callbacks
):
    assert conference.focal_points_may_approve is False
    focal, pending, url = request_to_join
    client.force_login(focal)
    page = client.get(reverse("registration:delegation", kwargs={"code": "EGY"})).content.decode()
    assert ">Endorse</button>" in page and ">Accept</button>" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve"}, follow=True)
    pending.refresh_from_db()
    assert pending.status == ParticipantStatus.SUBMITTED
    assert pending.decided_at is None and pending.endorsed_by == focal and pending.endorsed_at is not None
    assert mailoutbox == []
    assert list(AuditLog.objects.filter(action="participant.endorse").values_list("actor", "object_id")) == [
        (focal.pk, str(pending.pk))]
    body = response.content.decode()
    assert "You endorsed the request of Karim Mansour; the organizers will decide." in body
    assert "Endorsed by your delegation: the organizers will decide." in body

    again = client.post(url, {"decision": "approve"}, follow=True).content.decode()
    assert "This request has already been endorsed." in again
    assert AuditLog.objects.filter(action="participant.endorse").count() == 1


def test_focal_point_accept_approves_when_focal_points_may_approve(client, conference, request_to_join,
                                                                  django_capture_on_commit_callbacks):
    conference.focal_points_may_approve = True
    conference.save()
    focal, pending, url = request_to_join
    client.force_login(focal)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "approve"})
    pending.refresh_from_db()
    assert pending.status == ParticipantStatus.APPROVED and pending.endorsed_at is None


def test_endorsed_request_shows_in_admin_and_organizers_still_decide(admin_client, conference, request_to_join,
                                                                     django_capture_on_commit_callbacks):
    focal, pending, url = request_to_join
    client_page = admin_client.get(reverse("admin:registration_participant_changelist"),
                                   {"endorsed_at__isempty": "0"})
    assert list(client_page.context["cl"].result_list) == []
    from registration.services.nominations import open_request_endorse

    open_request_endorse(pending, actor=focal)
    endorsed = admin_client.get(reverse("admin:registration_participant_changelist"), {"endorsed_at__isempty": "0"})
    assert list(endorsed.context["cl"].result_list) == [pending]
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:registration_participant_changelist"), {
            "action": "approve_selected", "_selected_action": [pending.pk], "apply": "1", "reason": ""})
    pending.refresh_from_db()
    assert pending.status == ParticipantStatus.APPROVED


def test_bulk_approve_skips_never_submitted_and_says_how_many_and_why(admin_client, django_capture_on_commit_callbacks):
    conference = ConferenceFactory()
    submitted = ParticipantFactory(conference=conference, status=ParticipantStatus.SUBMITTED)
    invited = ParticipantFactory.create_batch(2, conference=conference, status=ParticipantStatus.INVITED)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:registration_participant_changelist"), {
            "action": "approve_selected", "_selected_action": [submitted.pk, *(p.pk for p in invited)],
            "apply": "1", "reason": "",
        }, follow=True)
    statuses = dict(Participant.objects.values_list("pk", "status"))
    assert statuses == {submitted.pk: "approved", invited[0].pk: "invited", invited[1].pk: "invited"}
    texts = [str(m) for m in response.context["messages"]]
    assert "1 participant approved." in texts
    assert "2 participants skipped: they have not submitted their registration yet." in texts
