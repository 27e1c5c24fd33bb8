"""Load bench: the app under gunicorn (production settings) against PostgreSQL and Redis, driven by an asyncio client.

    python bench/load.py [--seconds 15] [--users 50] [--concurrency 16] [--workers 2] [--threads 4] [--think 1]
                         [--checkin-rates 300,100] [--phases registration,agenda,checkin] [--repeat 1] [--quick]

Three phases, each for a bounded time after a short warm-up that is not counted:

* registration: ``--users`` participants, each with their own logged-in session (a Django session made in the
  database, CSRF cookie and token), each POSTing step 3 of the self-registration form (dietary and accessibility
  needs) again and again with no pause (a closed loop: every user always has a request in flight), then again
  with a think time (``--think``, default 1 s between a user's submits). A success is the redirect to step 4;
  anything else (form redisplayed, 4xx, 5xx, time-out) is an error;
* agenda: anonymous GETs of the public programme page of the first day (``/programme/day/<date>/``);
* check-in: one logged-in staff session per desk (``--concurrency`` desks) POSTing ``/desk/scan/`` with the signed
  codes of approved participants (check-ins are reset before each check-in phase: each badge answers ``ok`` once,
  then ``already``; there are enough badges that most scans are first scans), nonstop (a closed loop: the most scans a second),
  then arriving at each of ``--checkin-rates`` scans a second whatever the answers (an open loop, Poisson arrivals: the
  latency at that rate, counted from each scan's scheduled start). With 16 desks nonstop, each answer's wait is
  about 16 / (scans a second): the nonstop run gives the capacity, the open loop the latency at the target rate.

The client runs on the same machine as gunicorn, PostgreSQL and Redis; its own CPU use is printed for each phase
(one asyncio event loop with the lean client of ``bench/httpclient.py``: one core at most). So is the server's CPU per
request (gunicorn workers and their PostgreSQL backends, read from /proc), which does not depend on what else runs
on the machine, and the rate it allows with both cores free. Nothing here asserts a time; figures are printed
against the targets.
Seeds the demo conference in the bench database when it is empty; re-opens its registration for the bench.
``--repeat N`` runs the phases N times against the same server, then prints each figure of every run and in how many
runs it met its target.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import itertools
import os
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

from bench.common import CpuMeter, connections_by_process, gunicorn_server, percentile, postgres_backend_pids, setup_django, summary  # noqa: E402,I001
from bench.httpclient import Client, ClientError  # noqa: E402

# The CPU meters read pg_stat_activity with Django's connection from inside the event loop (bench process only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BENCH_DOMAIN = "bench.example.org"
#: Approved participants with badges for the desk: enough that most scans of a run are first scans ("ok").
DESK_PARTICIPANTS = 12000
#: Open-loop phases: at most this many requests in flight (each on its own connection); more wait their turn.
OPEN_LOOP_MAX_IN_FLIGHT = 64
TARGETS = {
    "registration_p95_ms": 150.0,
    "agenda_rps": 300.0,
    "checkin_rps": 300.0,
    "checkin_p95_ms": 50.0,
}


#: Users and desks of a closed-loop phase start one after another over this long (within the warm-up).
RAMP_SECONDS = 1.0


@dataclass
class Plan:
    registration_cookies: list[dict[str, str]]
    staff_cookies: list[dict[str, str]]
    codes: list[str]
    agenda_path: str
    step_path: str
    next_step_path: str
    conference_id: int = 0
    #: Which code the next scan sends; each check-in phase starts again from the first with nobody checked in.
    code_counter: itertools.count = field(default_factory=itertools.count)


@dataclass
class PhaseResult:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0
    client_cpu: float = 0.0
    app_cpu: float = 0.0
    db_cpu: float = 0.0
    #: Each gunicorn worker's part of the app's CPU (largest first): how evenly the connections were spread.
    worker_split: list[float] = field(default_factory=list)
    #: The client's connections held by each worker in the middle of the window (most first). With no pause, a
    #: worker answers its own connections only: with more of them, each waits longer.
    connection_split: list[int] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def cpu_ms_per_request(self) -> tuple[float, float]:
        n = len(self.latencies) + self.errors
        return (self.app_cpu / n * 1000, self.db_cpu / n * 1000) if n else (float("nan"), float("nan"))

    @property
    def projected_rate(self) -> float:
        """Requests/s if the app and PostgreSQL had both cores to themselves (client on top): CPU-bound bound."""
        app, db = self.cpu_ms_per_request
        return 2000.0 / (app + db) if app + db > 0 else float("nan")

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def p(self, fraction: float) -> float:
        return percentile(self.latencies, fraction) * 1000


# --- preparation (in this process, straight into the bench database) -----------------------------------------------


def _session_cookies(user) -> dict[str, str]:
    """A logged-in Django session for ``user`` stored in the session backend, and a CSRF cookie/token pair."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.crypto import get_random_string

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    csrf = get_random_string(32)  # an unmasked CSRF secret: valid as the cookie and as the form token
    return {"session": store.session_key, "csrf": csrf}


