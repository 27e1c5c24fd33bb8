"""Bench logistics: time and query count of the arrival manifest and the transfer-run proposal (and, added by the
stay, the rooming list) for 1,000 and 5,000 participants.

    python bench/logistics.py [--quick]   (DATABASE_URL / CELERY_BROKER_URL as for the other bench scripts)

Each size builds a conference of its own (bulk inserts: approved participants in 20 delegations, each with a
travel plan asking for a transfer and an itinerary of two inbound legs via Cairo or one direct to Sharm El Sheikh,
landings spread over three days, and one flight home; 12 vehicles), measures each figure (best of 3), and deletes
the conference. ``--quick`` uses 100 and 300 participants (the smoke test).

Targets: each figure at most 1 s for 1,000 participants; its query count the same for every size.

Other parts add their figures with ``FIGURES.append((name, seed, measure))``: ``seed(conference, participants)``
once per size after the travel data, ``measure(conference, actor)`` timed.
"""

from __future__ import annotations

import datetime
import os
import random
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

from bench.common import setup_django  # noqa: E402

TARGET_SECONDS = 1.0
TARGET_AT = 1000
FIGURES: list[tuple[str, object, object]] = []


def build(size: int):
    """A conference with ``size`` approved participants with travel data (bulk inserts, no audit)."""
    from conference.models import Conference, Delegation
    from logistics.airports import airport, local_to_utc
    from logistics.models import Itinerary, ItineraryLeg, TravelPlan, Vehicle
    from registration.models import Participant

    slug = f"logbench-{secrets.token_hex(3)}"
    conference = Conference.objects.create(slug=slug, name="Logistics bench", short_name="bench",
                                           start_date=datetime.date(2023, 7, 10), end_date=datetime.date(2023, 7, 13))
    delegations = Delegation.objects.bulk_create([
        Delegation(conference=conference, code=f"L{index:02d}", kind="member_state", country=country)
        for index, country in enumerate(["EG", "FR", "NG", "MA", "TN", "DZ", "LY", "SN", "ML", "NE", "IT", "ES",
                                         "DE", "GR", "MT", "JO", "LB", "IQ", "SD", "ET"])])
    people = Participant.objects.bulk_create([
        Participant(conference=conference, delegation=delegations[n % len(delegations)], public_id=secrets.token_hex(8),
                    email=f"{slug}-{n}@example.org", first_name="Member", last_name=f"{n:05d}", status="approved",
                    phone="+20 100 000 0000")
        for n in range(size)])
    chance = random.Random(15)
    hotels = ["Hotel Nile", "Sea Resort", "Desert Inn"]
    TravelPlan.objects.bulk_create([TravelPlan(participant=p, transfer_needed=True, hotel_name=chance.choice(hotels))
                                    for p in people])
    itineraries = Itinerary.objects.bulk_create([Itinerary(participant=p, funding="funded") for p in people])
    cairo, paris, sharm = airport("CAI").zone, airport("CDG").zone, airport("SSH").zone
    legs = []
    for itinerary in itineraries:
        day = datetime.date(2023, 7, 8 + chance.randrange(3))
        minute = chance.randrange(6 * 60, 22 * 60, 5)
        lands = datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60))
        number = chance.randrange(40)
        if chance.random() < .5:  # via Cairo
            legs.append(ItineraryLeg(itinerary=itinerary, direction="inbound", carrier="EgyptAir",
                                     flight_number=f"MS{800 + number}", from_airport="CDG", to_airport="CAI",
                                     departs_at=local_to_utc(lands - datetime.timedelta(hours=6), paris),
                                     arrives_at=local_to_utc(lands - datetime.timedelta(hours=2, minutes=30), cairo)))
            legs.append(ItineraryLeg(itinerary=itinerary, direction="inbound", carrier="EgyptAir",
                                     flight_number=f"MS{number}", from_airport="CAI", to_airport="SSH",
                                     departs_at=local_to_utc(lands - datetime.timedelta(hours=1), cairo),
                                     arrives_at=local_to_utc(lands, sharm)))
        else:
            legs.append(ItineraryLeg(itinerary=itinerary, direction="inbound", carrier="Tunisair",
                                     flight_number=f"TU{9700 + number}", from_airport="TUN", to_airport="SSH",
                                     departs_at=local_to_utc(lands, sharm) - datetime.timedelta(hours=4),
                                     arrives_at=local_to_utc(lands, sharm)))
        home = datetime.datetime(2023, 7, 14, 6 + chance.randrange(12))
        legs.append(ItineraryLeg(itinerary=itinerary, direction="outbound", carrier="EgyptAir", flight_number="MS6",
                                 from_airport="SSH", to_airport="CAI", departs_at=local_to_utc(home, sharm),
                                 arrives_at=local_to_utc(home + datetime.timedelta(hours=1), cairo)))
    ItineraryLeg.objects.bulk_create(legs, batch_size=2000)
    Vehicle.objects.bulk_create([Vehicle(conference=conference, name=f"Bus {n}", capacity=(4, 14, 45)[n % 3])
                                 for n in range(12)])
    return conference, people


def measure(function, *args, **kwargs):
    """(best seconds of 3, queries of the last run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    best = None
    for _attempt in range(3):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            function(*args, **kwargs)
            elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best, len(queries)


def travel_figures():
    from logistics.selectors_travel import manifest
    from logistics.services_travel import transfer_runs_propose

    return [
        ("arrival manifest", None, lambda conference, actor: manifest(conference)),
        ("transfer run proposal", None, lambda conference, actor: transfer_runs_propose(conference, actor=actor)),
    ]


def main(quick: bool = False) -> None:
    setup_django()
    from django.contrib.auth import get_user_model

    from registration.models import Participant

    sizes = (100, 300) if quick else (1000, 5000)
    actor, _created = get_user_model().objects.get_or_create(username="logistics-bench", defaults={"is_staff": True})
    results: dict[str, dict[int, tuple[float, int]]] = {}
    from bench.logistics_stay import stay_figures

    figures = travel_figures() + stay_figures() + FIGURES
    for size in sizes:
        started = time.perf_counter()
        conference, people = build(size)
        try:
            for _name, seed, _measure in figures:
                if seed:
                    seed(conference, people)
            print(f"{size} participants built in {time.perf_counter() - started:.1f} s")
            for name, _seed, function in figures:
                results.setdefault(name, {})[size] = measure(function, conference, actor)
        finally:
            Participant.objects.filter(conference=conference).delete()
            conference.delete()
    for name, by_size in results.items():
        for size, (seconds, queries) in by_size.items():
            target = f" (target ≤ {TARGET_SECONDS:.0f} s at {TARGET_AT:,}: " \
                     f"{'met' if seconds <= TARGET_SECONDS else 'MISSED'})" if size == TARGET_AT else ""
            print(f"{name} at {size:,} participants: {seconds:.3f} s, {queries} queries{target}")
        same = len({queries for _seconds, queries in by_size.values()}) == 1
        print(f"{name} query count: {', '.join(str(q) for _s, q in by_size.values())} "
              f"(target: independent of the participants: {'met' if same else 'MISSED'})")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
