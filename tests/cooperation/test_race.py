"""Two delegations accept, at the same moment, two meetings with Egypt in the same slot: only one may win.

Each thread makes the call the answer page makes (``services.bilateral_accept``) inside a transaction that stays
open until both threads have done it (a barrier), so neither sees the other's bookings: the service's own check
passes in both. PostgreSQL's exclusion constraint then makes the second insert wait for the first commit and
refuse. The control run drops the constraint for its duration and shows that both acceptances then commit: Egypt
booked twice at 14:00, the race this test would miss if it could not see it.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from conference.services import AccordError
from cooperation import services
from cooperation.enums import BilateralStatus, BookingKind
from cooperation.migration_operations import booking_no_overlap
from cooperation.models import BilateralMeeting, Booking

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")


def _two_requests_to_egypt(world):
    meetings = []
    for side in (world.b, world.c):
        meetings.append(services.bilateral_request(
            conference=world.conference, requesting=side.delegation, invited=world.a.delegation, actor=side.focal,
            topic=f"Meeting {side.delegation.code}", attendee_ids=[side.members[0].pk], languages=["en"],
            slot_ids=[world.slots[0].pk]))
    return meetings


def _accept_at_once(world, meetings):
    barrier = threading.Barrier(2)
    outcomes = {}

    def work(meeting_id):
        try:
            with transaction.atomic():
                meeting = BilateralMeeting.objects.get(pk=meeting_id)
                services.bilateral_accept(meeting, actor=world.a.focal, slot_id=world.slots[0].pk)
                try:
                    # Hold the transaction open until the other thread has accepted too (or is stuck behind us).
                    barrier.wait(timeout=3)
                except threading.BrokenBarrierError:
                    pass
            outcomes[meeting_id] = "accepted"
        except AccordError as error:
            outcomes[meeting_id] = str(error)
            barrier.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(m.pk,)) for m in meetings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_simultaneous_acceptances_book_egypt_once(world):
    meetings = _two_requests_to_egypt(world)
    outcomes = _accept_at_once(world, meetings)
    assert sorted(outcomes.values()) == [
        "A delegation, member or room of this meeting was booked at that time a moment ago.", "accepted"]
    assert BilateralMeeting.objects.filter(status=BilateralStatus.ACCEPTED).count() == 1
    assert Booking.objects.filter(kind=BookingKind.DELEGATION, resource_id=world.a.delegation.pk).count() == 1
    loser = BilateralMeeting.objects.exclude(status=BilateralStatus.ACCEPTED).get()
    assert loser.status == BilateralStatus.REQUESTED and not loser.bookings.exists()


def test_control_without_the_constraint_both_acceptances_commit(world):
    constraint = booking_no_overlap()
    with connection.schema_editor() as editor:
        editor.remove_constraint(Booking, constraint)
    try:
        meetings = _two_requests_to_egypt(world)
        outcomes = _accept_at_once(world, meetings)
        assert list(outcomes.values()) == ["accepted", "accepted"]
        assert Booking.objects.filter(kind=BookingKind.DELEGATION, resource_id=world.a.delegation.pk).count() == 2
    finally:
        Booking.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(Booking, constraint)
