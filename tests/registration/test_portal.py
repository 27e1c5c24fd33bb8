"""The focal-point portal: members, quota, nominations, substitutions, the nomination letter, decisions."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfWriter

from conference.models import AuditLog
from conference.selectors import current_conference
from registration.enums import ParticipantCategory, ParticipantStatus, RequestKind
from registration.models import Invitation, Participant
from tests.factories import (
    ConferenceFactory,
    DelegationFactory,
    ParticipantFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def focal(conference):
    user = UserFactory()
    delegation = DelegationFactory(conference=conference, code="EGY", seat_quota=3)
    delegation.focal_points.add(user)
    return user, delegation


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def test_portal_anonymous_redirected_to_login(client, focal):
    response = client.get(reverse("registration:delegation", kwargs={"code": "EGY"}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_portal_list_redirects_single_delegation(client, focal):
    user, delegation = focal
    client.force_login(user)
    response = client.get(reverse("registration:delegations"))
    assert response.status_code == 302
    assert response["Location"] == reverse("registration:delegation", kwargs={"code": "EGY"})


def test_portal_lists_members_status_category_email_and_quota(client, focal):
    user, delegation = focal
    delegation.category_quotas = {"delegate": 2}
    delegation.save()
    ParticipantFactory(
        conference=delegation.conference, delegation=delegation, first_name="Amina", last_name="Haddad",
        email="amina@example.org", status=ParticipantStatus.SUBMITTED,
    )
    ParticipantFactory(conference=delegation.conference, delegation=delegation, status=ParticipantStatus.CANCELLED)
    client.force_login(user)
    response = client.get(reverse("registration:delegation", kwargs={"code": "EGY"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Amina" in html and "amina@example.org" in html
    assert "Submitted" in html and "Delegate" in html
    quota = response.context["quota"]
    assert (quota.used, quota.limit, quota.remaining) == (1, 3, 2)
    delegate_line = next(line for line in quota.lines if line.category == "delegate")
    assert (delegate_line.used, delegate_line.limit, delegate_line.remaining) == (1, 2, 1)
    assert "1 of 3 seats used, 2 remaining." in html


def test_portal_escapes_html_in_names(client, focal):
    user, delegation = focal
    ParticipantFactory(
        conference=delegation.conference, delegation=delegation, first_name="<script>alert(1)</script>",
        position="<b>Chief</b>",
    )
    client.force_login(user)
    html = client.get(reverse("registration:delegation", kwargs={"code": "EGY"})).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Chief&lt;/b&gt;" in html


def test_portal_other_delegation_answers_404(client, focal, conference):
    user, delegation = focal
    other = DelegationFactory(conference=conference, code="FRA", country="FR")
    stranger = ParticipantFactory(conference=conference, delegation=other)
    own = ParticipantFactory(conference=conference, delegation=delegation)
    client.force_login(user)
    urls = [
        reverse("registration:delegation", kwargs={"code": "FRA"}),
        reverse("registration:delegation", kwargs={"code": "NOPE"}),
        reverse("registration:delegation_letter", kwargs={"code": "FRA"}),
        reverse("registration:delegation_substitute", kwargs={"code": "FRA", "public_id": stranger.public_id}),
        # Own delegation code with another delegation's member.
        reverse("registration:delegation_substitute", kwargs={"code": "EGY", "public_id": stranger.public_id}),
        reverse("registration:delegation_substitute", kwargs={"code": "EGY", "public_id": "does-not-exist"}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("registration:delegation_nominate", kwargs={"code": "FRA"}),
        reverse("registration:delegation_letter_upload", kwargs={"code": "FRA"}),
        reverse("registration:delegation_decide", kwargs={"code": "EGY", "public_id": stranger.public_id}),
        reverse("registration:delegation_decide", kwargs={"code": "FRA", "public_id": stranger.public_id}),
    ]
    for url in posts:
        response = client.post(url, {"decision": "approve", "first_name": "X", "last_name": "Y",
                                     "email": "x@example.org", "category": "delegate", "language": "en"})
        assert response.status_code == 404, url
    assert Participant.objects.filter(email="x@example.org").count() == 0
    stranger.refresh_from_db()
    assert stranger.status == ParticipantStatus.APPROVED
    # The own member works (sanity check that the 404s are about ownership).
    own_url = reverse("registration:delegation_substitute", kwargs={"code": "EGY", "public_id": own.public_id})
    assert client.get(own_url).status_code == 200


#: The current conference (for its time zone; the shared cache keeps it afterwards), the logged-in user, the
#: delegation (with its conference, checked against the focal point), the seats used per category, then two lists
#: of members (one query each, whatever their number), the organizers' questions of the nomination form (one query
#: without questions). Nothing is requested before to warm a cache: the first request is counted as it comes; the
#: second finds the current conference in the cache.
PORTAL_MEMBER_LIST_QUERIES = 7
PORTAL_MEMBER_LIST_QUERIES_AGAIN = 6


def test_portal_member_list_query_count_constant(client, focal, conference, django_assert_num_queries):
    user, delegation = focal
    ParticipantFactory(conference=conference, delegation=delegation)
    client.force_login(user)
    url = reverse("registration:delegation", kwargs={"code": "EGY"})
    with django_assert_num_queries(PORTAL_MEMBER_LIST_QUERIES):
        assert client.get(url).status_code == 200
    delegation.seat_quota = 50
    delegation.save()
    for index in range(12):
        ParticipantFactory(
            conference=conference, delegation=delegation,
            category=ParticipantCategory.EXPERT if index % 2 else ParticipantCategory.DELEGATE,
            source=RequestKind.OPEN_REQUEST if index % 3 == 0 else RequestKind.NOMINATION,
            status=ParticipantStatus.SUBMITTED,
        )
    with django_assert_num_queries(PORTAL_MEMBER_LIST_QUERIES_AGAIN):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["members"]) == 13


def test_nominate_creates_invited_participant_and_invitation(client, focal, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    user, delegation = focal
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registration:delegation_nominate", kwargs={"code": "EGY"}),
            {"first_name": "Omar", "last_name": "Nasser", "email": "Omar@Example.org",
             "category": "delegate", "language": "ar"},
        )
    assert response.status_code == 302
    participant = Participant.objects.get(email="omar@example.org")
    assert (participant.status, participant.source, participant.delegation, participant.preferred_language) == (
        ParticipantStatus.INVITED, RequestKind.NOMINATION, delegation, "ar"
    )
    invitation = Invitation.objects.get(email="omar@example.org")
    assert invitation.participant == participant
    assert invitation.delegation == delegation
    assert [message.to for message in mailoutbox] == [["omar@example.org"]]
    assert AuditLog.objects.filter(action="participant.create", object_id=str(participant.pk)).exists()


def test_nominate_refused_when_quota_full(client, focal, conference):
    user, delegation = focal
    for _ in range(3):
        ParticipantFactory(conference=conference, delegation=delegation)
    client.force_login(user)
    response = client.post(
        reverse("registration:delegation_nominate", kwargs={"code": "EGY"}),
        {"first_name": "Omar", "last_name": "Nasser", "email": "omar@example.org",
         "category": "delegate", "language": "en"},
    )
    assert response.status_code == 400
    assert "quota of 3 seats is full" in response.content.decode()
    assert not Participant.objects.filter(email="omar@example.org").exists()


def test_nominate_refused_when_category_quota_full(client, focal, conference):
    user, delegation = focal
    delegation.category_quotas = {"expert": 1}
    delegation.save()
    ParticipantFactory(conference=conference, delegation=delegation, category="expert")
    client.force_login(user)
    response = client.post(
        reverse("registration:delegation_nominate", kwargs={"code": "EGY"}),
        {"first_name": "Omar", "last_name": "Nasser", "email": "omar@example.org",
         "category": "expert", "language": "en"},
    )
    assert response.status_code == 400
    assert not Participant.objects.filter(email="omar@example.org").exists()


def test_cancelled_and_rejected_members_free_their_seat(focal, conference):
    from registration.services.nominations import nomination_create

    user, delegation = focal
    ParticipantFactory(conference=conference, delegation=delegation, status=ParticipantStatus.CANCELLED)
    ParticipantFactory(conference=conference, delegation=delegation, status=ParticipantStatus.REJECTED)
    ParticipantFactory(conference=conference, delegation=delegation)
    for index in range(2):
        nomination_create(delegation, actor=user, email=f"n{index}@example.org", first_name="N",
                          last_name=str(index), invite=False)
    assert Participant.objects.filter(delegation=delegation).count() == 5


def test_substitute_cancels_old_and_nominates_new_quota_unchanged(client, focal, conference,
                                                                   django_capture_on_commit_callbacks):
    user, delegation = focal
    members = [ParticipantFactory(conference=conference, delegation=delegation) for _ in range(3)]
    old = members[0]
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registration:delegation_substitute", kwargs={"code": "EGY", "public_id": old.public_id}),
            {"first_name": "Lina", "last_name": "Saad", "email": "lina@example.org",
             "category": old.category, "language": "fr", "reason": "Minister changed"},
        )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.status == ParticipantStatus.CANCELLED
    new = Participant.objects.get(email="lina@example.org")
    assert (new.status, new.delegation, new.source) == (
        ParticipantStatus.INVITED, delegation, RequestKind.NOMINATION
    )
    from registration.selectors import delegation_quota

    assert delegation_quota(delegation).used == 3
    assert AuditLog.objects.filter(action="participant.substitute", object_id=str(new.pk)).exists()


def test_substitute_failure_changes_nothing(client, focal, conference):
    user, delegation = focal
    old = ParticipantFactory(conference=conference, delegation=delegation)
    taken = ParticipantFactory(conference=conference, delegation=None, email="taken@example.org")
    client.force_login(user)
    response = client.post(
        reverse("registration:delegation_substitute", kwargs={"code": "EGY", "public_id": old.public_id}),
        {"first_name": "Lina", "last_name": "Saad", "email": taken.email, "category": "delegate",
         "language": "en"},
    )
    assert response.status_code == 400
    assert "already registered" in response.content.decode()
    old.refresh_from_db()
    assert old.status == ParticipantStatus.APPROVED


def test_letter_upload_pdf_and_download_by_focal_point_and_staff(client, focal, conference):
    user, delegation = focal
    client.force_login(user)
    data = pdf_bytes()
    response = client.post(
        reverse("registration:delegation_letter_upload", kwargs={"code": "EGY"}),
        {"letter": upload("note.pdf", data, "application/pdf")},
    )
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.nomination_letter and delegation.nomination_letter_uploaded_at
    url = reverse("registration:delegation_letter", kwargs={"code": "EGY"})
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert download["Content-Type"] == "application/pdf"
    # Another focal point, and anonymous users, cannot.
    other = UserFactory()
    DelegationFactory(conference=conference, code="FRA", country="FR").focal_points.add(other)
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("note.pdf", b"GIF89a not a pdf", "must be a PDF"),
        ("note.pdf", b"%PDF-1.7\nthis is not really a pdf", "could not be read"),
        ("note.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "too large"),
    ],
)
def test_letter_upload_refuses_non_pdf(client, focal, name, data, message):
    user, delegation = focal
    client.force_login(user)
    response = client.post(
        reverse("registration:delegation_letter_upload", kwargs={"code": "EGY"}),
        {"letter": upload(name, data, "application/pdf")},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    delegation.refresh_from_db()
    assert not delegation.nomination_letter


def test_focal_point_decides_only_when_conference_allows(client, focal, conference, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    user, delegation = focal
    member = ParticipantFactory(conference=conference, delegation=delegation, status=ParticipantStatus.SUBMITTED)
    client.force_login(user)
    url = reverse("registration:delegation_decide", kwargs={"code": "EGY", "public_id": member.public_id})
    assert client.post(url, {"decision": "approve"}).status_code == 404
    member.refresh_from_db()
    assert member.status == ParticipantStatus.SUBMITTED
    conference.focal_points_may_approve = True
    conference.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"decision": "approve"}).status_code == 302
    member.refresh_from_db()
    assert member.status == ParticipantStatus.APPROVED
    assert member.decided_by == user
    assert [m.to for m in mailoutbox] == [[member.email]]


def test_focal_point_reject_needs_reason(client, focal, conference):
    user, delegation = focal
    conference.focal_points_may_approve = True
    conference.save()
    member = ParticipantFactory(conference=conference, delegation=delegation, status=ParticipantStatus.SUBMITTED)
    client.force_login(user)
    url = reverse("registration:delegation_decide", kwargs={"code": "EGY", "public_id": member.public_id})
    client.post(url, {"decision": "reject", "reason": ""})
    member.refresh_from_db()
    assert member.status == ParticipantStatus.SUBMITTED
    client.post(url, {"decision": "reject", "reason": "Not a delegate"})
    member.refresh_from_db()
    assert (member.status, member.status_reason) == (ParticipantStatus.REJECTED, "Not a delegate")


def test_portal_delegation_list_query_count_constant(client, conference):
    user = UserFactory()
    client.force_login(user)
    url = reverse("registration:delegations")
    for code in ("AAA", "BBB"):
        DelegationFactory(conference=conference, code=code).focal_points.add(user)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert len(response.context["delegations"]) == 2
    for index in range(10):
        DelegationFactory(conference=ConferenceFactory(), code=f"M{index}", country="FR").focal_points.add(user)
    current_conference()  # a saved conference drops the cached current one; the time-zone middleware reads it
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["delegations"]) == 12
    assert len(few) == len(many)


# Categories focal points may nominate in (issue 20, item 7) --------------------------------------------------


@pytest.mark.parametrize("category", ["organizer", "security", "unodc"])
def test_nominate_forged_staff_category_refused_nothing_saved(client, focal, conference, mailoutbox, category):
    user, _delegation = focal
    client.force_login(user)
    response = client.post(
        reverse("registration:delegation_nominate", kwargs={"code": "EGY"}),
        {"first_name": "Omar", "last_name": "Nasser", "email": "omar@example.org",
         "category": category, "language": "en"},
    )
    assert response.status_code == 400
    assert response.context["nomination_form"].errors == {
        "category": [f"Select a valid choice. {category} is not one of the available choices."]
    }
    assert not Participant.objects.filter(email="omar@example.org").exists()
    assert not Invitation.objects.filter(email="omar@example.org").exists()
    assert mailoutbox == []


def test_nomination_form_offers_only_the_delegation_categories(client, focal):
    user, delegation = focal
    client.force_login(user)
    response = client.get(reverse("registration:delegation", kwargs={"code": "EGY"}))
    offered = [value for value, _label in response.context["nomination_form"].fields["category"].choices]
    assert offered == ["head", "delegate", "expert", "speaker", "media"]
    delegation.nominable_categories = ["delegate", "expert"]
    delegation.save()
    response = client.get(reverse("registration:delegation", kwargs={"code": "EGY"}))
    offered = [value for value, _label in response.context["nomination_form"].fields["category"].choices]
    assert offered == ["delegate", "expert"]


def test_nomination_create_refuses_category_not_allowed_for_delegation(focal):
    from conference.services import AccordError
    from registration.services.nominations import nomination_create

    user, delegation = focal
    delegation.nominable_categories = ["delegate"]
    delegation.save()
    with pytest.raises(AccordError) as refused:
        nomination_create(delegation, actor=user, email="e@example.org", first_name="E", last_name="X",
                          category="expert")
    assert str(refused.value) == (
        "Focal points may not nominate members in the category “Expert” for this delegation."
    )
    assert not Participant.objects.filter(email="e@example.org").exists()


def test_substitute_into_staff_category_refused_and_old_member_kept(client, focal, conference):
    user, delegation = focal
    old = ParticipantFactory(conference=conference, delegation=delegation, category="delegate")
    client.force_login(user)
    response = client.post(
        reverse("registration:delegation_substitute", kwargs={"code": "EGY", "public_id": old.public_id}),
        {"first_name": "Lina", "last_name": "Saad", "email": "lina@example.org", "category": "organizer",
         "language": "en", "reason": "x"},
    )
    assert response.status_code == 400
    assert "category" in response.context["form"].errors
    old.refresh_from_db()
    assert old.status != ParticipantStatus.CANCELLED
    assert not Participant.objects.filter(email="lina@example.org").exists()


def test_nominate_name_with_bidi_override_refused(client, focal, mailoutbox):
    user, _delegation = focal
    client.force_login(user)
    response = client.post(
        reverse("registration:delegation_nominate", kwargs={"code": "EGY"}),
        {"first_name": "Omar\u202e", "last_name": "Nasser", "email": "omar@example.org",
         "category": "delegate", "language": "en"},
    )
    assert response.status_code == 400
    assert response.context["nomination_form"].errors == {"first_name": [
        "Write this on one line, without control or text-direction characters (found U+202E)."
    ]}
    assert not Participant.objects.filter(email="omar@example.org").exists()


def test_delegation_admin_edits_nominable_categories(client, focal):
    _user, delegation = focal
    client.force_login(StaffFactory())
    url = reverse("admin:conference_delegation_change", args=[delegation.pk])
    page = client.get(url)
    assert page.context["adminform"].form["nominable_categories"].value() == [
        "head", "delegate", "expert", "speaker", "media"
    ]
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "nomination_letter"}
    data.update({
        "conference": delegation.conference_id, "focal_points": [u.pk for u in delegation.focal_points.all()],
        "category_quotas": "{}", "nominable_categories": ["delegate", "security"], "head": "",
        "participants-TOTAL_FORMS": "0", "participants-INITIAL_FORMS": "0",
    })
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    delegation.refresh_from_db()
    assert delegation.nominable_categories == ["delegate", "security"]