def prepare(users: int, desks: int, arrivals: int = DESK_PARTICIPANTS) -> Plan:
    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.urls import reverse

    from conference.selectors import current_conference
    from registration.enums import ParticipantStatus
    from registration.models import Badge, Participant
    from registration.services.badges import badge_code, new_token
    from registration.services.participants import new_public_id

    conference = current_conference()
    if conference is None:
        call_command("seed_demo")
        conference = current_conference()
    # The demo conference closed its registration in 2023: open it again in the bench database.
    conference.registration_locked = False
    conference.registration_closes_at = None
    conference.save(update_fields=["registration_locked", "registration_closes_at"])
    user_model = get_user_model()

    with transaction.atomic():
        staff, _created = user_model.objects.get_or_create(
            username=f"desk@{BENCH_DOMAIN}", defaults={"email": f"desk@{BENCH_DOMAIN}", "is_staff": True}
        )
        registration_users = []
        for i in range(users):
            email = f"registrant{i:03d}@{BENCH_DOMAIN}"
            user, created = user_model.objects.get_or_create(username=email, defaults={"email": email})
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            participant = Participant.objects.filter(conference=conference, email=email).first()
            if participant is None:
                Participant.objects.create(
                    conference=conference, email=email, user=user, public_id=new_public_id(),
                    first_name="Bench", last_name=f"Registrant {i:03d}", status=ParticipantStatus.INVITED,
                    form_step=2,
                )
            elif participant.status != ParticipantStatus.INVITED:
                Participant.objects.filter(pk=participant.pk).update(status=ParticipantStatus.INVITED)
            registration_users.append(user)
        # Approved participants for the desk: the demo's, plus bench ones so that most scans are first scans.
        existing = set(
            Participant.objects.filter(conference=conference, email__startswith="arrival").values_list("email", flat=True)
        )
        missing = [f"arrival{i:04d}@{BENCH_DOMAIN}" for i in range(arrivals)]
        Participant.objects.bulk_create(
            [
                Participant(
                    conference=conference, email=email, public_id=new_public_id(), first_name="Bench",
                    last_name=email.split("@")[0].title(), status=ParticipantStatus.APPROVED,
                )
                for email in missing
                if email not in existing
            ]
        )
        approved = Participant.objects.filter(conference=conference, status=ParticipantStatus.APPROVED)
        Badge.objects.bulk_create(
            [Badge(participant=p, token=new_token()) for p in approved.filter(badge__isnull=True)]
        )
        codes = [badge_code(badge) for badge in Badge.objects.filter(participant__in=approved, revoked_at=None)]

    plan = Plan(
        registration_cookies=[_session_cookies(user) for user in registration_users],
        staff_cookies=[_session_cookies(staff) for _ in range(desks)],
        codes=codes,
        agenda_path=reverse("sessions_app:day", kwargs={"day": conference.start_date.isoformat()}),
        step_path=reverse("registration:register_step", kwargs={"step": 3}),
        next_step_path=reverse("registration:register_step", kwargs={"step": 4}),
        conference_id=conference.pk,
    )
    print(
        f"conference {conference.slug}: {len(registration_users)} registrants, {len(codes)} approved badges, "
        f"staff {staff.username}; settings DEBUG={settings.DEBUG} in this (client) process"
    )
    return plan


