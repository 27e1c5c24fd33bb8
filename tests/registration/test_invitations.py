import datetime
import re
import smtplib

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from conference.celery import app as celery_app
from conference.models import AuditLog
from conference.services import AccordError
from registration.enums import InvitationStatus, ParticipantStatus, RequestKind
from registration.models import Invitation, Participant
from registration.services.invitations import (
    InvitationRefused,
    hash_token,
    invitation_accept,
    invitation_create,
    invitation_lookup,
    invitation_resend,
    invitation_revoke,
    invitation_send,
    invitations_for_delegations,
)
from registration.tasks.invitations import send_invitation_task
from tests.factories import (
    ConferenceFactory,
    DelegationFactory,
    ParticipantFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://accord.example.org"
PASSWORD = "Sharm-el-Sheikh-2023!"


class FailingBackend(BaseEmailBackend):
    """An SMTP server that drops the connection (outside our code)."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    settings.ALLOWED_HOSTS = ["*"]


@pytest.fixture
def conference():
    return ConferenceFactory(slug="sharm2023", name="Inter-regional Conference", name_fr="Conférence interrégionale",
                             name_ar="المؤتمر الأقاليمي")


@pytest.fixture
def delegation(conference):
    return DelegationFactory(conference=conference, code="TUN", country="TN")


def token_from(message) -> str:
    match = re.search(re.escape(SITE) + r"/invite/([A-Za-z0-9_\-]+)/", message.body)
    assert match, message.body
    return match.group(1)


def invite(conference, delegation, capture, email="invitee@example.org", **kwargs):
    kwargs.setdefault("language", "fr")
    with capture(execute=True):
        return invitation_create(
            conference, email=email, delegation=delegation, category="delegate",
            first_name=kwargs.pop("first_name", "Leïla"), last_name="Ben <Ali>", inviter=StaffFactory(), **kwargs
        )


def test_invitation_create_sends_in_language_with_site_link_and_stores_only_hash(
    conference, delegation, django_capture_on_commit_callbacks, mailoutbox
):
    invitation = invite(conference, delegation, django_capture_on_commit_callbacks, email=" Invitee@Example.org ")
    invitation.refresh_from_db()
    assert invitation.email == "invitee@example.org"
    assert invitation.status == InvitationStatus.SENT
    assert invitation.send_count == 1 and invitation.sent_at is not None
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["invitee@example.org"]
    assert message.subject == "Invitation\u202f: Conférence interrégionale"
    assert message.extra_headers["Content-Language"] == "fr"
    token = token_from(message)
    assert invitation.token_hash == hash_token(token)
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    html = message.alternatives[0][0]
    assert f'href="{SITE}/invite/{token}/"' in html
    assert "Ben &lt;Ali&gt;" in html and "Ben <Ali>" not in html
    expected = (timezone.now() + datetime.timedelta(days=30)).date()
    assert invitation.expires_at.date() == expected
    assert AuditLog.objects.filter(action="invitation.create", object_id=str(invitation.pk)).count() == 1


def test_invitation_create_arabic_is_rtl(conference, delegation, django_capture_on_commit_callbacks, mailoutbox):
    invite(conference, delegation, django_capture_on_commit_callbacks, language="ar")
    assert "المؤتمر الأقاليمي" in mailoutbox[0].subject
    assert 'dir="rtl"' in mailoutbox[0].alternatives[0][0]


def test_invitation_create_not_queued_before_commit(conference, delegation, django_capture_on_commit_callbacks,
                                                    mailoutbox):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation_create(conference, email="late@example.org", delegation=delegation)
    assert mailoutbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 1


def test_invitation_create_refuses_duplicates_and_bad_input(conference, delegation,
                                                            django_capture_on_commit_callbacks):
    invite(conference, delegation, django_capture_on_commit_callbacks)
    with pytest.raises(AccordError, match="already been invited"):
        invitation_create(conference, email="INVITEE@example.org", delegation=delegation)
    ParticipantFactory(conference=conference, email="registered@example.org", user=UserFactory())
    with pytest.raises(AccordError, match="already registered"):
        invitation_create(conference, email="registered@example.org")
    with pytest.raises(AccordError, match="not a valid"):
        invitation_create(conference, email="nope")
    with pytest.raises(AccordError, match="another conference"):
        invitation_create(conference, email="x@example.org", delegation=DelegationFactory())
    with pytest.raises(AccordError, match="Unknown language"):
        invitation_create(conference, email="x@example.org", language="de")
    assert Invitation.objects.count() == 1


def test_send_invitation_task_duplicated_generation_sends_once(conference, delegation,
                                                               django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=False):
        invitation = invitation_create(conference, email="twice@example.org", delegation=delegation)
    invitation.refresh_from_db()
    assert invitation.send_generation == 1
    assert send_invitation_task.apply(kwargs={"invitation_id": invitation.pk, "generation": 1}).get() is True
    assert send_invitation_task.apply(kwargs={"invitation_id": invitation.pk, "generation": 1}).get() is False
    assert len(mailoutbox) == 1
    invitation.refresh_from_db()
    assert invitation.send_count == 1 and invitation.sent_generation == 1


def test_invitation_send_smtp_failure_keeps_unsent_and_records_error(conference, delegation, settings,
                                                                     django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=False):
        invitation = invitation_create(conference, email="fail@example.org", delegation=delegation)
    old_hash = Invitation.objects.get(pk=invitation.pk).token_hash
    settings.EMAIL_BACKEND = "tests.registration.test_invitations.FailingBackend"
    with pytest.raises(smtplib.SMTPException):
        invitation_send(invitation.pk, generation=1, final_attempt=False)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    assert "connection unexpectedly closed" in invitation.last_error
    # The send's claim (its link) is kept: the server may have delivered a copy before failing.
    claimed_hash = invitation.token_hash
    assert invitation.sent_at is None and invitation.sent_generation == 0 and claimed_hash != old_hash
    with pytest.raises(smtplib.SMTPException):
        invitation_send(invitation.pk, generation=1, final_attempt=True)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.FAILED and invitation.attempts == 2
    assert invitation.token_hash == claimed_hash
    # The server is back: a retry sends the same link and clears the error.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert invitation_send(invitation.pk, generation=1) is True
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT and invitation.last_error == ""
    assert len(mailoutbox) == 1
    assert hash_token(token_from(mailoutbox[0])) == claimed_hash == invitation.token_hash
    assert list(invitation.send_attempts.values_list("outcome", flat=True)) == ["retrying", "failed", "sent"]


def test_send_invitation_task_retries_with_backoff_then_fails(conference, delegation, settings,
                                                              django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=False):
        invitation = invitation_create(conference, email="retry@example.org", delegation=delegation)
    settings.EMAIL_BACKEND = "tests.registration.test_invitations.FailingBackend"
    assert send_invitation_task.autoretry_for == (smtplib.SMTPException, ConnectionError, OSError)
    assert send_invitation_task.retry_backoff and send_invitation_task.max_retries == 6
    # Eager retries re-apply in-process (countdown skipped); they must not propagate Retry to the test.
    celery_app.conf.task_eager_propagates = False  # the autouse fixture sets it back for the next test
    result = send_invitation_task.apply(kwargs={"invitation_id": invitation.pk, "generation": 1})
    assert result.failed()
    assert isinstance(result.result, smtplib.SMTPException)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.FAILED
    assert invitation.attempts == 7  # the first try and six retries
    assert mailoutbox == []


def test_invitation_resend_new_link_old_one_dead(conference, delegation, django_capture_on_commit_callbacks,
                                                 mailoutbox):
    invitation = invite(conference, delegation, django_capture_on_commit_callbacks)
    old_token = token_from(mailoutbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(invitation, actor=StaffFactory())
    assert len(mailoutbox) == 2
    new_token = token_from(mailoutbox[1])
    assert new_token != old_token
    with pytest.raises(InvitationRefused) as refused:
        invitation_lookup(old_token)
    assert refused.value.reason == "unknown"
    assert invitation_lookup(new_token).pk == invitation.pk
    invitation.refresh_from_db()
    assert invitation.send_count == 2 and invitation.sent_generation == 2


def test_invitation_revoke_refuses_link(conference, delegation, django_capture_on_commit_callbacks, mailoutbox,
                                        client):
    invitation = invite(conference, delegation, django_capture_on_commit_callbacks)
    token = token_from(mailoutbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        invitation_revoke(invitation, actor=StaffFactory())
    response = client.get(f"/invite/{token}/")
    assert response.status_code == 410
    with pytest.raises(AccordError):
        invitation_resend(invitation, actor=None)
    # A task queued before the revocation sends nothing.
    assert invitation_send(invitation.pk, generation=5) is False
    assert len(mailoutbox) == 1


def test_invitation_landing_get_marks_opened_and_shows_form(conference, delegation, client,
                                                            django_capture_on_commit_callbacks, mailoutbox):
    invitation = invite(conference, delegation, django_capture_on_commit_callbacks)
    token = token_from(mailoutbox[0])
    response = client.get(f"/invite/{token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Conférence interrégionale" in html  # in the invitee's language
    assert 'value="invitee@example.org" readonly' in html
    assert "Ben &lt;Ali&gt;" in html
    invitation.refresh_from_db()
    first_open = invitation.opened_at
    assert first_open is not None
    client.get(f"/invite/{token}/")
    invitation.refresh_from_db()
    assert invitation.opened_at == first_open


def test_invitation_landing_post_creates_verified_account_and_participant(
    conference, delegation, client, django_capture_on_commit_callbacks, mailoutbox
):
    invitation = invite(conference, delegation, django_capture_on_commit_callbacks)
    token = token_from(mailoutbox[0])
    response = client.post(f"/invite/{token}/", {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    user = get_user_model().objects.get(email="invitee@example.org")
    assert user.username == "invitee@example.org" and user.check_password(PASSWORD)
    address = EmailAddress.objects.get(user=user)
    assert address.verified and address.primary and address.email == "invitee@example.org"
    participant = Participant.objects.get(conference=conference, email="invitee@example.org")
    assert participant.user == user
    assert participant.status == ParticipantStatus.INVITED
    assert participant.source == RequestKind.INVITATION
    assert (participant.delegation, participant.category, participant.preferred_language) == (
        delegation, "delegate", "fr")
    assert participant.last_name == "Ben <Ali>"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.USED and invitation.used_at and invitation.participant == participant
    # Logged in.
    assert int(client.session["_auth_user_id"]) == user.pk
    # The link works once.
    client.logout()
    again = client.get(f"/invite/{token}/")
    assert again.status_code == 410
    assert get_user_model().objects.count() == 2  # the invitee and the inviter


def test_invitation_landing_mismatched_passwords_create_nothing(conference, delegation, client,
                                                               django_capture_on_commit_callbacks, mailoutbox):
    invite(conference, delegation, django_capture_on_commit_callbacks)
    token = token_from(mailoutbox[0])
    response = client.post(f"/invite/{token}/", {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert response.status_code == 200
    assert "Les deux mots de passe sont différents" in response.content.decode()  # the invitation is in French
    weak = client.post(f"/invite/{token}/", {"password1": "123", "password2": "123"})
    assert weak.status_code == 200
    assert not get_user_model().objects.filter(email="invitee@example.org").exists()
    assert not Participant.objects.exists()


def test_invitation_landing_expired_link_refused(conference, delegation, client,
                                                 django_capture_on_commit_callbacks, mailoutbox):
    invitation = invite(conference, delegation, django_capture_on_commit_callbacks)
    token = token_from(mailoutbox[0])
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.post(f"/invite/{token}/", {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not Participant.objects.exists()
    assert not get_user_model().objects.filter(email="invitee@example.org").exists()


def test_invitation_landing_unknown_or_other_conference_is_404(conference, client,
                                                               django_capture_on_commit_callbacks, mailoutbox):
    assert client.get("/invite/not-a-real-token/").status_code == 404
    other = ConferenceFactory(slug="vienna2024")
    invite(other, DelegationFactory(conference=other), django_capture_on_commit_callbacks)
    token = token_from(mailoutbox[0])
    response = client.get(f"/invite/{token}/")
    assert response.status_code == 404
    assert "another conference" in response.content.decode()
    assert Invitation.objects.get().opened_at is None


def test_invitation_landing_logged_in_invitee_accepts_with_button(conference, delegation, client,
                                                                 django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory(username="invitee@example.org")
    invite(conference, delegation, django_capture_on_commit_callbacks, as_focal_point=True)
    token = token_from(mailoutbox[0])
    client.force_login(user)
    page = client.get(f"/invite/{token}/")
    assert "Accept the invitation" in page.content.decode()
    response = client.post(f"/invite/{token}/")
    assert response.status_code == 302
    assert Participant.objects.get(email="invitee@example.org").user == user
    assert list(delegation.focal_points.all()) == [user]
    assert EmailAddress.objects.get(user=user, email="invitee@example.org").verified


def test_invitation_landing_other_logged_in_user_refused(conference, delegation, client,
                                                        django_capture_on_commit_callbacks, mailoutbox):
    invite(conference, delegation, django_capture_on_commit_callbacks)
    token = token_from(mailoutbox[0])
    client.force_login(UserFactory(username="someone.else@example.org"))
    assert client.post(f"/invite/{token}/").status_code == 403
    assert not Participant.objects.exists()


def test_invitation_landing_existing_account_asked_to_log_in(conference, delegation, client,
                                                            django_capture_on_commit_callbacks, mailoutbox):
    UserFactory(username="invitee@example.org")
    invite(conference, delegation, django_capture_on_commit_callbacks)
    token = token_from(mailoutbox[0])
    response = client.post(f"/invite/{token}/", {"password1": PASSWORD, "password2": PASSWORD})
    assert "existe déjà" in response.content.decode()  # the invitation is in French
    assert not Participant.objects.exists()


def test_invitation_accept_links_existing_participant_without_account(conference, delegation,
                                                                      django_capture_on_commit_callbacks,
                                                                      mailoutbox):
    participant = ParticipantFactory(conference=conference, delegation=delegation, email="invitee@example.org",
                                     status=ParticipantStatus.SUBMITTED, user=None)
    invitation = invite(conference, delegation, django_capture_on_commit_callbacks)
    assert invitation.participant == participant
    user = UserFactory(username="invitee@example.org")
    assert invitation_accept(invitation, user=user) == participant
    participant.refresh_from_db()
    assert participant.user == user and participant.status == ParticipantStatus.SUBMITTED
    with pytest.raises(InvitationRefused):
        invitation_accept(invitation, user=user)


def test_invitation_link_uses_site_url_even_with_foreign_host(conference, delegation, client,
                                                             django_capture_on_commit_callbacks, mailoutbox):
    invitation = invite(conference, delegation, django_capture_on_commit_callbacks)
    client.force_login(StaffFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/registration/invitation/",
            {"action": "resend_invitations", "_selected_action": [invitation.pk]},
            HTTP_HOST="evil.example.net",
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 2
    assert "evil.example.net" not in mailoutbox[1].body
    assert f"{SITE}/invite/" in mailoutbox[1].body


def test_invitations_for_delegations_invites_members_without_account(conference, django_capture_on_commit_callbacks,
                                                                     mailoutbox):
    first = DelegationFactory(conference=conference)
    second = DelegationFactory(conference=conference)
    ParticipantFactory.create_batch(2, conference=conference, delegation=first, user=None, preferred_language="ar")
    ParticipantFactory(conference=conference, delegation=second, user=None)
    ParticipantFactory(conference=conference, delegation=second, user=UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        result = invitations_for_delegations([first, second], inviter=StaffFactory())
    assert len(result.created) == 3
    assert len(result.skipped) == 1
    assert len(mailoutbox) == 3
    assert sorted(m.extra_headers["Content-Language"] for m in mailoutbox) == ["ar", "ar", "en"]


@pytest.mark.django_db(transaction=True)
def test_invitation_signup_double_submit_creates_one_account(settings):
    """Two requests with the same link at the same moment (double click, two tabs) on PostgreSQL."""
    import threading

    from django.db import connection

    from registration.services.invitations import invitation_signup

    conference = ConferenceFactory(slug="sharm2023")
    delegation = DelegationFactory(conference=conference)
    invitation = invitation_create(conference, email="double@example.org", delegation=delegation)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            barrier.wait(timeout=5)
            invitation_signup(Invitation.objects.get(pk=invitation.pk), password=PASSWORD)
            outcomes.append("created")
        except AccordError as exc:
            outcomes.append(getattr(exc, "reason", "error"))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes) == ["created", "used"]
    assert get_user_model().objects.filter(email="double@example.org").count() == 1
    assert Participant.objects.filter(email="double@example.org").count() == 1


def test_invitation_accept_second_click_after_the_page_loaded_refused_as_used(
    conference, delegation, django_capture_on_commit_callbacks, mailoutbox
):
    """The logged-in invitee's "accept" button clicked twice: both requests passed the link check before either
    accepted, so only the check under the row lock in ``invitation_accept`` stands between them."""
    user = UserFactory(username="invitee@example.org")
    invitation = invite(conference, delegation, django_capture_on_commit_callbacks)
    first_page = invitation_lookup(token_from(mailoutbox[0]), conference=conference)
    second_page = invitation_lookup(token_from(mailoutbox[0]), conference=conference)

    participant = invitation_accept(first_page, user=user)
    used_at = Invitation.objects.get(pk=invitation.pk).used_at
    with pytest.raises(InvitationRefused) as refused:
        invitation_accept(second_page, user=user)

    assert refused.value.reason == "used"
    assert Invitation.objects.get(pk=invitation.pk).used_at == used_at
    assert list(Participant.objects.filter(email="invitee@example.org")) == [participant]
    assert AuditLog.objects.filter(action="invitation.accept").count() == 1


@pytest.mark.parametrize("how", ["closing_time_passed", "locked"])
def test_invitation_landing_registration_closed_says_so_and_creates_nothing(
    how, conference, delegation, client, django_capture_on_commit_callbacks, mailoutbox
):
    """Issue 24.2: with registration closed, the invitation page says so instead of offering an account, and a POST
    creates neither an account nor a participation; the link stays usable if registration reopens."""
    invitation = invite(conference, delegation, django_capture_on_commit_callbacks)
    token = token_from(mailoutbox[0])
    if how == "locked":
        conference.registration_locked = True
    else:
        conference.registration_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    conference.save()
    from django.utils import translation
    from django.utils.html import escape

    with translation.override("fr"):  # the invitation is in French
        notice = escape(str(InvitationRefused.MESSAGES["registration_closed"]))
    page = client.get(f"/invite/{token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert notice in html
    assert 'name="password1"' not in html
    response = client.post(f"/invite/{token}/", {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 403
    assert notice in response.content.decode()
    assert not get_user_model().objects.filter(email="invitee@example.org").exists()
    assert not Participant.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status != InvitationStatus.USED and invitation.used_at is None


def test_invitation_landing_registration_closed_logged_in_invitee_cannot_accept(
    conference, delegation, client, django_capture_on_commit_callbacks, mailoutbox
):
    user = UserFactory(username="invitee@example.org")
    invite(conference, delegation, django_capture_on_commit_callbacks)
    token = token_from(mailoutbox[0])
    conference.registration_locked = True
    conference.save()
    client.force_login(user)
    page = client.get(f"/invite/{token}/")
    assert "Accept the invitation" not in page.content.decode()
    assert client.post(f"/invite/{token}/").status_code == 403
    assert not Participant.objects.exists()


def test_invitation_signup_refused_when_registration_closed(conference, delegation, django_capture_on_commit_callbacks,
                                                            mailoutbox):
    from registration.services.invitations import invitation_signup

    invitation = invite(conference, delegation, django_capture_on_commit_callbacks)
    conference.registration_locked = True
    conference.save()
    with pytest.raises(InvitationRefused) as refused:
        invitation_signup(Invitation.objects.get(pk=invitation.pk), password=PASSWORD)
    assert refused.value.reason == "registration_closed"
    assert not get_user_model().objects.filter(email="invitee@example.org").exists()
