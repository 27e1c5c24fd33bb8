import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from conference.models import AuditLog
from conference.selectors import current_conference
from logistics.models import TravelDocument, TravelPlan
from onsite.models import Badge
from registration.enums import InvitationStatus, ParticipantStatus
from registration.models import Invitation, Participant
from registration.search import search_text
from registration.services.participants import new_public_id
from tests.factories import (
    ConferenceFactory,
    DelegationFactory,
    ParticipantFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/registration/participant/"


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory(username="organizer@example.org"))
    return client


def many_participants(delegation, count: int, prefix="bulk", **extra):
    Participant.objects.bulk_create(
        Participant(
            conference=delegation.conference, delegation=delegation, public_id=new_public_id(),
            email=f"{prefix}{i}@example.org", first_name=f"First{i}", last_name=f"Last{i}",
            search_name=search_text(f"First{i} Last{i}", extra.get("badge_name", ""), extra.get("badge_name_ar", "")),
            **extra,
        )
        for i in range(count)
    )


def count_queries(client, url) -> int:
    current_conference()  # the time-zone middleware reads it on a first request, then from the shared cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
    return len(queries)


def test_participant_changelist_queries_do_not_grow_with_rows(admin_client):
    delegation = DelegationFactory()
    many_participants(delegation, 1)
    one = count_queries(admin_client, CHANGELIST)
    many_participants(DelegationFactory(conference=delegation.conference), 999, prefix="more", badge_name_ar="اسم")
    assert Participant.objects.count() == 1000
    many = count_queries(admin_client, CHANGELIST)
    assert one == many
    # The filters and search still work with every row.
    response = admin_client.get(CHANGELIST, {"q": "اسم"})
    assert response.context["cl"].result_count == 999


def test_invitation_changelist_queries_do_not_grow_with_rows(admin_client):
    conference = ConferenceFactory()
    delegation = DelegationFactory(conference=conference)

    def make(n, start):
        Invitation.objects.bulk_create(
            Invitation(conference=conference, delegation=delegation, email=f"inv{start + i}@example.org",
                       token_hash=f"{start + i:064d}", expires_at=timezone.now() + datetime.timedelta(days=3))
            for i in range(n)
        )

    make(1, 0)
    one = count_queries(admin_client, "/admin/registration/invitation/")
    make(300, 1)
    assert count_queries(admin_client, "/admin/registration/invitation/") == one


def test_admin_refuses_focal_point_without_staff(client):
    focal_point = UserFactory()
    DelegationFactory().focal_points.add(focal_point)
    client.force_login(focal_point)
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_participant_admin_approve_action_confirms_then_emails(admin_client, django_capture_on_commit_callbacks,
                                                               mailoutbox):
    conference = ConferenceFactory()
    submitted = ParticipantFactory.create_batch(2, conference=conference, status=ParticipantStatus.SUBMITTED,
                                                preferred_language="fr")
    data = {"action": "approve_selected", "_selected_action": [p.pk for p in submitted]}
    page = admin_client.post(CHANGELIST, data)
    assert page.status_code == 200
    assert "Approve participants" in page.content.decode()
    assert Participant.objects.filter(status=ParticipantStatus.APPROVED).count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(CHANGELIST, {**data, "apply": "1", "reason": ""})
    assert response.status_code == 302
    assert Participant.objects.filter(status=ParticipantStatus.APPROVED).count() == 2
    assert Badge.objects.count() == 2
    assert len(mailoutbox) == 2
    assert {m.extra_headers["Content-Language"] for m in mailoutbox} == {"fr"}


