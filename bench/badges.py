#!/usr/bin/env python
"""Badge batches as a merge: pre-rendered, cold across two workers, the desk's single badge, and the reportlab peer.

    python bench/badges.py            # 500 badges; a merging worker's peak memory for 500 and 2,000
    python bench/badges.py --quick    # 20 badges (the suite's smoke test)

Runs on its own database and Redis database (``--database``, default ``accord_badges_bench``; ``--broker``,
default Redis db 9), with its own media directory, and starts two Celery workers (one process each) on a queue of
its own. Prints each figure beside its target (issue 18):
- the batch of N fully pre-rendered (the service in this process: fingerprints, pikepdf merge, prints recorded):
  <= 0.5 s for 500 and >= 5x faster than the peer;
- the batch of N cold (no page stored) through the two workers: chunk tasks, then the merge: no slower than the peer;
- a single desk badge (pre-rendered, and rendered after a change);
- the peer: the same N badges drawn with reportlab (``bench/badge_peer.py``), one PDF;
- a worker's peak memory: the largest of the chunk tasks' (bounded by the chunk size), and the batch file of 500 and
  of 2,000 stored pages written as a batch does, each in a fresh process (2,000: the 500 stored pages, each merged
  four times from its own file: the merge's memory, not the render's); over ``ACCORD_BADGE_MERGE_IN_PROCESS`` (500)
  pages the merge runs in a child process, whose peak is printed too: bounded, the worker's peak for 2,000 within
  1.25x its peak for 500.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/accord_badges_bench"
DEFAULT_BROKER = "redis://127.0.0.1:6379/9"
SLUG = "bench-badges"

GIVEN = ["Amina", "Jean", "Fatima", "Carlos", "Olena", "Kwame", "Mei", "Youssef", "Ingrid", "Rahul", "Aïcha"]
FAMILY = ["Haddad", "Dupont", "El-Sayed", "Rodríguez Villanueva", "Kowalczyk", "Mensah", "Nakamura", "Ben Ali"]
ARABIC = ["أمينة حداد", "يوسف بن علي", "فاطمة السيد", "محمد عبد الله", ""]
COUNTRIES = ["EG", "FR", "NG", "JO", "MA", "DE", "BR", "IN", "UA", "TN"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 badges (smoke test)")
    parser.add_argument("--database", default=DEFAULT_DATABASE, help=f"PostgreSQL URL (default {DEFAULT_DATABASE})")
    parser.add_argument("--broker", default=DEFAULT_BROKER, help=f"Redis URL (default {DEFAULT_BROKER})")
    parser.add_argument("--media", help="media directory (default: a temporary one, removed at the end)")
    parser.add_argument("--merge-rss", type=int, metavar="N", help=argparse.SUPPRESS)  # internal: one merge
    return parser.parse_args()


def setup(args, media: str) -> None:
    os.environ.update(DATABASE_URL=args.database, CELERY_BROKER_URL=args.broker, MEDIA_ROOT=media,
                      LOG_LEVEL="WARNING")
    os.environ.setdefault("CACHE_KEY_PREFIX", f"bench-badges-{uuid.uuid4().hex[:8]}")
    from bench.common import setup_django

    setup_django()


def build(n: int):
    """A fictitious conference with ``n`` approved participants and their badges (bulk inserts)."""
    from conference.models import Conference, Delegation
    from onsite.models import Badge, BadgePage
    from onsite.services.badges import new_token
    from registration.enums import ParticipantCategory, ParticipantStatus
    from registration.models import Participant

    old = Conference.objects.filter(slug=SLUG).first()
    if old is not None:
        for name in BadgePage.objects.filter(badge__participant__conference=old).values_list("pdf", flat=True):
            BadgePage._meta.get_field("pdf").storage.delete(name)
        Participant.objects.filter(conference=old).delete()  # (delegations are protected while members remain)
        old.delete()
    conference = Conference.objects.create(
        slug=SLUG, name="Inter-regional Conference on Trafficking in Persons and Smuggling of Migrants",
        name_ar="المؤتمر الأقاليمي بشأن الاتجار بالأشخاص وتهريب المهاجرين", short_name="Bench",
        start_date=datetime.date(2023, 7, 10), end_date=datetime.date(2023, 7, 13), city="Sharm El Sheikh",
        city_ar="شرم الشيخ",
    )
    delegations = Delegation.objects.bulk_create(
        [Delegation(conference=conference, code=f"D{i:02d}", country=COUNTRIES[i % len(COUNTRIES)], seat_quota=n)
         for i in range(40)]
    )
    rng = random.Random(n)
    categories = [value for value, _label in ParticipantCategory.choices]
    run = uuid.uuid4().hex[:6]
    people = []
    for i in range(n):
        people.append(Participant(
            conference=conference, delegation=delegations[i % len(delegations)], public_id=f"b{run}{i:06d}",
            email=f"badge{i}-{run}@bench.invalid", first_name=rng.choice(GIVEN), last_name=rng.choice(FAMILY),
            badge_name_ar=rng.choice(ARABIC), preferred_language=rng.choice(["en", "fr", "ar"]),
            category=categories[i % len(categories)], status=ParticipantStatus.APPROVED, gender="female",
        ))
    people = Participant.objects.bulk_create(people, batch_size=1000)
    Badge.objects.bulk_create([Badge(participant=p, token=new_token()) for p in people], batch_size=1000)
    return conference


def wait_done(batch, timeout: float) -> float:
    from onsite.enums import BatchStatus

    start = time.perf_counter()
    while True:
        batch.refresh_from_db()
        if batch.status == BatchStatus.DONE:
            return time.perf_counter() - start
        if batch.status == BatchStatus.FAILED or time.perf_counter() - start > timeout:
            raise SystemExit(f"batch {batch.pk} {batch.status}: {batch.error} ({batch.done}/{batch.total})")
        time.sleep(0.02)


def merge_rss(n: int) -> None:
    """Internal (a fresh process, as a worker): write the batch file of ``n`` stored pages of the bench conference
    the way a batch does (``batch_file_write``: in this process up to ``ACCORD_BADGE_MERGE_IN_PROCESS`` pages, else
    in a child); print this process's peak RSS, the child's, and where it ran."""
    from onsite.models import BadgePage
    from onsite.services.badges import batch_file_write

    paths = [page.pdf.path for page in BadgePage.objects.filter(badge__participant__conference__slug=SLUG)
             .order_by("pk")]
    sources = [paths[i % len(paths)] for i in range(n)]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "batch.pdf"
        where = batch_file_write(sources, str(out))
        size = out.stat().st_size
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{n} {peak:.1f} {before:.1f} {seconds:.3f} {size} {child:.1f} {where}")


def main() -> int:
    args = parse_args()
    media = args.media or tempfile.mkdtemp(prefix="accord-bench-badges-")
    setup(args, media)
    if args.merge_rss:
        merge_rss(args.merge_rss)
        return 0
    import logging

    from bench.badge_peer import render_peer
    from bench.common import Worker, worker_env
    from conference.celery import app as celery_app
    from onsite.models import BadgeBatch
    from onsite.services.badges import badge_batch_run, badge_batch_start, badge_data, badge_pdf_for_desk
    from registration.models import Participant

    logging.getLogger("onsite.services.badges").setLevel(logging.WARNING)
    n = 20 if args.quick else 500
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} CPUs")
    phase = time.perf_counter()
    conference = build(n)
    print(f"  ({n} participants built in {time.perf_counter() - phase:.1f} s)", flush=True)
    queue = f"bench-badges-{os.getpid()}"
    celery_app.conf.task_default_queue = queue
    chunk = 5 if args.quick else 50  # (quick: several chunks, so that both workers take some)
    env = worker_env(database_url=args.database, broker_url=args.broker, MEDIA_ROOT=media,
                     CACHE_KEY_PREFIX=os.environ["CACHE_KEY_PREFIX"], ACCORD_BADGE_CHUNK_SIZE=str(chunk))
    workers = [Worker(env, queue=queue, concurrency=1, name=f"bench-badges-{i}") for i in range(2)]
    try:
        phase = time.perf_counter()
        for worker in workers:
            worker.wait_ready()
        print(f"  (2 workers ready in {time.perf_counter() - phase:.1f} s)", flush=True)
        # Cold: nothing stored; the two workers render the chunks, the merge follows.
        start = time.perf_counter()
        cold = badge_batch_start(conference, actor=None)
        wait_done(cold, 600)
        cold_s = time.perf_counter() - start
        cold.refresh_from_db()
        print(f"  (cold batch done in {cold_s:.1f} s)", flush=True)
    finally:
        for worker in workers:
            worker.stop()
    by_worker: dict[str, int] = {}
    for part in cold.parts:
        key = f"{part['worker']} pid {part['pid']}"
        by_worker[key] = by_worker.get(key, 0) + part["pages"]
    chunk_rss = max(part["peak_rss_mb"] for part in cold.parts)

    # Pre-rendered: every page stored; the service in this process (no queue wait).
    warm = BadgeBatch.objects.create(conference=conference, total=n)
    badge_batch_run(warm)  # warm-up of this process (imports, pikepdf)
    warm = BadgeBatch.objects.create(conference=conference, total=n)
    start = time.perf_counter()
    warm = badge_batch_run(warm)
    warm_s = time.perf_counter() - start
    assert warm.status == "done", warm.error

    # The desk: one pre-rendered badge, then one rendered after a change (this process warmed up first: fonts).
    from onsite.services.badges import render_badge_pages

    render_badge_pages([badge_data(Participant.objects.select_related("conference", "delegation", "badge")
                                   .filter(conference=conference).last())])
    person = Participant.objects.select_related("conference", "delegation", "badge").filter(
        conference=conference).order_by("pk").first()
    start = time.perf_counter()
    badge_pdf_for_desk(person, actor=None, reprint_reason="bench")  # printed by the batches already
    desk_s = time.perf_counter() - start
    person.badge_name = "Desk Changed Name"
    person.save(update_fields=["badge_name"])
    start = time.perf_counter()
    badge_pdf_for_desk(person, actor=None, reprint_reason="bench")
    desk_cold_s = time.perf_counter() - start

    # The peer: the same badges, drawn with reportlab.
    people = list(Participant.objects.select_related("conference", "delegation", "badge")
                  .filter(conference=conference).order_by("pk"))
    items = [badge_data(p) for p in people]
    render_peer(items[:2])  # warm-up (fonts)
    start = time.perf_counter()
    peer_pdf = render_peer(items)
    peer_s = time.perf_counter() - start

    # A merging worker's memory, each merge in a fresh process.
    sizes = (n, 4 * n) if not args.quick else (n, 2 * n)
    rss = {}
    for size in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--merge-rss", str(size), "--database", args.database, "--broker",
             args.broker, "--media", media],
            capture_output=True, text=True, check=True, cwd=ROOT,
            env={**os.environ, "ACCORD_BADGE_MERGE_IN_PROCESS": str(n)},  # (500, the default; quick: 20)
        ).stdout.split()
        rss[size] = (float(out[1]), float(out[2]), float(out[3]), int(out[4]), float(out[5]), out[6])
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    big, small = rss[sizes[1]][0], rss[sizes[0]][0]

    def mark(ok: bool) -> str:
        return "met" if ok else "NOT met"

    print(f"{n} badges (A6, one a page), cold batch in chunks of {chunk}")
    print(f"pre-rendered batch of {n}: {warm_s:.3f} s (target <= 0.5 s for 500: "
          f"{mark(warm_s <= 0.5 * n / 500)}); peer / pre-rendered = {peer_s / warm_s:.1f}x "
          f"(target >= 5x: {mark(peer_s / warm_s >= 5)})")
    print(f"cold batch of {n}, 2 workers: {cold_s:.2f} s (target <= peer {peer_s:.2f} s: "
          f"{mark(cold_s <= peer_s)}); cold / peer = {cold_s / peer_s:.2f}x")
    print("cold batch pages by worker: " + ", ".join(f"{key}: {count}" for key, count in sorted(by_worker.items())))
    print(f"desk badge: pre-rendered {desk_s * 1000:.0f} ms, rendered after a change {desk_cold_s * 1000:.0f} ms")
    print(f"peer (reportlab) {n} badges: {peer_s:.2f} s, {len(peer_pdf) / 1e6:.1f} MB; "
          f"pre-rendered merge {warm.file.size / 1e6:.1f} MB")
    print(f"worker peak RSS: chunk task {chunk_rss:.0f} MB (bounded by the chunk size)")
    for size in sizes:
        peak, before, seconds, out_size, child, where = rss[size]
        print(f"worker peak RSS: batch file of {size} pages {peak:.0f} MB (process before the merge {before:.0f} MB; "
              f"merged in {'this process' if where == 'process' else 'a child process'}"
              + (f", the child's peak {child:.0f} MB, back to the system when it ended" if where == "child" else "")
              + f"; {seconds:.2f} s, {out_size / 1e6:.1f} MB)")
    print(f"worker peak RSS {sizes[1]} / {sizes[0]} pages = {big / small:.2f} (target <= 1.25, bounded: "
          f"{mark(big / small <= 1.25)})")
    print(f"load average at end: {load}")
    if not args.media:
        import shutil

        shutil.rmtree(media, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
