"""Nomination quota under concurrency (PostgreSQL, real threads), with a control run that shows the race."""

import threading

import pytest
from django.db import connection, connections

from conference.services import AccordError
from registration.models import Participant
from registration.services.nominations import nomination_create
from tests.factories import ConferenceFactory, DelegationFactory, UserFactory

THREADS = 20
QUOTA = 5


def _fire(delegation, actor, *, lock: bool, prefix: str) -> tuple[int, list[str]]:
    """Start THREADS nominations at the same instant; return (created, error messages)."""
    barrier = threading.Barrier(THREADS)
    created: list[int] = []
    errors: list[str] = []
    guard = threading.Lock()

    def nominate(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            participant = nomination_create(
                delegation, actor=actor, email=f"{prefix}{index}@example.org", first_name="Nominee",
                last_name=str(index), invite=False, lock=lock,
            )
            with guard:
                created.append(participant.pk)
        except AccordError as exc:
            with guard:
                errors.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=nominate, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return len(created), errors


@pytest.fixture
def delegation(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL (set DATABASE_URL).")
    conference = ConferenceFactory()
    return DelegationFactory(conference=conference, seat_quota=QUOTA)


def test_nomination_quota_holds_under_concurrent_nominations(delegation):
    actor = UserFactory()
    created, errors = _fire(delegation, actor, lock=True, prefix="locked")
    print(f"locked run: {created} of {THREADS} nominations created (quota {QUOTA})")
    assert created == QUOTA
    assert Participant.objects.filter(delegation=delegation).count() == QUOTA
    assert len(errors) == THREADS - QUOTA
    assert all("quota" in message for message in errors)


def test_nomination_quota_race_visible_without_lock(delegation):
    """Control: the same burst without the row lock lets more than the quota through (best of 3 runs)."""
    actor = UserFactory()
    worst = 0
    for attempt in range(3):
        Participant.objects.filter(delegation=delegation).delete()
        created, _errors = _fire(delegation, actor, lock=False, prefix=f"unlocked{attempt}-")
        worst = max(worst, created)
        print(f"control run {attempt + 1}: {created} of {THREADS} nominations created without the lock (quota {QUOTA})")
        if worst > QUOTA:
            break
    assert worst > QUOTA, "the control run should show the race the lock prevents"
