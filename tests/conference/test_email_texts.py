"""Organizers' e-mail texts (subject and personal message) in Arabic, French and English, English fallback."""

import pytest
from django.utils import translation

from conference.enums import EmailKind
from conference.models import EmailText
from registration.enums import ParticipantStatus
from registration.services.invitations import invitation_create
from registration.services.participants import participant_approve
from tests.factories import ConferenceFactory, DelegationFactory, ParticipantFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _html(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def _approve(participant, callbacks):
    with callbacks(execute=True):
        participant_approve(participant, actor=StaffFactory())


def test_approval_email_arabic_uses_arabic_subject_and_message(django_capture_on_commit_callbacks, mailoutbox):
    conference = ConferenceFactory()
    EmailText.objects.create(
        conference=conference, kind=EmailKind.DECISION_APPROVED,
        subject="Approved", subject_ar="تمت الموافقة على تسجيلكم", message="Welcome!",
        message_ar="أهلاً بكم في شرم الشيخ\nالسطر الثاني", message_fr="Bienvenue !",
    )
    participant = ParticipantFactory(
        conference=conference, status=ParticipantStatus.SUBMITTED, preferred_language="ar"
    )
    _approve(participant, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == "تمت الموافقة على تسجيلكم"
    assert message.body.startswith("أهلاً بكم في شرم الشيخ\nالسطر الثاني\n\n")
    html = _html(message)
    assert "أهلاً بكم في شرم الشيخ<br>السطر الثاني" in html
    assert "Welcome!" not in message.body and "Bienvenue" not in html


def test_approval_email_french_empty_fields_fall_back_to_english(django_capture_on_commit_callbacks, mailoutbox):
    conference = ConferenceFactory()
    EmailText.objects.create(
        conference=conference, kind=EmailKind.DECISION_APPROVED,
        subject="Your seat in Sharm El Sheikh is confirmed", message="Please bring your passport.",
        subject_ar="عنوان", message_ar="رسالة",
    )
    participant = ParticipantFactory(
        conference=conference, status=ParticipantStatus.SUBMITTED, preferred_language="fr"
    )
    _approve(participant, django_capture_on_commit_callbacks)
    message = mailoutbox[0]
    assert message.subject == "Your seat in Sharm El Sheikh is confirmed"
    assert message.body.startswith("Please bring your passport.\n\n")
    assert "Please bring your passport." in _html(message)
    assert message.extra_headers["Content-Language"] == "fr"


def test_approval_email_without_text_keeps_default_subject_and_no_message(
    django_capture_on_commit_callbacks, mailoutbox
):
    conference = ConferenceFactory()
    # A text for another kind and one for another conference do not apply.
    EmailText.objects.create(conference=conference, kind=EmailKind.DECISION_REJECTED, subject="No", message="No")
    EmailText.objects.create(
        conference=ConferenceFactory(), kind=EmailKind.DECISION_APPROVED, subject="Other", message="Other"
    )
    participant = ParticipantFactory(
        conference=conference, status=ParticipantStatus.SUBMITTED, preferred_language="ar"
    )
    _approve(participant, django_capture_on_commit_callbacks)
    message = mailoutbox[0]
    with translation.override("ar"):
        expected = translation.gettext("Your registration is approved: %(conference)s") % {
            "conference": conference.name
        }
    assert expected != f"Your registration is approved: {conference.name}"
    assert message.subject == expected
    assert "Other" not in message.body and "No" not in message.body.split()[0]
    assert "border-inline-start: 3px solid #1a5fa0" not in _html(message)


def test_approval_email_empty_subject_keeps_default_with_message(django_capture_on_commit_callbacks, mailoutbox):
    conference = ConferenceFactory()
    EmailText.objects.create(conference=conference, kind=EmailKind.DECISION_APPROVED, message="Hello")
    participant = ParticipantFactory(
        conference=conference, status=ParticipantStatus.SUBMITTED, preferred_language="en"
    )
    _approve(participant, django_capture_on_commit_callbacks)
    message = mailoutbox[0]
    assert message.subject == f"Your registration is approved: {conference.name}"
    assert message.body.startswith("Hello\n\n")


def test_organizer_message_html_is_escaped(django_capture_on_commit_callbacks, mailoutbox):
    conference = ConferenceFactory()
    EmailText.objects.create(
        conference=conference, kind=EmailKind.DECISION_APPROVED,
        message='<script>alert("x")</script> <b>bold</b>',
    )
    participant = ParticipantFactory(
        conference=conference, status=ParticipantStatus.SUBMITTED, preferred_language="en"
    )
    _approve(participant, django_capture_on_commit_callbacks)
    html = _html(mailoutbox[0])
    assert "<script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    # The plain-text part is not HTML: the text stays as written.
    assert mailoutbox[0].body.startswith('<script>alert("x")</script> <b>bold</b>\n\n')


def test_invitation_email_uses_localized_text(django_capture_on_commit_callbacks, mailoutbox):
    delegation = DelegationFactory()
    conference = delegation.conference
    EmailText.objects.create(
        conference=conference, kind=EmailKind.INVITATION,
        subject="Invitation", subject_fr="Invitation à Charm el-Cheikh", message="Dear colleagues",
        message_fr="Chers collègues,\nbienvenue.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            conference, email="invitee@example.org", delegation=delegation, language="fr", inviter=StaffFactory()
        )
    message = mailoutbox[0]
    assert message.subject == "Invitation à Charm el-Cheikh"
    assert message.body.startswith("Chers collègues,\nbienvenue.\n\n")
    assert "Chers collègues,<br>bienvenue." in _html(message)


def test_email_text_str_and_unique_per_kind():
    conference = ConferenceFactory(short_name="UNODC-23")
    text = EmailText.objects.create(conference=conference, kind=EmailKind.VISA_LETTER)
    assert str(text) == "UNODC-23: Visa support letter"
    assert list(conference.email_texts.all()) == [text]
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        EmailText.objects.create(conference=conference, kind=EmailKind.VISA_LETTER)


def test_waitlist_promotion_email_uses_localized_text(django_capture_on_commit_callbacks, mailoutbox):
    from sessions_app import services as session_services
    from tests.factories import SessionFactory

    conference = ConferenceFactory()
    EmailText.objects.create(
        conference=conference, kind=EmailKind.WAITLIST_PROMOTION,
        subject="A seat for you", subject_ar="لديكم مقعد", message="See you there", message_ar="نراكم هناك",
    )
    session = SessionFactory(conference=conference, signup_required=True, capacity=1)
    first = ParticipantFactory(conference=conference)
    waiting = ParticipantFactory(conference=conference, preferred_language="ar")
    signup = session_services.signup_create(session, participant=first)
    session_services.signup_create(session, participant=waiting)
    with django_capture_on_commit_callbacks(execute=True):
        session_services.signup_cancel(signup, actor=None)
    assert [m.to for m in mailoutbox] == [[waiting.email]]
    assert mailoutbox[0].subject == "لديكم مقعد"
    assert mailoutbox[0].body.startswith("نراكم هناك\n\n")
