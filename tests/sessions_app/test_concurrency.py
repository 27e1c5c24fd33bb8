"""200 participants sign up at once for a 30-seat session: the row lock keeps the count exact."""

import threading
import time

import pytest
from django.db import connection, connections

from sessions_app import services
from sessions_app.models import Session, SessionSignup
from tests.factories import ParticipantFactory

pytestmark = [pytest.mark.django_db(transaction=True)]

WORKERS = 20


def _fire(session_id, participant_ids, *, lock, after_count=None):
    barrier = threading.Barrier(WORKERS)
    chunks = [participant_ids[i::WORKERS] for i in range(WORKERS)]
    errors = []

    def work(chunk):
        try:
            from registration.models import Participant

            session = Session.objects.get(pk=session_id)
            people = list(Participant.objects.filter(pk__in=chunk))
            barrier.wait(timeout=30)
            for person in people:
                services.signup_create(session, participant=person, lock=lock, _after_count=after_count)
        except Exception as error:  # noqa: BLE001 - reported to the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


@pytest.fixture
def crowd(make_session, conference):
    session = make_session(title="Popular workshop", signup_required=True, capacity=30)
    people = ParticipantFactory.create_batch(200, conference=conference)
    return session, [person.pk for person in people]


def _counts(session):
    rows = SessionSignup.objects.filter(session=session)
    return rows.filter(status="confirmed").count(), rows.filter(status="waitlisted").count()


def test_signup_create_concurrent_confirms_exactly_capacity(crowd):
    assert connection.vendor == "postgresql"
    session, ids = crowd
    _fire(session.pk, ids, lock=True)
    assert _counts(session) == (30, 170)
    # the waiting list order is the arrival order
    waiting = list(SessionSignup.objects.filter(session=session, status="waitlisted")
                   .order_by("created_at", "id").values_list("id", flat=True))
    assert len(waiting) == 170


def test_signup_create_without_lock_overbooks_control(crowd):
    session, ids = crowd
    # Widen the window between counting the seats and inserting, in the unlocked path only.
    _fire(session.pk, ids, lock=False, after_count=lambda: time.sleep(0.002))
    confirmed, waitlisted = _counts(session)
    assert confirmed + waitlisted == 200
    print(f"control run without the lock: {confirmed} confirmed for 30 seats")
    assert confirmed > 30
