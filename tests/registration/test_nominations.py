"""Nomination quota under concurrency (PostgreSQL, real threads), with a control run that shows the race.

The threads make the call the nomination view makes (``nomination_create(delegation, actor=..., **form data)``).
The window between the quota check and the insert is widened through the service's documented test hook
``quota_race_window`` (a no-op in production, replaced here with ``monkeypatch``); the control run makes the same
call with Django's row locks turned into plain reads.
"""

import threading
import time

import pytest
from django.db import connection, connections
from django.db.models import QuerySet

from conference.services import AccordError
from registration.models import Participant
from registration.services import nominations
from registration.services.nominations import nomination_create
from tests.factories import ConferenceFactory, DelegationFactory, UserFactory

THREADS = 20
QUOTA = 5


def _fire(delegation, actor, *, prefix: str) -> tuple[int, list[str]]:
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
                last_name=str(index), category="delegate", language="en",
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


@pytest.fixture(autouse=True)
def wide_window(monkeypatch):
    monkeypatch.setattr(nominations, "quota_race_window", lambda: time.sleep(0.01))


@pytest.fixture
def delegation(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL (set DATABASE_URL).")
    conference = ConferenceFactory()
    return DelegationFactory(conference=conference, seat_quota=QUOTA)


def test_nomination_quota_holds_under_concurrent_nominations(delegation):
    actor = UserFactory()
    created, errors = _fire(delegation, actor, prefix="locked")
    print(f"locked run: {created} of {THREADS} nominations created (quota {QUOTA})")
    assert created == QUOTA
    assert Participant.objects.filter(delegation=delegation).count() == QUOTA
    assert len(errors) == THREADS - QUOTA
    assert all("quota" in message for message in errors)


def test_nomination_quota_race_visible_without_lock(delegation, monkeypatch):
    """Control: the same burst without the row lock lets more than the quota through (best of 3 runs)."""
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, *args, **kwargs: self)
    actor = UserFactory()
    worst = 0
    for attempt in range(3):
        Participant.objects.filter(delegation=delegation).delete()
        created, _errors = _fire(delegation, actor, prefix=f"unlocked{attempt}-")
        worst = max(worst, created)
        print(f"control run {attempt + 1}: {created} of {THREADS} nominations created without the lock (quota {QUOTA})")
        if worst > QUOTA:
            break
    assert worst > QUOTA, "the control run should show the race the lock prevents"