def reset_desk(plan: Plan) -> None:
    """Nobody checked in and no scan recorded, with fresh statistics and no dead rows (autovacuum does not start
    in the middle of a phase because of the previous one): each badge of the next phase answers "ok" once."""
    from django.db import connection, transaction

    from registration.models import Badge, CheckIn, Participant

    with transaction.atomic():
        CheckIn.objects.filter(conference_id=plan.conference_id).delete()
        Participant.objects.filter(conference_id=plan.conference_id, checked_in_at__isnull=False).update(
            checked_in_at=None, checked_in_by=None
        )
    with connection.cursor() as cursor:
        for table in (Participant._meta.db_table, CheckIn._meta.db_table, Badge._meta.db_table):
            cursor.execute(f'VACUUM ANALYZE "{table}"')  # nosec B608: our own table names
    plan.code_counter = itertools.count()


# --- the client ----------------------------------------------------------------------------------------------------


def _cookie_header(cookies: dict[str, str]) -> str:
    # Production cookies are Secure and the bench speaks plain HTTP to 127.0.0.1: send them by hand.
    return f"sessionid={cookies['session']}; csrftoken={cookies['csrf']}"


async def _send(request_factory, http, index: int, n: int) -> tuple[bool, str, str]:
    """``request_factory(http, index, n)`` -> (ok, label, detail), a client error counting as a failed request."""
    try:
        return await request_factory(http, index, n)
    except ClientError as exc:
        return False, "exception", str(exc)


def _record(result: PhaseResult, ok: bool, label: str, detail: str, latency: float) -> None:
    result.outcomes[label] = result.outcomes.get(label, 0) + 1
    if ok:
        result.latencies.append(latency)
    else:
        result.errors += 1
        if len(result.error_samples) < 5:
            result.error_samples.append(detail)


async def _measure(result: PhaseResult, count_from: float, stop: float,
                   meters: tuple[CpuMeter, CpuMeter] | None, server) -> None:
    """The client's and the server's CPU over the measured window (from ``count_from`` to ``stop``)."""
    await asyncio.sleep(max(0.0, count_from - time.perf_counter()))
    client_start = time.process_time()
    for meter in meters or ():
        meter.start()
    await asyncio.sleep(max(0.0, (stop - time.perf_counter()) / 2))
    result.connection_split = sorted(connections_by_process(server.worker_pids(), server.port), reverse=True)
    await asyncio.sleep(max(0.0, stop - time.perf_counter()))
    result.client_cpu = (time.process_time() - client_start) / (stop - count_from)
    if meters:
        result.app_cpu, result.db_cpu = (meter.stop() for meter in meters)
        result.worker_split = [share / result.app_cpu for share in meters[0].shares] if result.app_cpu else []


async def _run_phase(server, name: str, seconds: float, warmup: float, concurrency: int, request_factory,
                     meters: tuple[CpuMeter, CpuMeter] | None = None, pause=None) -> PhaseResult:
    """Run ``concurrency`` users, each awaiting ``request_factory(user, index, n)`` -> (ok, label, detail) on its own
    connection to ``server``."""
    result = PhaseResult(name=name, seconds=seconds)
    async with Client(server, concurrency) as http:
        count_from = time.perf_counter() + warmup
        stop = count_from + seconds

        async def loop(index: int) -> None:
            # Users arrive one after another over the first part of the warm-up, as a load tool spawns them: each
            # opens its connection when it arrives.
            await asyncio.sleep(index * min(RAMP_SECONDS, warmup / 2) / concurrency)
            user = http.for_user(index)
            n = 0
            while time.perf_counter() < stop:
                began = time.perf_counter()
                ok, label, detail = await _send(request_factory, user, index, n)
                ended = time.perf_counter()
                n += 1
                if pause is not None:  # the user's think time: after the answer, not part of the latency
                    await asyncio.sleep(pause())
                if count_from <= ended <= stop:  # answered during the warm-up or after the end: not counted
                    _record(result, ok, label, detail, ended - began)

        await asyncio.gather(_measure(result, count_from, stop, meters, server),
                             *(loop(i) for i in range(concurrency)))
    return result


