"""Visa support letters: the PDF, the issuing service, the e-mail, the approval hook and the downloads."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conference.models import AuditLog, Partner
from conference.services import AccordError
from logistics.models import TravelDocument, VisaLetter
from logistics.services import render_visa_letter, visa_letter_issue
from logistics.tasks import issue_visa_letter_task, send_visa_letter_task
from registration.enums import ParticipantStatus
from registration.services.participants import participant_approve
from tests.factories import (
    ConferenceFactory,
    DelegationFactory,
    ParticipantFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PASSPORT = "X1234567Q"


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return text


@pytest.fixture
def conference(settings):
    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    conference = ConferenceFactory(
        slug="sharm2023", name="Inter-regional Conference on Trafficking", name_fr="Conférence interrégionale",
        name_ar="المؤتمر الأقاليمي", start_date=datetime.date(2023, 7, 10), end_date=datetime.date(2023, 7, 13),
        venue="International Congress Centre", city="Sharm El Sheikh", city_fr="Charm el-Cheikh",
        city_ar="شرم الشيخ", country="EG",
    )
    Partner.objects.create(conference=conference, role="host", name="Government of Egypt", name_ar="حكومة مصر")
    return conference


def letter(participant) -> VisaLetter:
    """The participant's visa letter row as committed now (an empty one when there is none)."""
    return VisaLetter.objects.filter(participant=participant).first() or VisaLetter()


def make_participant(conference, *, language="en", status=ParticipantStatus.APPROVED, passport=PASSPORT,
                     needs_visa_letter=True, **fields):
    values = {"first_name": "Amina", "last_name": "Diallo", "nationality": "SN", "position": "Prosecutor",
              "organization": "Ministry of Justice"}
    values.update(fields)
    participant = ParticipantFactory(
        conference=conference, delegation=DelegationFactory(conference=conference, country="SN"),
        preferred_language=language, status=status, **values,
    )
    if needs_visa_letter:
        VisaLetter.objects.create(participant=participant, requested=True)
    if passport is not None:
        TravelDocument.objects.create(participant=participant, passport_number=passport,
                                      passport_expiry=datetime.date(2030, 5, 31), issuing_country="SN")
    return participant


def test_render_visa_letter_english_has_name_reference_passport(conference):
    participant = make_participant(conference)
    text = pdf_text(render_visa_letter(participant, reference="SHARM2023/VISA/0007", issued_at=timezone.now()))
    for expected in ("Amina Diallo", "SHARM2023/VISA/0007", PASSPORT, "Senegal", "Prosecutor", "Ministry of Justice",
                     "To the Embassy/Consulate of the Arab Republic of Egypt", "Sharm El Sheikh", "entry visa",
                     "31 May 2030", "Government of Egypt", "10 July 2023"):
        assert expected in text, expected


def test_render_visa_letter_french_is_in_french(conference):
    participant = make_participant(conference, language="fr")
    text = pdf_text(render_visa_letter(participant, reference="SHARM2023/VISA/0001", issued_at=timezone.now()))
    assert "Conférence interrégionale" in text
    assert "Charm el-Cheikh" in text
    assert "Sénégal" in text
    assert "juillet" in text
    assert "visa d’entrée" in text or "visa d'entrée" in text
    assert "Excellency" not in text


def test_render_visa_letter_arabic_extracts_arabic(conference):
    participant = make_participant(conference, language="ar")
    text = pdf_text(render_visa_letter(participant, reference="SHARM2023/VISA/0002", issued_at=timezone.now()))
    for expected in ("شرم الشيخ", "حكومة مصر", "رقم جواز السفر"):
        assert expected in text, expected
    assert PASSPORT in text
    assert "SHARM2023/VISA/0002" in text


def test_render_visa_letter_html_in_name_prints_as_text(conference):
    participant = make_participant(conference, first_name="<b>Amina</b>", organization="A & B <i>Org</i>")
    text = pdf_text(render_visa_letter(participant, reference="R/1", issued_at=timezone.now()))
    assert "<b>Amina</b>" in text
    assert "A & B <i>Org</i>" in text


