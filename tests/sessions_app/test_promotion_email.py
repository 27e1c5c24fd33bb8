"""The waiting-list promotion e-mail: a title stored with a line break still goes out (one clean subject line);
a promotion whose e-mail no retry can send is marked failed, with the reason, in the organizers' admin."""

import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from sessions_app import services
from sessions_app.models import Session, SessionSignup
from tests.factories import ParticipantFactory, StaffFactory

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that refuses the recipient for good (550), outside our code."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"5.1.1 mailbox unavailable")})


@pytest.fixture
def full_workshop(make_session, conference):
    session = make_session(title="Workshop", signup_required=True, capacity=1)
    people = ParticipantFactory.create_batch(2, conference=conference, preferred_language="en")
    signups = [services.signup_create(session, participant=person) for person in people]
    return session, people, signups


def test_promotion_email_title_with_line_break_sent_on_one_clean_line(
    full_workshop, mailoutbox, django_capture_on_commit_callbacks
):
    session, people, signups = full_workshop
    # A title stored before the input validators refused it (the row is written directly, as old data is).
    Session.objects.filter(pk=session.pk).update(title="Budget\r\nBcc: everyone@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.signup_cancel(signups[0], actor=None)
    promoted = SessionSignup.objects.get(participant=people[1])
    assert promoted.promotion_notified_at is not None and promoted.promotion_failed_at is None
    assert [m.to for m in mailoutbox] == [[people[1].email]]
    raw = mailoutbox[0].message()
    assert "Budget Bcc: everyone@example.org" in str(raw["Subject"])
    assert raw["Bcc"] is None and mailoutbox[0].recipients() == [people[1].email]


def test_promotion_email_refused_for_good_marked_failed_and_listed_for_organizers(
    full_workshop, settings, client, mailoutbox, django_capture_on_commit_callbacks
):
    session, people, signups = full_workshop
    settings.EMAIL_BACKEND = "tests.sessions_app.test_promotion_email.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.signup_cancel(signups[0], actor=None)
    promoted = SessionSignup.objects.get(participant=people[1])
    # One attempt, no retry (a 550 will not change), and the reason kept for the organizers.
    assert (promoted.promotion_notified_at, promoted.promotion_attempts) == (None, 1)
    assert promoted.promotion_failed_at is not None
    refused = {people[1].email: (550, b"5.1.1 mailbox unavailable")}
    assert promoted.promotion_error == f"SMTPRecipientsRefused: {refused}"
    assert services.signup_promotion_notify(promoted.pk) is False  # a late duplicate does not retry it

    client.force_login(StaffFactory())
    url = reverse("admin:sessions_app_sessionsignup_changelist")
    response = client.get(url, {"promotion_email": "failed"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [promoted]
    assert "mailbox unavailable" in response.content.decode()
    assert list(client.get(url, {"promotion_email": "sent"}).context["cl"].result_list) == []