def test_participant_admin_reject_action_requires_reason(admin_client, django_capture_on_commit_callbacks,
                                                         mailoutbox):
    participant = ParticipantFactory(status=ParticipantStatus.SUBMITTED, last_name="<script>x</script>")
    data = {"action": "reject_selected", "_selected_action": [participant.pk], "apply": "1", "reason": ""}
    page = admin_client.post(CHANGELIST, data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "This field is required" in html
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(CHANGELIST, {**data, "reason": "Seat quota reached"})
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.REJECTED
    assert participant.status_reason == "Seat quota reached"
    assert "Seat quota reached" in mailoutbox[0].body


def test_participant_admin_cancel_action_skips_wrong_status(admin_client, django_capture_on_commit_callbacks):
    approved = ParticipantFactory(status=ParticipantStatus.APPROVED)
    rejected = ParticipantFactory(conference=approved.conference, status=ParticipantStatus.REJECTED)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(CHANGELIST, {
            "action": "cancel_selected", "_selected_action": [approved.pk, rejected.pk], "apply": "1", "reason": "",
        }, follow=True)
    approved.refresh_from_db()
    rejected.refresh_from_db()
    assert (approved.status, rejected.status) == (ParticipantStatus.CANCELLED, ParticipantStatus.REJECTED)
    assert "cannot be cancelled" in response.content.decode()


def test_participant_admin_change_page_shows_audit_log_and_logs_passport_read(admin_client):
    participant = ParticipantFactory()
    TravelDocument.objects.create(participant=participant, passport_number="A1234567", issuing_country="TN")
    AuditLog.objects.create(action="participant.update", content_type_id=_participant_ct(), object_id=participant.pk,
                            changes={"first_name": {"old": "<b>Old</b>", "new": "New"}})
    response = admin_client.get(f"{CHANGELIST}{participant.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "A1234567" in html
    assert "participant.update" in html and "&lt;b&gt;Old&lt;/b&gt;" in html
    read = AuditLog.objects.get(action="traveldocument.view")
    assert read.actor.username == "organizer@example.org"
    assert read.object_id == str(participant.pk)


def test_participant_admin_hides_passport_from_staff_without_permission(client):
    participant = ParticipantFactory()
    TravelDocument.objects.create(participant=participant, passport_number="A1234567")
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_participant", "change_participant"]))
    client.force_login(staff)
    response = client.get(f"{CHANGELIST}{participant.pk}/change/")
    assert response.status_code == 200
    assert "A1234567" not in response.content.decode()
    assert not AuditLog.objects.filter(action="traveldocument.view").exists()


def _change_page_data(response) -> dict:
    """What the change page's form posts back unchanged: the participant's fields and every inline's forms."""
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value not in (None, False)}
    data["languages_spoken"] = "[]"
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, field in formset.management_form.fields.items():
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for inline_form in formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value not in (None, False, ""):
                    data[inline_form.add_prefix(name)] = value
    return data


def test_participant_admin_edit_goes_through_service_with_audit(admin_client):
    participant = ParticipantFactory(first_name="Old", phone="+216 1")
    response = admin_client.get(f"{CHANGELIST}{participant.pk}/change/")
    data = _change_page_data(response)
    data.update({"first_name": "Nouveau", "phone": "+216 2"})
    response = admin_client.post(f"{CHANGELIST}{participant.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    participant.refresh_from_db()
    assert participant.first_name == "Nouveau"
    entry = AuditLog.objects.get(action="participant.update")
    assert entry.changes["first_name"] == {"old": "Old", "new": "Nouveau"}
    assert entry.changes["phone"] == {"old": "(changed)", "new": "(changed)"}
    assert not TravelPlan.objects.exists() and not TravelDocument.objects.exists()  # empty inlines add nothing


def test_participant_admin_travel_and_passport_inlines_write_through_services(admin_client):
    participant = ParticipantFactory()
    TravelPlan.objects.create(participant=participant, arrival_flight="MS123")
    response = admin_client.get(f"{CHANGELIST}{participant.pk}/change/")
    data = _change_page_data(response)
    data.update({"travel_plan-0-arrival_flight": "MS777", "travel_plan-0-hotel_needed": "on",
                 "travel_document-TOTAL_FORMS": "1", "travel_document-0-passport_number": "B7654321",
                 "travel_document-0-issuing_country": "TN", "travel_document-0-participant": participant.pk})
    response = admin_client.post(f"{CHANGELIST}{participant.pk}/change/", data)
    assert response.status_code == 302
    plan = TravelPlan.objects.get(participant=participant)
    assert (plan.arrival_flight, plan.hotel_needed) == ("MS777", True)
    travel = AuditLog.objects.get(action="travel_plan.update")
    assert travel.changes["arrival_flight"] == ["MS123", "MS777"]
    assert TravelDocument.objects.get(participant=participant).passport_number == "B7654321"
    passport = AuditLog.objects.get(action="traveldocument.update")
    assert passport.changes == {"fields": ["issuing_country", "passport_number"]}
    assert "B7654321" not in str(list(AuditLog.objects.values_list("changes", flat=True)))


def test_invitation_admin_add_calls_service_and_sends(admin_client, django_capture_on_commit_callbacks, mailoutbox):
    delegation = DelegationFactory(code="MAR", country="MA")
    data = {"conference": delegation.conference.pk, "delegation": delegation.pk, "email": " Hind@Example.org",
            "first_name": "Hind", "last_name": "B", "category": "expert", "language": "ar"}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/registration/invitation/add/", data)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "hind@example.org" and invitation.status == InvitationStatus.SENT
    assert len(mailoutbox) == 1
    again = admin_client.post("/admin/registration/invitation/add/", data)
    assert again.status_code == 200
    assert "already been invited" in again.content.decode()
    assert Invitation.objects.count() == 1


def test_invitation_admin_revoke_action(admin_client, django_capture_on_commit_callbacks):
    delegation = DelegationFactory()
    from registration.services.invitations import invitation_create

    invitation = invitation_create(delegation.conference, email="r@example.org", delegation=delegation)
    admin_client.post("/admin/registration/invitation/",
                      {"action": "revoke_invitations", "_selected_action": [invitation.pk]})
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED and invitation.revoked_at is not None


def test_invitation_admin_shows_sending_error(admin_client):
    delegation = DelegationFactory()
    Invitation.objects.create(conference=delegation.conference, email="f@example.org", token_hash="f" * 64,
                              status=InvitationStatus.FAILED, last_error="SMTPServerDisconnected: gone",
                              expires_at=timezone.now() + datetime.timedelta(days=1))
    html = admin_client.get("/admin/registration/invitation/").content.decode()
    assert "SMTPServerDisconnected: gone" in html and "Sending failed" in html


def test_invitation_admin_import_dry_run_then_confirm(admin_client, django_capture_on_commit_callbacks, mailoutbox):
    conference = ConferenceFactory()
    DelegationFactory(conference=conference, code="EGY")
    url = "/admin/registration/invitation/import/"
    assert admin_client.get(url).status_code == 200
    bad = io.BytesIO(b"email,delegation\nok@example.org,EGY\nbad@example.org,NOPE\n")
    bad.name = "bad.csv"
    response = admin_client.post(url, {"conference": conference.pk, "file": bad})
    assert response.status_code == 400
    html = response.content.decode()
    assert "unknown delegation “NOPE”" in html and 'name="confirm"' not in html
    good = io.BytesIO(b"email,delegation,language\nok@example.org,EGY,fr\nalso@example.org,egy,ar\n")
    good.name = "good.csv"
    response = admin_client.post(url, {"conference": conference.pk, "file": good})
    assert response.status_code == 200
    assert Invitation.objects.count() == 0
    upload = response.context["upload"]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"confirm": "1", "upload": upload})
    assert response.status_code == 302
    assert sorted(Invitation.objects.values_list("email", flat=True)) == ["also@example.org", "ok@example.org"]
    assert len(mailoutbox) == 2
    # The stored upload is used once.
    again = admin_client.post(url, {"confirm": "1", "upload": upload})
    assert again.status_code == 302 and Invitation.objects.count() == 2