def test_visa_letter_issue_stores_file_reference_audit_and_mails(conference, mailoutbox,
                                                                 django_capture_on_commit_callbacks):
    staff = StaffFactory()
    participant = make_participant(conference, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        visa_letter_issue(participant, actor=staff)
    participant.refresh_from_db()
    assert letter(participant).reference == "SHARM2023/VISA/0001"
    assert letter(participant).issued_at is not None
    assert letter(participant).file.name == f"visa-letters/{conference.pk}/{participant.public_id}.pdf"
    with letter(participant).file.open("rb") as handle:
        assert PASSPORT in pdf_text(handle.read())
    entry = AuditLog.objects.get(action="participant.visa_letter_issue")
    assert PASSPORT not in str(entry.changes)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [participant.email]
    assert "lettre" in message.subject.lower()
    assert message.extra_headers["Content-Language"] == "fr"
    assert PASSPORT not in message.body
    (name, content, mimetype), = message.attachments
    assert mimetype == "application/pdf" and name.endswith(".pdf")
    assert "SHARM2023/VISA/0001" in pdf_text(content)


def test_visa_letter_issue_numbers_are_sequential_and_kept_on_reissue(conference, mailoutbox,
                                                                      django_capture_on_commit_callbacks):
    first = make_participant(conference, email="a@example.org")
    second = make_participant(conference, email="b@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        visa_letter_issue(first, actor=None)
        visa_letter_issue(second, actor=None)
        visa_letter_issue(first, actor=None)  # already issued, not a re-issue: nothing happens
    assert (letter(first).reference, letter(second).reference) == ("SHARM2023/VISA/0001",
                                                                           "SHARM2023/VISA/0002")
    assert len(mailoutbox) == 2
    old_issued, old_name = letter(first).issued_at, letter(first).file.name
    storage = letter(first).file.storage
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        visa_letter_issue(first, actor=None, reissue=True)
    first.refresh_from_db()
    # Until the new letter is committed, the old file is still there.
    assert storage.exists(old_name) and storage.exists(letter(first).file.name)
    for callback in callbacks:
        callback()
    assert not storage.exists(old_name)
    assert letter(first).reference == "SHARM2023/VISA/0001"
    assert letter(first).issued_at > old_issued
    assert letter(first).file.name.startswith(f"visa-letters/{conference.pk}/{first.public_id}")
    assert PASSPORT in pdf_text(letter(first).file.read())
    assert len(mailoutbox) == 3


def test_visa_letter_reissue_rolled_back_keeps_the_old_letter(conference, django_capture_on_commit_callbacks):
    """A re-issue inside a larger change that then fails (an admin action, say) leaves the letter that was there."""
    from django.db import transaction

    participant = make_participant(conference, email="a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        visa_letter_issue(participant, actor=None)
    participant.refresh_from_db()
    old_name, storage = letter(participant).file.name, letter(participant).file.storage
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            visa_letter_issue(participant, actor=None, reissue=True)
            raise RuntimeError("a later step of the same change fails")
    participant.refresh_from_db()
    assert letter(participant).file.name == old_name and storage.exists(old_name)
    assert PASSPORT in pdf_text(letter(participant).file.read())


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"status": ParticipantStatus.SUBMITTED}, "not approved"),
        ({"needs_visa_letter": False}, "did not ask"),
        ({"passport": None}, "no passport number"),
        ({"passport": "  "}, "no passport number"),
    ],
)
def test_visa_letter_issue_refused_with_reason(conference, mailoutbox, django_capture_on_commit_callbacks,
                                               kwargs, reason):
    participant = make_participant(conference, **kwargs)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(AccordError, match=reason):
        visa_letter_issue(participant, actor=None)
    participant.refresh_from_db()
    assert not letter(participant).file and letter(participant).reference == ""
    assert mailoutbox == []
    assert not AuditLog.objects.filter(action__startswith="participant.visa_letter").exists()


