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