def test_participant_export_csv_neutralises_formulas_and_constant_queries(admin_client):
    delegation = DelegationFactory(code="EGY")
    ParticipantFactory(conference=delegation.conference, delegation=delegation, first_name="=HYPERLINK(\"x\")",
                       last_name="+1", position="@SUM(A1)", organization="-2", badge_name_ar="أحمد")

    def export(fmt):
        ids = list(Participant.objects.values_list("pk", flat=True))
        current_conference()  # the time-zone middleware reads it on a first request, then from the shared cache
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.post(CHANGELIST, {"action": f"export_{fmt}", "_selected_action": ids})
        assert response.status_code == 200
        return response, len(queries)

    response, one = export("csv")
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    header, row = rows[0], rows[1]
    assert row[header.index("Given names")] == "'=HYPERLINK(\"x\")"
    assert row[header.index("Surname")] == "'+1"
    assert row[header.index("Position")] == "'@SUM(A1)"
    assert row[header.index("Organization")] == "'-2"
    assert row[header.index("Name on badge (Arabic)")] == "أحمد"
    many_participants(delegation, 200, prefix="export")
    _response, many = export("csv")
    assert one == many

    response, _count = export("xlsx")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    given = values[0].index("Given names")
    assert all(not str(r[given]).startswith("=") for r in values[1:])
    assert any(r[given] == "'=HYPERLINK(\"x\")" for r in values[1:])


def _participant_ct():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Participant).pk


def test_participant_admin_invite_as_focal_point_action(admin_client, django_capture_on_commit_callbacks,
                                                        mailoutbox):
    head = ParticipantFactory(category="head", user=None, preferred_language="ar")
    with_account = ParticipantFactory(conference=head.conference, user=UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(CHANGELIST, {"action": "invite_selected_as_focal_points",
                                       "_selected_action": [head.pk, with_account.pk]})
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.as_focal_point, invitation.delegation, invitation.language) == (
        head.email, True, head.delegation, "ar")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [head.email]


def test_participant_admin_deletes_nothing(admin_client):
    """No delete action, no delete page, no delete through the bulk action's name: the participant stays (cancel
    or the privacy app's deletion request instead)."""
    participant = ParticipantFactory(conference=ConferenceFactory(), status=ParticipantStatus.APPROVED)
    page = admin_client.get(CHANGELIST)
    assert page.status_code == 200 and 'value="delete_selected"' not in page.content.decode()
    assert admin_client.get(f"{CHANGELIST}{participant.pk}/delete/").status_code == 403
    assert admin_client.post(f"{CHANGELIST}{participant.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [participant.pk], "post": "yes"})
    assert Participant.objects.filter(pk=participant.pk).exists()
