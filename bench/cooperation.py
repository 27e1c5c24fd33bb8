"""Bench cooperation: the slot search of a bilateral request and the directory page's query count.

    python bench/cooperation.py [--quick]   (DATABASE_URL / CELERY_BROKER_URL as for the other bench scripts)

Builds a conference of its own (30 delegations of 6 members, 10 meeting rooms, a grid of 32 slots), books it with
200 requests (accepted where a slot is free, through the services), then times ``free_slots`` for random pairs of
delegations with their attending members, and counts the directory page's queries at 10 entries and at every member listed (180). The
bench conference is deleted at the end.

Targets: a slot search at most 200 ms; the directory's query count the same whatever the number of entries.
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

from bench.common import percentile, setup_django  # noqa: E402

SEARCH_TARGET_MS = 200


def build(delegations: int, requests: int):
    from django.contrib.auth import get_user_model

    from conference.models import Conference, Delegation
    from cooperation import services
    from cooperation.models import MeetingRoom, MeetingSlot
    from cooperation.selectors import free_slots
    from registration.models import Participant
    from sessions_app.models import Room

    slug = f"coopbench-{secrets.token_hex(3)}"
    conference = Conference.objects.create(slug=slug, name="Cooperation bench", short_name="bench",
                                           start_date=datetime.date(2023, 7, 10), end_date=datetime.date(2023, 7, 13))
    User = get_user_model()
    sides = []
    countries = ["EG", "FR", "NG", "MA", "TN", "DZ", "LY", "SN", "ML", "NE", "IT", "ES", "DE", "GR", "MT",
                 "JO", "LB", "IQ", "SD", "ET", "KE", "GH", "CI", "BF", "TD", "MR", "PT", "BE", "NL", "AT"]
    for index in range(delegations):
        delegation = Delegation.objects.create(conference=conference, code=f"B{index:02d}", kind="member_state",
                                               country=countries[index % len(countries)])
        focal = User(username=f"{slug}-focal{index}@example.org", email=f"{slug}-focal{index}@example.org")
        focal.set_unusable_password()
        focal.save()
        delegation.focal_points.add(focal)
        members = Participant.objects.bulk_create([
            Participant(conference=conference, delegation=delegation, public_id=secrets.token_hex(8),
                        email=f"{slug}-{index}-{n}@example.org", first_name="Member", last_name=f"{index}-{n}",
                        status="approved", languages_spoken=["ar", "fr"])
            for n in range(6)])
        sides.append((delegation, focal, members))
    for number in range(10):
        room = Room.objects.create(conference=conference, name=f"Bilateral {number}", capacity=6 + number % 4,
                                   interpretation_languages=["ar", "fr", "en"], order=number)
        MeetingRoom.objects.create(conference=conference, room=room)
    for day in range(1, 5):
        for hour in (8, 9, 10, 11, 13, 14, 15, 16):
            start = datetime.datetime(2023, 7, 9 + day, hour, tzinfo=conference.tz)
            MeetingSlot.objects.create(conference=conference, starts_at=start,
                                       ends_at=start + datetime.timedelta(minutes=45))
    chance = random.Random(16)
    accepted = 0
    for _ in range(requests):
        (a, a_focal, a_members), (b, b_focal, b_members) = chance.sample(sides, 2)
        attendees = chance.sample(a_members, 2)
        offered = free_slots(conference, delegation_ids=[a.pk, b.pk], participant_ids=[p.pk for p in attendees],
                             languages=["ar", "fr"])
        if not offered:
            continue
        meeting = services.bilateral_request(
            conference=conference, requesting=a, invited=b, actor=a_focal, topic="Bench", languages=["ar", "fr"],
            attendee_ids=[p.pk for p in attendees], slot_ids=[choice.slot.pk for choice in offered[:3]])
        if chance.random() < 0.8:
            services.bilateral_accept(meeting, actor=b_focal, slot_id=offered[0].slot.pk,
                                      attendee_ids=[p.pk for p in chance.sample(b_members, 1)])
            accepted += 1
    return conference, sides, accepted


def main(quick: bool = False) -> None:
    setup_django()
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from conference.selectors import current_conference_key
    from cooperation import services
    from cooperation.models import BilateralMeeting, Booking, DirectoryEntry
    from cooperation.selectors import free_slots

    delegations, requests, searches = (30, 200, 100) if not quick else (8, 20, 10)
    started = time.perf_counter()
    conference, sides, accepted = build(delegations, requests)
    print(f"built {delegations} delegations, {BilateralMeeting.objects.filter(conference=conference).count()} "
          f"requests ({accepted} accepted, {Booking.objects.filter(meeting__conference=conference).count()} "
          f"bookings) in {time.perf_counter() - started:.1f} s")
    try:
        chance = random.Random(7)
        timings, query_ms = [], []
        for _ in range(searches):
            (a, _fa, a_members), (b, _fb, b_members) = chance.sample(sides, 2)
            people = [p.pk for p in chance.sample(a_members, 2) + chance.sample(b_members, 1)]
            reset_queries()  # with DEBUG on, a full query log (9000) would make every capture look empty
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                offered = free_slots(conference, delegation_ids=[a.pk, b.pk], participant_ids=people,
                                     languages=["ar", "fr"])
            timings.append((time.perf_counter() - started) * 1000)
            query_ms.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        p50, p95 = percentile(timings, 0.5), percentile(timings, 0.95)
        verdict = "met" if p95 <= SEARCH_TARGET_MS else "MISSED"
        print(f"slot search ({delegations} delegations x {requests} requests, {searches} searches): "
              f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(timings):.1f} ms, {len(queries)} queries, "
              f"{len(offered)} slots offered, of which in the database p50 {percentile(query_ms, 0.5):.1f} ms "
              f"(target <= {SEARCH_TARGET_MS} ms: {verdict})")

        viewer = sides[0][2][0]
        viewer_user = sides[0][1]
        viewer.user = viewer_user
        viewer.save(update_fields=["user"])
        people = [p for _d, _f, members in sides for p in members]

        def listed(count: int) -> None:
            for person in people[:count]:
                services.directory_entry_update(person, actor=None, listed=True, expertise=["prosecution"],
                                                share_languages=True, share_expertise=True, share_email=True)

        counts = {}
        with override_settings(ACCORD_DEFAULT_CONFERENCE=conference.slug, ALLOWED_HOSTS=["testserver"]):
            cache.delete(current_conference_key())
            client = Client()
            client.force_login(viewer_user)
            for entries in (10, len(people)):
                listed(entries)
                client.get("/cooperation/directory/")  # the current conference into the shared cache
                reset_queries()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get("/cooperation/directory/")
                assert response.status_code == 200, response.status_code
                counts[entries] = len(queries)
            cache.delete(current_conference_key())
        listed_now = DirectoryEntry.objects.filter(participant__conference=conference, listed=True).count()
        same = len(set(counts.values())) == 1
        print("directory page queries: " + ", ".join(f"{n} at {entries} entries" for entries, n in counts.items())
              + f" ({listed_now} listed; target: independent of the entries: {'met' if same else 'MISSED'})")
    finally:
        from django.contrib.auth import get_user_model

        from registration.models import Participant

        Participant.objects.filter(conference=conference).delete()
        conference.delete()
        get_user_model().objects.filter(username__startswith=f"{conference.slug}-").delete()


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