def test_participant_approve_queues_visa_letter_in_language(conference, mailoutbox,
                                                            django_capture_on_commit_callbacks):
    participant = make_participant(conference, language="ar", status=ParticipantStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        participant_approve(participant, actor=StaffFactory())
    participant.refresh_from_db()
    assert letter(participant).reference == "SHARM2023/VISA/0001"
    letters = [m for m in mailoutbox if m.attachments]
    assert len(letters) == 1 and len(mailoutbox) == 2  # the approval and the letter
    assert letters[0].extra_headers["Content-Language"] == "ar"
    assert "شرم الشيخ" in pdf_text(letters[0].attachments[0][1])
    assert issue_visa_letter_task(participant.pk) is True  # run twice: nothing sent again
    assert len(mailoutbox) == 2


def test_participant_approve_without_visa_request_issues_nothing(conference, mailoutbox,
                                                                 django_capture_on_commit_callbacks):
    participant = make_participant(conference, status=ParticipantStatus.SUBMITTED, needs_visa_letter=False)
    with django_capture_on_commit_callbacks(execute=True):
        participant_approve(participant, actor=StaffFactory())
    assert letter(participant).reference == "" and not VisaLetter.objects.exclude(file="").exists()
    assert [m for m in mailoutbox if m.attachments] == []


def issued(conference, **fields):
    participant = make_participant(conference, **fields)
    visa_letter_issue(participant, actor=None)
    return participant


def test_register_visa_letter_own_letter_as_attachment(client, conference):
    user = UserFactory()
    participant = issued(conference, user=user, email=user.email)
    client.force_login(user)
    response = client.get(reverse("registration:register_visa_letter"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert PASSPORT in pdf_text(b"".join(response.streaming_content))
    assert participant.public_id in response["Content-Disposition"]


def test_register_visa_letter_404_without_letter_never_another(client, conference):
    issued(conference, email="other@example.org")  # someone else's letter
    user = UserFactory()
    make_participant(conference, user=user, email=user.email)
    client.force_login(user)
    assert client.get(reverse("registration:register_visa_letter")).status_code == 404


def test_register_visa_letter_anonymous_to_login(client, conference):
    response = client.get(reverse("registration:register_visa_letter"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_visa_letter_downloads_written_to_the_audit_log(client, conference):
    user = UserFactory()
    participant = issued(conference, user=user, email=user.email)
    client.force_login(user)
    assert client.get(reverse("registration:register_visa_letter")).status_code == 200
    staff = StaffFactory()
    client.force_login(staff)
    url = reverse("registration:desk_visa_letter", kwargs={"public_id": participant.public_id})
    assert client.get(url).status_code == 200
    entries = list(AuditLog.objects.filter(action="participant.visa_letter_download").order_by("pk"))
    assert [(entry.actor_id, entry.changes["by"], entry.object_id) for entry in entries] == [
        (user.pk, "participant", str(participant.pk)), (staff.pk, "staff", str(participant.pk)),
    ]
    assert entries[0].changes["visa_letter_reference"] == letter(participant).reference
    # A letter that is not there is not logged as read.
    other = make_participant(conference, email="none@example.org")
    assert client.get(reverse("registration:desk_visa_letter", kwargs={"public_id": other.public_id})).status_code == 404
    assert AuditLog.objects.filter(action="participant.visa_letter_download").count() == 2


def test_desk_visa_letter_staff_only(client, conference):
    participant = issued(conference)
    url = reverse("registration:desk_visa_letter", kwargs={"public_id": participant.public_id})
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(StaffFactory())
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    other = make_participant(conference, email="none@example.org")
    assert client.get(reverse("registration:desk_visa_letter", kwargs={"public_id": other.public_id})).status_code == 404


def test_admin_action_issue_visa_letters(client, conference, mailoutbox, django_capture_on_commit_callbacks):
    good = make_participant(conference, email="good@example.org")
    refused = make_participant(conference, email="refused@example.org", passport=None)
    client.force_login(StaffFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:registration_participant_changelist"),
                               {"action": "issue_visa_letters", "_selected_action": [good.pk, refused.pk]},
                               follow=True)
    assert response.status_code == 200
    good.refresh_from_db()
    refused.refresh_from_db()
    assert letter(good).reference == "SHARM2023/VISA/0001"
    assert letter(refused).reference == ""
    body = response.content.decode()
    assert "1 visa letter queued" in body
    assert "no passport number" in body
    assert len(mailoutbox) == 1


def staff_without_passport_permission():
    """Staff who may use the desk and the admin but were not given the passport permission."""
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_participant", "change_participant"]))
    return user


def staff_with_passport_permission():
    from django.contrib.auth.models import Permission

    user = staff_without_passport_permission()
    user.user_permissions.add(Permission.objects.get(codename="view_traveldocument"))
    return user


def test_desk_visa_letter_needs_the_passport_permission(client, conference):
    participant = issued(conference)
    url = reverse("registration:desk_visa_letter", kwargs={"public_id": participant.public_id})
    client.force_login(staff_without_passport_permission())
    assert client.get(url).status_code == 404
    assert not AuditLog.objects.filter(action="participant.visa_letter_download").exists()
    client.force_login(staff_with_passport_permission())
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_admin_action_issue_visa_letters_needs_the_passport_permission(client, conference, mailoutbox,
                                                                        django_capture_on_commit_callbacks):
    participant = make_participant(conference, email="good@example.org")
    client.force_login(staff_without_passport_permission())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:registration_participant_changelist"),
                               {"action": "issue_visa_letters", "_selected_action": [participant.pk]})
    assert response.status_code == 403
    participant.refresh_from_db()
    assert letter(participant).reference == ""
    assert mailoutbox == []


def test_admin_action_issue_visa_letters_renders_nothing_in_the_request(client, conference, mailoutbox,
                                                                         django_capture_on_commit_callbacks):
    participant = make_participant(conference, email="good@example.org")
    client.force_login(staff_with_passport_permission())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("admin:registration_participant_changelist"),
                               {"action": "issue_visa_letters", "_selected_action": [participant.pk]})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (letter(participant).file.name, letter(participant).reference) == ("", "")
    assert len(callbacks) == 1  # the task, queued on commit
    callbacks[0]()
    participant.refresh_from_db()
    assert letter(participant).reference == "SHARM2023/VISA/0001"
    assert AuditLog.objects.filter(action="participant.visa_letter_issue").get().actor_id == response.wsgi_request.user.pk


def test_send_visa_letter_task_run_twice_sends_one_email(conference, mailoutbox, django_capture_on_commit_callbacks):
    participant = make_participant(conference, email="good@example.org")
    with django_capture_on_commit_callbacks(execute=False):
        visa_letter_issue(participant, actor=None)
    assert send_visa_letter_task.apply(kwargs={"participant_id": participant.pk}).get() is True
    assert send_visa_letter_task.apply(kwargs={"participant_id": participant.pk}).get() is False
    assert len(mailoutbox) == 1
    participant.refresh_from_db()
    assert letter(participant).sent_at is not None and letter(participant).failed_at is None
    # A letter issued again is owed again: one more e-mail, once.
    with django_capture_on_commit_callbacks(execute=False):
        visa_letter_issue(participant, actor=None, reissue=True)
    send_visa_letter_task.apply(kwargs={"participant_id": participant.pk})
    send_visa_letter_task.apply(kwargs={"participant_id": participant.pk})
    assert len(mailoutbox) == 2


def test_send_visa_letter_permanent_failure_is_marked(conference, mailoutbox, django_capture_on_commit_callbacks,
                                                      monkeypatch):
    from smtplib import SMTPRecipientsRefused

    from django.core import mail

    participant = make_participant(conference, email="good@example.org")
    with django_capture_on_commit_callbacks(execute=False):
        visa_letter_issue(participant, actor=None)

    def refuse(self, messages):
        raise SMTPRecipientsRefused({"good@example.org": (550, b"no such user")})

    monkeypatch.setattr(mail.get_connection().__class__, "send_messages", refuse)
    assert send_visa_letter_task.apply(kwargs={"participant_id": participant.pk}).get() is False
    participant.refresh_from_db()
    assert letter(participant).sent_at is None
    assert letter(participant).failed_at is not None
    assert "550" in letter(participant).last_error
