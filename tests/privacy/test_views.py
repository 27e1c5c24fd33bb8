"""The participant's own data: readable page and JSON (read log included), deletion requests answered by the
organizers (anonymized or refused, both e-mailed), the privacy notice accepted per version."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from privacy.enums import ReadWhere, RetentionKind
from privacy.models import ConsentChange, DeletionRequest, NoticeAcceptance, PurgeRecord
from privacy.services.notices import notice_publish
from privacy.services.reads import record_read
from privacy.services.requests import deletion_request_grant, deletion_request_open, deletion_request_refuse
from registration.models import Participant
from tests.factories import ParticipantFactory, StaffFactory, UserFactory
from tests.privacy.conftest import TravelDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(traveller):
    traveller.user = UserFactory(username="owner@example.org")
    traveller.save(update_fields=["user"])
    return traveller


def test_my_data_page_shows_my_data_and_who_read_it(client, owner):
    officer = StaffFactory(username="visa.officer@example.org")
    record_read(owner, reader=officer, kind=RetentionKind.SENSITIVE, what="travel_document", where=ReadWhere.ADMIN)
    client.force_login(owner.user)

    page = client.get(reverse("privacy:my_data")).content.decode()

    assert "visa.officer@example.org" in page
    assert "A1234567" in page  # their own passport number, shown to them
    assert "MS 123" in page


def test_my_data_json_holds_everything_and_the_read_log(client, owner):
    officer = StaffFactory(username="visa.officer@example.org")
    record_read([owner], reader=officer, kind=RetentionKind.PHOTOS, what="photo", where=ReadWhere.DESK)
    client.force_login(owner.user)

    response = client.get(reverse("privacy:my_data_json"))

    assert response["Content-Disposition"] == f'attachment; filename="my-data-{owner.public_id}.json"'
    document = json.loads(response.content)
    assert document["participant"] == owner.public_id
    assert [(e["reader"], e["kind"], e["what"], e["where"]) for e in document["read_log"]] == [
        ("visa.officer@example.org", "photos", "photo", "desk")
    ]
    models = {section["model"]: section for section in document["data"]}
    values = {item["field"]: item["value"] for item in models["registration.Participant"]["rows"][0]}
    assert (values["email"], values["phone"]) == (owner.email, "+20 100 000")
    assert {item["field"]: item["value"] for item in models["logistics.TravelPlan"]["rows"][0]}["hotel_name"] == "Nile"
    assert {item["field"]: item["value"] for item in models[TravelDocument._meta.label]["rows"][0]}[
        "passport_number"] == "A1234567"
    # Secrets are never in it (a badge token), and nobody else's rows.
    assert "token" not in json.dumps(models.get("onsite.Badge", {}))
    assert "privacy.ReadLog" in models


def test_another_participants_data_is_not_reachable(client, owner, conference):
    other = ParticipantFactory(conference=conference, user=UserFactory(username="other@example.org"), phone="+33 1")
    client.force_login(other.user)
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert "A1234567" not in page and owner.email not in page
    data = json.loads(client.get(reverse("privacy:my_data_json")).content)
    assert data["participant"] == other.public_id

    stranger = UserFactory(username="stranger@example.org")
    client.force_login(stranger)
    assert client.get(reverse("privacy:my_data")).status_code == 404
    assert client.get(reverse("privacy:my_data_json")).status_code == 404
    assert client.post(reverse("privacy:deletion_request")).status_code == 404


def test_deletion_request_granted_anonymizes_keeps_aggregates_and_emails(client, owner, mailoutbox,
                                                                         django_capture_on_commit_callbacks):
    client.force_login(owner.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:deletion_request"), {"message": "Please delete my data."})
    request = DeletionRequest.objects.get()
    assert (request.status, request.message, request.notify_email) == ("pending", "Please delete my data.", owner.email)
    assert [m.subject for m in mailoutbox] == [f"Your request for deletion was received: {owner.conference.name}"]
    # A second request while one is pending is refused.
    with pytest.raises(Exception, match="already with the organizers"):
        deletion_request_open(owner, actor=owner.user)

    organizer = StaffFactory(username="organizer@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        deletion_request_grant(request, actor=organizer)

    row = Participant.objects.get(pk=owner.pk)
    assert (row.first_name, row.last_name, row.phone, row.photo.name, row.user_id) == ("", "", "", "", None)
    assert row.email.endswith("@deleted.invalid")
    assert TravelDocument.objects.filter(participant=owner).count() == 0
    records = PurgeRecord.objects.filter(deletion_request=request)
    assert records.count() == 5
    assert records.get(kind="rest").aggregates["participants"]["by_delegation"] == {"EGY": 1}
    assert [m.to for m in mailoutbox[1:]] == [[owner.email]]
    assert mailoutbox[1].subject == f"Your data has been deleted: {owner.conference.name}"
    request.refresh_from_db()
    assert (request.status, request.notify_email) == ("granted", "")


def test_deletion_refused_needs_a_reason_and_emails_it(owner, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = deletion_request_open(owner, actor=owner.user)
    organizer = StaffFactory(username="organizer@example.org")
    with pytest.raises(Exception, match="Give the reason"):
        deletion_request_refuse(request, actor=organizer, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        deletion_request_refuse(request, actor=organizer, reason="An appeal about your visa is pending.")

    assert Participant.objects.get(pk=owner.pk).first_name == owner.first_name
    assert mailoutbox[-1].subject == f"Your request for deletion was refused: {owner.conference.name}"
    assert "An appeal about your visa is pending." in mailoutbox[-1].body
    with pytest.raises(Exception, match="already been answered"):
        deletion_request_grant(request, actor=organizer)


def test_notice_accepted_per_version_and_asked_again_when_it_changes(client, owner, conference):
    first = notice_publish(conference, actor=None, text="We keep your data.", text_fr="Nous gardons vos données.",
                           text_ar="نحتفظ ببياناتك.")
    client.force_login(owner.user)
    page = client.get(reverse("privacy:notice")).content.decode()
    assert "We keep your data." in page and 'name="accept"' in page

    client.post(reverse("privacy:notice"), {"version": 1, "accept": "on"})
    assert list(NoticeAcceptance.objects.values_list("notice__version", flat=True)) == [1]
    assert 'name="accept"' not in client.get(reverse("privacy:notice")).content.decode()

    notice_publish(conference, actor=None, text="We keep less.", text_fr="Moins.", text_ar="أقل.")
    assert "The privacy notice has changed" in client.get(reverse("privacy:my_data")).content.decode()
    # An acceptance of a version that is no longer current records nothing.
    client.post(reverse("privacy:notice"), {"version": 1, "accept": "on"})
    assert NoticeAcceptance.objects.count() == 1
    client.post(reverse("privacy:notice"), {"version": 2, "accept": "on"})
    assert sorted(NoticeAcceptance.objects.values_list("notice__version", flat=True)) == [1, 2]
    assert list(ConsentChange.objects.order_by("pk").values_list("topic", "old_value", "new_value")) == [
        ("privacy_notice", "", "v1"), ("privacy_notice", "v1", "v2"),
    ]
    assert first.version == 1


def test_notice_in_the_page_language(client, owner, conference):
    notice_publish(conference, actor=None, text="English text.", text_fr="Texte français.", text_ar="نص عربي.")
    client.force_login(owner.user)
    client.cookies["accord_language"] = "ar"
    assert "نص عربي." in client.get(reverse("privacy:notice"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()


def test_notice_needs_three_languages(conference):
    with pytest.raises(Exception, match="English, French and Arabic"):
        notice_publish(conference, actor=None, text="Only English.", text_fr="", text_ar="")


def test_my_data_page_query_count_does_not_grow_with_the_read_log(client, owner, django_assert_num_queries):
    """6 queries of the page's own (login, participation, notice, read log, deletion request) and one per
    registered model that holds a participant's rows: it grows with the registry, never with the rows."""
    from privacy import registry

    per_model = sum(1 for rule in registry.rules() if rule.participant)
    officer = StaffFactory(username="visa.officer@example.org")
    record_read(owner, reader=officer, kind=RetentionKind.SENSITIVE, what="travel_document", where=ReadWhere.ADMIN)
    client.force_login(owner.user)
    url = reverse("privacy:my_data")
    client.get(url)  # reads the current conference into the shared cache
    with django_assert_num_queries(6 + per_model):
        assert client.get(url).status_code == 200
    record_read([owner] * 40, reader=officer, kind=RetentionKind.PHOTOS, what="photo", where=ReadWhere.DESK)
    with django_assert_num_queries(6 + per_model):
        assert client.get(url).status_code == 200