async def _run_open_phase(server, name: str, seconds: float, warmup: float, rate: float, max_in_flight: int,
                          request_factory, meters: tuple[CpuMeter, CpuMeter] | None = None) -> PhaseResult:
    """An open loop: requests start at ``rate`` a second (Poisson arrivals) whatever the answers, up to
    ``max_in_flight`` at once (more wait for a connection). A latency runs from the request's scheduled start,
    so waiting for a connection counts; the rate printed is of answers received in the measured window."""
    import random

    result = PhaseResult(name=name, seconds=seconds)
    rng = random.Random(11)
    async with Client(server, max_in_flight) as http:
        start = time.perf_counter()
        count_from = start + warmup
        stop = count_from + seconds
        tasks: set[asyncio.Task] = set()

        async def one(index: int, scheduled: float) -> None:
            ok, label, detail = await _send(request_factory, http, index % max_in_flight, index)
            ended = time.perf_counter()
            if scheduled >= count_from and ended <= stop:  # started in the warm-up or answered late: not counted
                _record(result, ok, label, detail, ended - scheduled)

        async def schedule() -> None:
            index, at = 0, start
            while at < stop:
                delay = at - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                task = asyncio.create_task(one(index, at))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
                index += 1
                at += rng.expovariate(rate)

        await asyncio.gather(_measure(result, count_from, stop, meters, server), schedule())
        if tasks:
            await asyncio.wait(list(tasks), timeout=35)
    return result


def _meters(base) -> tuple[CpuMeter, CpuMeter]:
    from django.db import connection

    database = connection.settings_dict["NAME"]
    return CpuMeter(base.worker_pids), CpuMeter(lambda: postgres_backend_pids(database))


def registration_phase(base: str, plan: Plan, seconds: float, warmup: float, users: int,
                       think: float = 0.0) -> PhaseResult:
    """``think``: mean pause (seconds, uniform 0.5x to 1.5x) of each user between two submits; 0 = closed loop."""
    import random

    rng = random.Random(7)
    path = plan.step_path
    diets = ["Vegetarian", "Halal", "No nuts", "Gluten-free", "", "Vegan; no sesame"]

    async def request(http, index, n):
        cookies = plan.registration_cookies[index]
        data = {
            "csrfmiddlewaretoken": cookies["csrf"],
            "dietary_needs": diets[(index + n) % len(diets)],
            "accessibility_needs": "Step-free access" if n % 2 else "",
        }
        r = await http.request("POST", path, data=data, headers={"Cookie": _cookie_header(cookies)})
        location = r.headers.get("location", "")
        if r.status == 302 and location.endswith(plan.next_step_path):
            return True, "saved", ""
        return False, f"HTTP {r.status}", f"HTTP {r.status} Location={location!r}"

    name = "registration step 3 POST" + (f" (think time {think:g} s)" if think else " (closed loop)")
    pause = (lambda: think * rng.uniform(0.5, 1.5)) if think else None
    return asyncio.run(_run_phase(base, name, seconds, warmup, users, request, _meters(base), pause=pause))


def agenda_phase(base: str, plan: Plan, seconds: float, warmup: float, concurrency: int) -> PhaseResult:
    path = plan.agenda_path

    async def request(http, index, n):
        r = await http.request("GET", path)
        if r.status == 200 and b"</html>" in r.body:
            return True, "200", ""
        return False, f"HTTP {r.status}", f"HTTP {r.status}"

    return asyncio.run(_run_phase(base, "agenda day GET", seconds, warmup, concurrency, request, _meters(base)))


def checkin_phase(base: str, plan: Plan, seconds: float, warmup: float, concurrency: int,
                  rate: float | None = None) -> PhaseResult:
    """``concurrency`` desks scanning nonstop (closed loop: the most scans a second), or with ``rate``, scans
    arriving at that rate from the desks (open loop: the latency at that rate)."""
    path = "/desk/scan/"
    reset_desk(plan)
    codes = plan.codes
    counter = plan.code_counter

    async def request(http, index, n):
        cookies = plan.staff_cookies[index % len(plan.staff_cookies)]
        code = codes[next(counter) % len(codes)]
        payload = {
            "code": code, "client_id": uuid.uuid4().hex, "device": f"bench-desk-{index}",
            "scanned_at": datetime.datetime.now(datetime.UTC).isoformat(),
        }
        headers = {"Cookie": _cookie_header(cookies), "X-CSRFToken": cookies["csrf"]}
        r = await http.request("POST", path, json=payload, headers=headers)
        if r.status != 200:
            return False, f"HTTP {r.status}", f"HTTP {r.status}"
        answer = r.json()
        result = answer.get("result")
        return result in ("ok", "already"), str(result), str(answer)[:200]

    if rate:
        return asyncio.run(_run_open_phase(base, f"check-in scan POST (open loop, {rate:g}/s offered)", seconds,
                                           warmup, rate, OPEN_LOOP_MAX_IN_FLIGHT, request, _meters(base)))
    return asyncio.run(_run_phase(base, "check-in scan POST (closed loop)", seconds, warmup, concurrency, request,
                                  _meters(base)))


