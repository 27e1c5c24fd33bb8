"""Bench the stay: a hotel's rooming list (lines and their states since the last one sent) for 1,000 and 5,000
participants, its time and query count. ``bench/logistics.py`` (the travel logistics' bench) can call
``bench_rooming_list(n)``; this script prints it on its own:

    python bench/logistics_stay.py [--quick]   (DATABASE_URL / CELERY_BROKER_URL as for the other bench scripts)

Builds a conference of its own: one hotel with blocks large enough, ``n`` approved participants with travel
dates, each booked (bulk, as the bookings' rows would be), a list "sent" with a tenth of the lines changed since
(amended, cancelled, new), then times ``selectors_stay.rooming_list`` and counts its queries. Deleted at the end.

Targets: at most 1 s for 1,000 participants; the query count the same whatever the number.
"""

from __future__ import annotations

import datetime
import os
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

from bench.common import setup_django  # noqa: E402

TARGET_SECONDS = 1.0


def bench_rooming_list(n: int, *, files: bool = False) -> tuple[float, int]:
    """(seconds, queries) of one rooming list of ``n`` participants' rooms; with ``files`` the time of its CSV,
    XLSX and PDF is printed too (the work of a send, done by the task)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conference.models import Conference
    from logistics.models import Hotel, RoomBlock, RoomBooking, RoomingListSend
    from logistics.selectors_stay import current_lines, rooming_list
    from registration.models import Participant

    slug = f"staybench-{secrets.token_hex(3)}"
    conference = Conference.objects.create(slug=slug, name="Stay bench", short_name="bench",
                                           start_date=datetime.date(2023, 7, 10), end_date=datetime.date(2023, 7, 13))
    try:
        hotel = Hotel.objects.create(conference=conference, name="Bench hotel", contact_email="bench@example.org")
        nights = [datetime.date(2023, 7, day) for day in range(9, 14)]
        RoomBlock.objects.bulk_create([RoomBlock(hotel=hotel, room_type="single", night=night, quota=n)
                                       for night in nights])
        people = Participant.objects.bulk_create([
            Participant(conference=conference, public_id=secrets.token_hex(8), email=f"{slug}-{i}@example.org",
                        first_name="Guest", last_name=f"{i:05d}", status="approved") for i in range(n)])
        RoomBooking.objects.bulk_create([
            RoomBooking(hotel=hotel, room_type="single", guest=person, check_in=nights[i % 2],
                        check_out=datetime.date(2023, 7, 13)) for i, person in enumerate(people)])
        sent = current_lines(hotel)
        RoomingListSend.objects.create(hotel=hotel, recipient="bench@example.org", lines=sent)
        bookings = list(RoomBooking.objects.filter(hotel=hotel).order_by("pk"))
        tenth = max(n // 30, 1)
        for booking in bookings[:tenth]:
            booking.check_out = datetime.date(2023, 7, 12)
        RoomBooking.objects.bulk_update(bookings[:tenth], ["check_out"])
        RoomBooking.objects.filter(pk__in=[b.pk for b in bookings[tenth:2 * tenth]]).delete()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            lines = rooming_list(hotel)
        elapsed = time.perf_counter() - started
        assert len(lines) == n
        if files:
            from django.utils import timezone

            from logistics.rendering_stay import (
                render_rooming_list_csv,
                render_rooming_list_pdf,
                render_rooming_list_xlsx,
            )

            for label, render in (("CSV", lambda: render_rooming_list_csv(hotel, lines)),
                                  ("XLSX", lambda: render_rooming_list_xlsx(hotel, lines, when=timezone.now())),
                                  ("PDF", lambda: render_rooming_list_pdf(hotel, lines, when=timezone.now()))):
                started = time.perf_counter()
                size = len(render())
                print(f"  rooming list {label} of {n} lines: {(time.perf_counter() - started) * 1000:.0f} ms, "
                      f"{size // 1024} KiB")
        return elapsed, len(queries)
    finally:
        RoomingListSend.objects.filter(hotel__conference=conference).delete()
        RoomBooking.objects.filter(hotel__conference=conference).delete()
        Participant.objects.filter(conference=conference).delete()
        conference.delete()


def main(quick: bool = False) -> None:
    setup_django()
    sizes = (100, 500) if quick else (1000, 5000)
    figures = {size: bench_rooming_list(size, files=size == sizes[0]) for size in sizes}
    for size, (seconds, queries) in figures.items():
        verdict = "ok" if seconds <= TARGET_SECONDS or size > 1000 else "OVER TARGET"
        print(f"rooming list, {size} participants: {seconds * 1000:.0f} ms, {queries} queries ({verdict})")
    counts = {queries for _seconds, queries in figures.values()}
    print("rooming list query count independent of the number of participants: "
          + ("yes" if len(counts) == 1 else f"NO ({sorted(counts)})"))


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)


def stay_figures():
    """The rooming list as a figure of ``bench/logistics.py``: ``seed`` books every participant of the bench
    conference into one hotel (bulk) and records a list sent, then changes a tenth of the lines; ``measure``
    builds the list with its states."""
    from logistics.selectors_stay import rooming_list

    hotels = {}

    def seed(conference, people):
        from logistics.models import Hotel, RoomBlock, RoomBooking, RoomingListSend
        from logistics.selectors_stay import current_lines

        hotel = Hotel.objects.create(conference=conference, name="Bench hotel", contact_email="bench@example.org")
        nights = [conference.start_date + datetime.timedelta(days=offset) for offset in range(-1, 4)]
        RoomBlock.objects.bulk_create([RoomBlock(hotel=hotel, room_type="single", night=night, quota=len(people))
                                       for night in nights])
        RoomBooking.objects.bulk_create([
            RoomBooking(hotel=hotel, room_type="single", guest_id=getattr(person, "pk", person),
                        check_in=nights[index % 2], check_out=conference.end_date)
            for index, person in enumerate(people)])
        RoomingListSend.objects.create(hotel=hotel, recipient="bench@example.org", lines=current_lines(hotel))
        bookings = list(RoomBooking.objects.filter(hotel=hotel).order_by("pk"))
        tenth = max(len(bookings) // 30, 1)
        for booking in bookings[:tenth]:
            booking.check_out = conference.end_date - datetime.timedelta(days=1)
        RoomBooking.objects.bulk_update(bookings[:tenth], ["check_out"])
        RoomBooking.objects.filter(pk__in=[b.pk for b in bookings[tenth:2 * tenth]]).delete()
        hotels[conference.pk] = hotel

    def measure(conference, actor):
        return rooming_list(hotels[conference.pk])

    return [("rooming list", seed, measure)]
