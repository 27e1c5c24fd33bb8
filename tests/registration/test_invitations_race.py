"""Two organizers inviting the same address at the same moment create one active invitation (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from conference.services import AccordError
from registration.enums import InvitationStatus
from registration.models import Invitation
from registration.services.invitations import invitation_create
from tests.factories import DelegationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_invitation_create_concurrent_same_email_creates_one():
    delegation = DelegationFactory()
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def invite():
        try:
            barrier.wait()
            invitation_create(delegation.conference, email="Same@Example.org", delegation=delegation)
            outcomes.append("created")
        except AccordError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=invite) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["created"] + ["refused"] * 7
    assert Invitation.objects.filter(email="same@example.org").count() == 1


def test_invitation_create_after_expiry_replaces_stale_active_one():
    from datetime import timedelta

    from django.utils import timezone

    delegation = DelegationFactory()
    first = invitation_create(delegation.conference, email="late@example.org", delegation=delegation)
    Invitation.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(days=1))
    second = invitation_create(delegation.conference, email="late@example.org", delegation=delegation)
    first.refresh_from_db()
    assert first.status == InvitationStatus.EXPIRED
    assert second.pk != first.pk


def _lock_waiters() -> int:
    """Backends of this database waiting for a lock on an invitation insert (the race's loser, blocked)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            " AND query ILIKE 'INSERT INTO \"registration_invitation\"%%'"
        )
        return cursor.fetchone()[0]


def test_admin_add_invitation_race_loser_gets_form_back_with_reason(mailoutbox):
    """Organizer B submits the add form while organizer A's invitation for the same address is being committed.

    B's form passes its check (A's row is not committed yet), B's insert waits on the one-active-invitation index,
    A commits, B's insert fails: B gets the add form again with the reason, not a bare 403, and one invitation
    exists. The test sees the race: it waits until B's insert is blocked behind A's before letting A commit.
    """
    import time

    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from tests.factories import StaffFactory

    delegation = DelegationFactory()
    organizer_a, organizer_b = StaffFactory(), StaffFactory()
    a_inserted, a_may_commit = threading.Event(), threading.Event()
    answers: dict = {}

    def organizer_a_invites():
        try:
            with transaction.atomic():
                invitation_create(delegation.conference, email="same@example.org", delegation=delegation,
                                  inviter=organizer_a)
                a_inserted.set()
                a_may_commit.wait(timeout=20)
        finally:
            connection.close()

    def organizer_b_submits_the_form():
        try:
            client = Client()
            client.force_login(organizer_b)
            answers["b"] = client.post(reverse("admin:registration_invitation_add"), {
                "conference": delegation.conference_id, "delegation": delegation.pk, "email": "Same@Example.org",
                "first_name": "Sam", "last_name": "Same", "category": "delegate", "language": "en",
            })
        finally:
            connection.close()

    thread_a = threading.Thread(target=organizer_a_invites)
    thread_a.start()
    assert a_inserted.wait(timeout=20)
    thread_b = threading.Thread(target=organizer_b_submits_the_form)
    thread_b.start()
    deadline = time.monotonic() + 20
    while _lock_waiters() == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    blocked = _lock_waiters()
    a_may_commit.set()
    thread_a.join(timeout=30)
    thread_b.join(timeout=30)

    assert blocked == 1  # control: B really reached the insert while A's invitation was uncommitted
    response = answers["b"]
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "email": ["same@example.org has already been invited; resend the existing invitation instead."]
    }
    assert 'name="email"' in response.content.decode()
    invitation = Invitation.objects.get(email="same@example.org")
    assert invitation.inviter_id == organizer_a.pk