# --- report --------------------------------------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(results: dict[str, PhaseResult], *, users: int, concurrency: int, workers: int, threads: int,
           checkin_rates: tuple[float, ...] = ()) -> list[tuple[str, str, str, str]]:
    """Print each phase and the table of figures against the targets; return the table's rows."""
    print()
    for phase in results.values():
        app, db = phase.cpu_ms_per_request
        print(summary(phase.name, phase.latencies, phase.errors, phase.seconds)
              + f"; client CPU {phase.client_cpu * 100:.0f}% of one core; outcomes {phase.outcomes}")
        print(f"    server CPU per request: {app:.1f} ms gunicorn + {db:.1f} ms PostgreSQL "
              f"(gunicorn {phase.app_cpu / phase.seconds * 100:.0f}% + PostgreSQL {phase.db_cpu / phase.seconds * 100:.0f}% "
              f"of one core) -> at most ~{phase.projected_rate:.0f}/s with both cores free; workers' split "
              + "/".join(f"{share * 100:.0f}" for share in phase.worker_split) + " %; client connections by worker "
              + "/".join(str(count) for count in phase.connection_split))
        for sample in phase.error_samples:
            print(f"    error sample: {sample}")
    rows = []
    for key, r in results.items():
        if not key.startswith("registration"):
            continue
        label = "closed loop" if key == "registration" else f"think {key.split('-', 1)[1]} s"
        rows.append((f"registration p50 ({users} users, {label})", f"{r.p(0.5):.1f} ms", "", ""))
        rows.append((f"registration p95 ({users} users, {label})", f"{r.p(0.95):.1f} ms",
                     f"<= {TARGETS['registration_p95_ms']:.0f} ms", _verdict(r.p(0.95) <= TARGETS["registration_p95_ms"])))
        rows.append((f"registration errors ({label})", str(r.errors), "0", _verdict(r.errors == 0)))
        rows.append((f"registration submits/s ({label})", f"{r.rate:.0f}", "", ""))
    if "agenda" in results:
        r = results["agenda"]
        rows.append((f"agenda requests/s ({concurrency} conc.)", f"{r.rate:.0f}", f">= {TARGETS['agenda_rps']:.0f}",
                     _verdict(r.rate >= TARGETS["agenda_rps"] and r.errors == 0)))
        rows.append(("agenda p50 / p95", f"{r.p(0.5):.1f} / {r.p(0.95):.1f} ms", "", ""))
    if "checkin" in results:
        r = results["checkin"]
        rows.append((f"check-in scans/s ({concurrency} desks nonstop)", f"{r.rate:.0f}",
                     f">= {TARGETS['checkin_rps']:.0f}", _verdict(r.rate >= TARGETS["checkin_rps"] and r.errors == 0)))
        rows.append(("check-in p50 / p95 (nonstop)", f"{r.p(0.5):.1f} / {r.p(0.95):.1f} ms", "", ""))
    for offered in checkin_rates:
        r = results.get(f"checkin-open-{offered:g}")
        if r is None:
            continue
        target = offered >= TARGETS["checkin_rps"]  # the target's rate, or a lower one for the latency there
        # Poisson arrivals: the answers counted in the window vary by about 2% around the rate offered.
        rows.append((f"check-in answered/s ({offered:g}/s offered)", f"{r.rate:.0f}", f">= {offered * 0.97:.0f}",
                     _verdict(r.rate >= offered * 0.97 and r.errors == 0)))
        rows.append((f"check-in p50 / p95 at {offered:g}/s", f"{r.p(0.5):.1f} / {r.p(0.95):.1f} ms",
                     f"<= {TARGETS['checkin_p95_ms']:.0f} ms" if target else "",
                     _verdict(r.p(0.95) <= TARGETS["checkin_p95_ms"]) if target else ""))
    print(f"\nload bench: gunicorn {workers} worker(s) x {threads} thread(s); client and server share this machine "
          f"({os.cpu_count()} CPUs)")
    print(f"{'figure':<36} {'measured':>18} {'target':>10}  verdict")
    for name, measured, target, verdict in rows:
        print(f"{name:<36} {measured:>18} {target:>10}  {verdict}")
    return rows


