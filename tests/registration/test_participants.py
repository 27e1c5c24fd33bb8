import smtplib

import pytest

from conference.models import AuditLog
from conference.services import AccordError
from onsite.models import Badge
from registration.enums import ParticipantStatus
from registration.models import Participant, ParticipantNotice
from registration.services.participants import (
    participant_approve,
    participant_cancel,
    participant_create,
    participant_notice_send,
    participant_reject,
    participant_update,
    participants_approve,
)
from registration.tasks.participants import send_participant_notice_task
from tests.factories import ConferenceFactory, DelegationFactory, ParticipantFactory, StaffFactory

pytestmark = pytest.mark.django_db


class FailingBackend:
    """An SMTP server that refuses everything (outside our code)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection lost")


def test_participant_create_normalises_email_and_random_public_id():
    delegation = DelegationFactory()
    participant = participant_create(
        delegation.conference, email="  Amina.Haddad@Example.ORG ", delegation=delegation, first_name="Amina"
    )
    assert participant.email == "amina.haddad@example.org"
    assert len(participant.public_id) >= 20
    other = participant_create(delegation.conference, email="other@example.org")
    assert other.public_id != participant.public_id
    entry = AuditLog.objects.get(action="participant.create", object_id=str(participant.pk))
    assert entry.changes["email"] == "amina.haddad@example.org"


def test_participant_create_duplicate_email_case_insensitive_raises_clear_error():
    conference = ConferenceFactory()
    participant_create(conference, email="dup@example.org")
    with pytest.raises(AccordError, match="already registered"):
        participant_create(conference, email="DUP@example.org ")
    assert Participant.objects.filter(conference=conference).count() == 1
    # Another conference may have the same address.
    participant_create(ConferenceFactory(), email="dup@example.org")


def test_participant_create_invalid_email_or_foreign_delegation_refused():
    conference = ConferenceFactory()
    with pytest.raises(AccordError, match="not a valid e-mail"):
        participant_create(conference, email="not-an-address")
    with pytest.raises(AccordError, match="another conference"):
        participant_create(conference, email="a@example.org", delegation=DelegationFactory())
    assert Participant.objects.count() == 0


def test_participant_update_logs_changes_without_sensitive_values():
    staff = StaffFactory()
    participant = ParticipantFactory(first_name="Old", phone="+20 100")
    participant_update(participant, actor=staff, first_name="New", phone="+20 999")
    participant.refresh_from_db()
    assert participant.first_name == "New"
    entry = AuditLog.objects.get(action="participant.update")
    assert entry.actor == staff
    assert entry.changes["first_name"] == {"old": "Old", "new": "New"}
    assert entry.changes["phone"] == {"old": "(changed)", "new": "(changed)"}
    assert "+20" not in str(entry.changes)


def test_participant_update_no_change_writes_nothing():
    participant = ParticipantFactory(first_name="Same")
    participant_update(participant, actor=None, first_name="Same")
    assert not AuditLog.objects.filter(action="participant.update").exists()


def test_participant_update_refuses_status_and_duplicate_email():
    conference = ConferenceFactory()
    ParticipantFactory(conference=conference, email="taken@example.org")
    participant = ParticipantFactory(conference=conference)
    with pytest.raises(AccordError):
        participant_update(participant, actor=None, status=ParticipantStatus.APPROVED)
    with pytest.raises(AccordError, match="already registered"):
        participant_update(participant, actor=None, email="Taken@example.org")


def test_participant_approve_creates_badge_and_emails_in_language(
    django_capture_on_commit_callbacks, mailoutbox
):
    staff = StaffFactory()
    participant = ParticipantFactory(
        status=ParticipantStatus.SUBMITTED, preferred_language="fr", first_name="Jeanne", last_name="Dupont"
    )
    with django_capture_on_commit_callbacks(execute=True):
        participant_approve(participant, actor=staff)
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.APPROVED
    assert participant.decided_by == staff
    assert participant.decided_at is not None
    badge = Badge.objects.get(participant=participant)
    assert len(badge.token) >= 40
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [participant.email]
    assert message.extra_headers["Content-Language"] == "fr"
    html = message.alternatives[0][0]
    assert "Jeanne Dupont" in message.body and "Jeanne Dupont" in html
    assert AuditLog.objects.filter(action="participant.approve", object_id=str(participant.pk)).count() == 1
    assert ParticipantNotice.objects.get(participant=participant).sent_at is not None


def test_participant_approve_twice_refused_and_badge_kept(django_capture_on_commit_callbacks, mailoutbox):
    participant = ParticipantFactory(status=ParticipantStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        participant_approve(participant, actor=None)
    token = participant.badge.token
    with pytest.raises(AccordError, match="already approved"):
        participant_approve(participant, actor=None)
    assert Badge.objects.get(participant=participant).token == token
    assert len(mailoutbox) == 1


def test_participant_reject_requires_reason_and_emails_escaped_reason(
    django_capture_on_commit_callbacks, mailoutbox
):
    participant = ParticipantFactory(status=ParticipantStatus.SUBMITTED, preferred_language="ar")
    with pytest.raises(AccordError):
        participant_reject(participant, actor=None, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        participant_reject(participant, actor=None, reason="Quota <b>full</b>")
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.REJECTED
    assert participant.status_reason == "Quota <b>full</b>"
    assert not Badge.objects.filter(participant=participant).exists()
    html = mailoutbox[0].alternatives[0][0]
    assert "Quota &lt;b&gt;full&lt;/b&gt;" in html
    assert 'dir="rtl"' in html
    assert "Quota <b>full</b>" in mailoutbox[0].body


def test_participant_cancel_from_rejected_refused():
    participant = ParticipantFactory(status=ParticipantStatus.REJECTED)
    with pytest.raises(AccordError, match="cannot be cancelled"):
        participant_cancel(participant, actor=None)
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.REJECTED


def test_participants_approve_bulk_skips_wrong_status(django_capture_on_commit_callbacks, mailoutbox):
    conference = ConferenceFactory()
    ok = ParticipantFactory.create_batch(3, conference=conference, status=ParticipantStatus.SUBMITTED)
    cancelled = ParticipantFactory(conference=conference, status=ParticipantStatus.CANCELLED)
    with django_capture_on_commit_callbacks(execute=True):
        result = participants_approve([*ok, cancelled], actor=None)
    assert [p.pk for p in result.done] == [p.pk for p in ok]
    assert [p.pk for p, _ in result.skipped] == [cancelled.pk]
    assert len(mailoutbox) == 3


def test_participant_notice_send_duplicate_task_sends_once(django_capture_on_commit_callbacks, mailoutbox):
    participant = ParticipantFactory(status=ParticipantStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        participant_approve(participant, actor=None)
    notice = ParticipantNotice.objects.get(participant=participant)
    send_participant_notice_task.apply(kwargs={"notice_id": notice.pk})
    send_participant_notice_task.apply(kwargs={"notice_id": notice.pk})
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


def test_participant_notice_send_smtp_failure_recorded_then_retry_sends(settings, mailoutbox):
    participant = ParticipantFactory(status=ParticipantStatus.SUBMITTED)
    notice = ParticipantNotice.objects.create(participant=participant, kind="approved")
    settings.EMAIL_BACKEND = "tests.registration.test_participants.FailingBackend"
    with pytest.raises(smtplib.SMTPException):
        participant_notice_send(notice.pk, final_attempt=True)
    notice.refresh_from_db()
    assert notice.sent_at is None
    assert notice.failed_at is not None
    assert "connection lost" in notice.last_error
    assert notice.attempts == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert participant_notice_send(notice.pk) is True
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.last_error == ""
