"""Invitations bench: N invitations through a real Celery worker on Redis to a local SMTP sink.

    python bench/invitations.py [--count 1000] [--concurrency 4] [--pool prefork] [--quick]

The organizer's side runs here: ``invitation_create`` for each address (one transaction each, the sending task
queued on commit). A ``celery -A conference worker`` subprocess (its own queue on the bench Redis database) sends
them through Django's SMTP backend to an aiosmtpd sink in this process. Printed: seconds from the first
invitation created to the last e-mail accepted, delivered, duplicates (an invitee who received more than one
e-mail), failures (invitations not sent, or marked failed). Target: 1,000 invitations in at most 60 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

from bench.common import Worker, setup_django, smtp_sink, worker_env  # noqa: E402

TARGET_SECONDS = 60.0
DOMAIN = "inv.bench.example.org"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4, help="worker processes (prefork) or threads")
    parser.add_argument("--pool", default="prefork", choices=["prefork", "threads"])
    parser.add_argument("--timeout", type=float, default=300.0, help="give up after this many seconds")
    parser.add_argument("--quick", action="store_true", help="smoke run: 20 invitations, 2 worker processes")
    args = parser.parse_args(argv)
    if args.quick:
        args.count, args.concurrency, args.timeout = 20, 2, 60.0

    setup_django()
    from django.conf import settings
    from django.db import connection

    from conference.celery import app
    from conference.selectors import current_conference
    from registration.enums import InvitationStatus
    from registration.models import Invitation
    from registration.services.invitations import invitation_create

    conference = current_conference()
    if conference is None:
        from django.core.management import call_command

        call_command("seed_demo")
        conference = current_conference()
    # Earlier runs' invitations go first: every address is new in this run.
    Invitation.objects.filter(email__endswith=f"@{DOMAIN}").delete()

    queue = f"accord-bench-invitations-{os.getpid()}"
    app.conf.task_default_queue = queue  # this run's own queue: no other worker on this Redis takes our tasks
    params = connection.settings_dict
    database_url = (
        f"postgres://{params.get('USER') or 'postgres'}@{params.get('HOST') or '127.0.0.1'}:"
        f"{params.get('PORT') or 5432}/{params['NAME']}"
    )
    broker = settings.CELERY_BROKER_URL
    print(f"broker {broker}, queue {queue}; worker: --pool {args.pool} --concurrency {args.concurrency}")

    with smtp_sink() as (sink, port):
        worker = Worker(
            worker_env(database_url=database_url, broker_url=broker, smtp_port=port),
            queue=queue, concurrency=args.concurrency, pool=args.pool, name="accord-bench-invitations",
        )
        try:
            worker.wait_ready()
            started = time.monotonic()
            emails = []
            for i in range(args.count):
                invitation = invitation_create(
                    conference, email=f"invitee{i:05d}@{DOMAIN}", language=("ar", "fr", "en")[i % 3],
                    first_name="Bench", last_name=f"Invitee {i:05d}",
                )
                emails.append(invitation.email)
            created = time.monotonic() - started
            print(f"{args.count} invitations created and queued in {created:.1f} s", flush=True)
            deadline = started + args.timeout
            while sink.count() < args.count and time.monotonic() < deadline:
                if worker.process.poll() is not None:
                    print("worker exited:\n" + worker.tail())
                    break
                time.sleep(0.05)
            elapsed = (sink.last_at or time.monotonic()) - started
            time.sleep(1.0)  # a duplicate would arrive now
        finally:
            worker.stop()
            import redis

            redis.Redis.from_url(broker).delete(queue)

        per_recipient = sink.per_recipient()
        delivered = sum(1 for email in emails if per_recipient.get(email, 0) >= 1)
        duplicates = sum(1 for email in emails if per_recipient.get(email, 0) > 1)
        strangers = sorted(set(per_recipient) - set(emails))
        from django.db.models import Count

        statuses = dict(
            Invitation.objects.filter(email__in=emails).values_list("status").annotate(n=Count("pk")).order_by()
        )
        failures = args.count - statuses.get(InvitationStatus.SENT, 0)
    errors = [line for line in worker.lines if "ERROR" in line or "Traceback" in line]
    print(f"statuses {statuses}; worker error lines {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    if strangers:
        print(f"unexpected recipients: {strangers[:5]}")
    rate = delivered / elapsed if elapsed > 0 else 0.0
    target = TARGET_SECONDS * args.count / 1000
    verdict = "met" if elapsed <= target and failures == 0 and duplicates == 0 else "MISSED"
    print()
    print(f"{'figure':<34} {'measured':>12} {'target':>12}  verdict")
    print(f"{f'{args.count} invitations: seconds':<34} {elapsed:>12.1f} {f'<= {target:.0f} s':>12}  {verdict}"
          + ("" if args.count == 1000 else "  (target scaled from 1,000 in 60 s)"))
    print(f"{'delivered':<34} {delivered:>12} {args.count:>12}")
    print(f"{'duplicates (same invitee twice)':<34} {duplicates:>12} {0:>12}")
    print(f"{'failures (not sent)':<34} {failures:>12} {0:>12}")
    print(f"{'e-mails/s':<34} {rate:>12.0f}")
    print(f"creating and queueing took {created:.1f} s (organizer side: one transaction and audit entry each); the "
          f"last e-mail was accepted {max(0.0, elapsed - created):.1f} s after the last invitation was queued")
    return 0 if delivered == args.count and duplicates == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