def report_repeats(tables: list[list[tuple[str, str, str, str]]]) -> None:
    """After ``--repeat`` runs: each figure of every run, and in how many runs it met its target."""
    print(f"\n{len(tables)} runs: each figure run by run, and how many runs met its target")
    for index, (name, _measured, target, verdict) in enumerate(tables[0]):
        values = ", ".join(table[index][1] for table in tables)
        met = sum(table[index][3] == "met" for table in tables)
        print(f"{name:<36} {target:>10}  " + (f"met in {met} of {len(tables)}: " if verdict else "") + values)


def run_phases(base, plan: Plan, phases: list[str], args, parser) -> dict[str, PhaseResult]:
    results: dict[str, PhaseResult] = {}
    for phase in phases:
        if phase == "registration":
            results[phase] = registration_phase(base, plan, args.seconds, args.warmup, args.users)
            for think in args.think:
                results[f"registration-{think:g}"] = registration_phase(
                    base, plan, args.seconds, args.warmup, args.users, think=think
                )
        elif phase == "agenda":
            results[phase] = agenda_phase(base, plan, args.seconds, args.warmup, args.concurrency)
        elif phase == "checkin":
            results[phase] = checkin_phase(base, plan, args.seconds, args.warmup, args.concurrency)
            for rate in args.checkin_rates:
                results[f"checkin-open-{rate:g}"] = checkin_phase(
                    base, plan, args.seconds, args.warmup, args.concurrency, rate=rate
                )
        else:
            parser.error(f"unknown phase {phase!r}")
        print(f"{phase}: done ({len(results[phase].latencies)} ok, {results[phase].errors} errors)", flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="measured seconds per phase (default 15)")
    parser.add_argument("--warmup", type=float, default=2.0, help="uncounted seconds before each phase")
    parser.add_argument("--users", type=int, default=50, help="concurrent registrants (default 50)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent agenda clients and desks")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2: one per core)")
    parser.add_argument("--threads", type=int, default=4,
                        help="threads per worker (default 4, gthread: they overlap the PostgreSQL round trips and "
                             "commit waits; measured ahead of 4x1 sync and 3x2 on this machine)")
    parser.add_argument("--phases", default="registration,agenda,checkin")
    parser.add_argument("--checkin-rates", default=f"{TARGETS['checkin_rps']:g},100",
                        help="after the nonstop desks, scans arriving at each of these rates (open loop) for the "
                             "latency at that rate (default 300/s, the target, and 100/s); '' for none")
    parser.add_argument("--think", default="1", help="also run registration with these mean think times (s), "
                        "comma-separated; '' for none (the closed loop always runs)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run the phases this many times against the same server and print, for each figure, "
                             "in how many runs it met its target (this machine's speed drifts minute to minute)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 2 s per phase, 5 users, 4 desks")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.warmup, args.users, args.concurrency, args.workers, args.threads = 2.0, 0.5, 5, 4, 1, 4
        args.think = ""
        args.checkin_rates = "50"
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    args.think = [float(t) for t in args.think.split(",") if t.strip() and float(t) > 0]
    args.checkin_rates = tuple(float(r) for r in args.checkin_rates.split(",") if r.strip() and float(r) > 0)
    load = os.getloadavg()
    print(f"load average before the bench: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (other work shares the CPUs)")
    started = time.perf_counter()
    plan = prepare(args.users, args.concurrency, 50 if args.quick else DESK_PARTICIPANTS)
    print(f"prepared in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    tables = []
    with gunicorn_server(workers=args.workers, threads=args.threads) as base:
        print(f"server ready in {time.perf_counter() - started:.1f} s", flush=True)
        for run in range(args.repeat):
            if args.repeat > 1:
                print(f"\n=== run {run + 1} of {args.repeat}", flush=True)
            results = run_phases(base, plan, phases, args, parser)
            tables.append(report(results, users=args.users, concurrency=args.concurrency, workers=args.workers,
                                 threads=args.threads, checkin_rates=args.checkin_rates))
    if args.repeat > 1:
        report_repeats(tables)
    return 0


if __name__ == "__main__":
    sys.exit(main())
