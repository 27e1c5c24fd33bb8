"""200 participants sign up at once for a 30-seat session: the row lock keeps the count exact.

The threads make the call the sign-up view makes (``services.signup_create(session, participant=..., actor=...)``).
The window between counting the seats and inserting is widened through the service's documented test hook
``seat_race_window`` (a no-op in production, replaced here with ``monkeypatch``). The control run makes the same
call with Django's row locks turned into plain reads, to show that this test sees the race the lock prevents.
"""

import threading
import time

import pytest
from django.db import connection, connections
from django.db.models import QuerySet

from sessions_app import selectors, services
from sessions_app.models import Session, SessionSignup
from tests.factories import ParticipantFactory

pytestmark = [pytest.mark.django_db(transaction=True)]

WORKERS = 20
CAPACITY = 30
CROWD = 200


def _fire(session_id, participant_ids):
    barrier = threading.Barrier(WORKERS)
    chunks = [participant_ids[i::WORKERS] for i in range(WORKERS)]
    errors = []

    def work(chunk):
        try:
            from registration.models import Participant

            session = Session.objects.get(pk=session_id)
            people = list(Participant.objects.select_related("user").filter(pk__in=chunk))
            barrier.wait(timeout=30)
            for person in people:
                _current.participant_id = person.pk
                services.signup_create(session, participant=person, actor=person.user)
        except Exception as error:  # noqa: BLE001 - reported to the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []


_current = threading.local()


@pytest.fixture
def passed_the_count(monkeypatch):
    """Widen the race window; record, in order, who passed between the count and the insert."""
    order: list[int] = []
    guard = threading.Lock()

    def window():
        with guard:
            order.append(_current.participant_id)
        time.sleep(0.002)

    monkeypatch.setattr(services, "seat_race_window", window)
    return order


@pytest.fixture
def crowd(make_session, conference):
    session = make_session(title="Popular workshop", signup_required=True, capacity=CAPACITY)
    people = ParticipantFactory.create_batch(CROWD, conference=conference)
    return session, [person.pk for person in people]


def _counts(session):
    rows = SessionSignup.objects.filter(session=session)
    return rows.filter(status="confirmed").count(), rows.filter(status="waitlisted").count()


def test_signup_create_concurrent_confirms_exactly_capacity(crowd, passed_the_count):
    assert connection.vendor == "postgresql"
    session, ids = crowd
    _fire(session.pk, ids)
    assert _counts(session) == (CAPACITY, CROWD - CAPACITY)
    assert sorted(passed_the_count) == sorted(ids)
    # The first CAPACITY to pass the count got the seats; the waiting list is the order of arrival after them,
    # in the order the promotion reads it (created_at, id).
    confirmed = set(SessionSignup.objects.filter(session=session, status="confirmed")
                    .values_list("participant_id", flat=True))
    assert confirmed == set(passed_the_count[:CAPACITY])
    waiting = list(SessionSignup.objects.filter(session=session, status="waitlisted")
                   .order_by("created_at", "id").values_list("participant_id", flat=True))
    assert waiting == passed_the_count[CAPACITY:]
    # What participants and the promotion read of that order: each one's place in line, and who gets a freed seat.
    from registration.models import Participant

    places = {}
    for person in Participant.objects.filter(pk__in=waiting):
        (signup,) = selectors.signups_with_position(person)
        places[person.pk] = signup.position
    assert [places[pk] for pk in waiting] == list(range(1, CROWD - CAPACITY + 1))
    freed = SessionSignup.objects.filter(session=session, status="confirmed").first()
    promoted = services.signup_cancel(freed, actor=None)
    assert [signup.participant_id for signup in promoted] == [passed_the_count[CAPACITY]]


def test_signup_create_without_lock_overbooks_control(crowd, passed_the_count, monkeypatch):
    """Control: the same call with SELECT ... FOR UPDATE read as a plain SELECT overbooks."""
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, *args, **kwargs: self)
    session, ids = crowd
    _fire(session.pk, ids)
    confirmed, waitlisted = _counts(session)
    assert confirmed + waitlisted == CROWD
    print(f"control run without the lock: {confirmed} confirmed for {CAPACITY} seats")
    assert confirmed > CAPACITY
