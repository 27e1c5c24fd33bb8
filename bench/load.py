"""Load bench: the app under gunicorn (production settings) against PostgreSQL and Redis, driven by locust.

    python bench/load.py [--seconds S] [--users 50] [--rush-users 300] [--rush-pause 3,10] [--concurrency 16]
                         [--doors 4] [--checkin-rate 100] [--arrivals poisson] [--workers 2] [--threads 4] [--think 1]
                         [--phases registration,rush,agenda,checkin] [--repeat 1] [--quick]

Load as people arrive, four phases, each for a bounded time after a warm-up that is not counted:

* registration: ``--users`` participants (default 50), each with their own logged-in session (a Django session
  made in the database, CSRF cookie and token), each POSTing step 3 of the self-registration form (dietary,
  accessibility needs and the required questions the organizers ask there) with a pause between two submits (``--think``, mean 1 s, uniform 0.5x to 1.5x). A success
  is the redirect to step 4; anything else (form redisplayed, 4xx, 5xx, time-out) is an error;
* rush: the registration rush after the invitations go out, ``--rush-users`` participants (default 300), each
  walking the registration pages (GET step 3, POST step 3, GET the status page, again and again) with a pause of
  ``--rush-pause`` (3 to 10 s) before each page, for a few minutes (default 180 s);
* agenda: anonymous GETs of the public programme page of the first day (``/programme/day/<date>/``) by
  ``--concurrency`` clients with no pause (a closed loop: the most pages a second);
* check-in: the first morning at the desk, ``--concurrency`` desks (default 16) scanning badges
  (``desk_scan``) and ``--doors`` door scanners (default 4) scanning at a session's door (``desk_session_scan``),
  the scans arriving at ``--checkin-rate`` a second all together (default 100; a real desk peak is about 5 a
  second). People arrive at each scanner independently (``--arrivals poisson``, the default: exponential gaps
  drawn ahead, whatever the answers took); ``--arrivals constant`` paces each scanner at a fixed rate instead
  (locust's ``constant_throughput``), which after the cold server's first slow answers lines all the scanners up
  into bursts of one scan each, every ``scanners / rate`` seconds, for the rest of the run. Check-ins and door
  attendance are reset before each check-in phase: each badge answers ``ok`` once, then ``already``.

The client is locust (``bench/locustfile.py``, locust used as a library: ``Environment``, a local runner,
``FastHttpUser``), run in a process of its own for each phase (gevent monkey-patches the standard library when
locust is imported; this process runs Django and psycopg for the preparation and the CPU meters), headless, only
against the gunicorn started here on 127.0.0.1, stopping by itself at the end of the phase. The plan (paths,
cookies, codes, rates) goes to it in a JSON file; its result (each latency of the measured window, errors,
outcomes) comes back in another. It runs on the same machine as gunicorn, PostgreSQL and Redis: its own CPU use is
printed for each phase. So is the server's CPU per request (gunicorn workers and their PostgreSQL backends, read
from /proc over the same window), which does not depend on what else runs on the machine: compare machines with
it. Nothing here asserts a time; figures are printed against the targets.

``--seconds S`` measures every phase for S seconds (shorter runs); ``--quick`` is the smoke mode (tiny numbers).
Seeds the demo conference in the bench database when it is empty; re-opens its registration for the bench.
``--repeat N`` runs the phases N times against the same server, then prints each figure of every run and in how
many runs it met its target.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import select
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

from bench.common import CpuMeter, connections_by_process, gunicorn_server, percentile, postgres_backend_pids, setup_django, summary  # noqa: E402,I001

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
#: How often the CPU meters read /proc during a phase (a process that exits keeps what was last read of it).
SAMPLE_SECONDS = 0.5
BENCH_DOMAIN = "bench.example.org"
#: Approved participants with badges for the desk: enough that most scans of a run are first scans ("ok").
DESK_PARTICIPANTS = 12000
TARGETS = {
    "registration_p95_ms": 150.0,
    "agenda_rps": 300.0,
    "checkin_p95_ms": 50.0,
}
#: Measured seconds of each phase unless ``--seconds`` says otherwise: the rush lasts a few minutes.
DEFAULT_SECONDS = {"registration": 15.0, "rush": 180.0, "agenda": 15.0, "checkin": 15.0}
#: The phases' names in the printed figures.
PHASE_TITLES = {
    "registration": "registration step 3 POST",
    "rush": "registration rush",
    "agenda": "agenda day GET",
    "checkin": "check-in scans",
}


@dataclass
class Plan:
    registration_cookies: list[dict[str, str]]
    staff_cookies: list[dict[str, str]]
    codes: list[str]
    paths: dict[str, str]
    conference_id: int = 0
    door_session_id: int | None = None
    #: The answers step 3 needs besides the dietary fields: the organizers' required questions on that step.
    step_answers: dict[str, object] = field(default_factory=dict)


@dataclass
class PhaseResult:
    name: str
    #: Latencies (seconds) of the requests answered as expected in the measured window, by request name.
    by_name: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0
    client_cpu: float = 0.0
    app_cpu: float = 0.0
    db_cpu: float = 0.0
    #: Each gunicorn worker's part of the app's CPU (largest first): how evenly the connections were spread.
    worker_split: list[float] = field(default_factory=list)
    #: The client's connections held by each worker in the middle of the window (most first).
    connection_split: list[int] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    #: locust's own figures over the window (requests, failures, p50/p95 rounded to whole ms).
    locust: dict = field(default_factory=dict)

    @property
    def latencies(self) -> list[float]:
        return [latency for values in self.by_name.values() for latency in values]

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    @property
    def cpu_ms_per_request(self) -> tuple[float, float]:
        n = self.requests
        return (self.app_cpu / n * 1000, self.db_cpu / n * 1000) if n else (float("nan"), float("nan"))

    @property
    def projected_rate(self) -> float:
        """Requests/s if the app and PostgreSQL had both cores to themselves (client on top): CPU-bound bound."""
        app, db = self.cpu_ms_per_request
        return 2000.0 / (app + db) if app + db > 0 else float("nan")

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def p(self, fraction: float, name: str | None = None) -> float:
        values = self.by_name.get(name, []) if name else self.latencies
        return percentile(values, fraction) * 1000


# --- preparation (in this process, straight into the bench database) -----------------------------------------------
# Badges, check-ins and door attendance are moving from the registration app to onsite: each is looked up where it
# is at run time.


def _model(name: str, *app_labels: str):
    from django.apps import apps

    for label in app_labels:
        with contextlib.suppress(LookupError):
            return apps.get_model(label, name)
    raise LookupError(f"no model {name} in {app_labels}")


def _function(name: str, *modules: str):
    for module in modules:
        with contextlib.suppress(ImportError, RuntimeError):  # RuntimeError: the models of an app not installed
            found = getattr(importlib.import_module(module), name, None)
            if found is not None:
                return found
    raise ImportError(f"no {name} in {modules}")


def _reverse(name: str, *args, namespaces=("registration", "onsite")) -> str:
    from django.urls import NoReverseMatch, reverse

    for namespace in namespaces:
        with contextlib.suppress(NoReverseMatch):
            return reverse(f"{namespace}:{name}", args=args)
    raise NoReverseMatch(f"{name} in none of {namespaces}")


def _session_cookies(user) -> dict[str, str]:
    """A logged-in Django session for ``user`` stored in the session backend, and a CSRF cookie/token pair."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.crypto import get_random_string

    store = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
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

    participant_model = _model("Participant", "registration")
    badge_model = _model("Badge", "onsite", "registration")
    session_model = _model("Session", "sessions_app")
    badges_module = f"{badge_model._meta.app_label}.services.badges"  # the app that has the badges has their codes
    badge_code = _function("badge_code", badges_module, "onsite.services.badges", "registration.services.badges")
    new_token = _function("new_token", badges_module, "onsite.services.badges", "registration.services.badges")
    new_public_id = _function("new_public_id", "registration.services.participants")
    invited, approved_status = "invited", "approved"  # ParticipantStatus values

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
            participant = participant_model.objects.filter(conference=conference, email=email).first()
            if participant is None:
                participant_model.objects.create(
                    conference=conference, email=email, user=user, public_id=new_public_id(),
                    first_name="Bench", last_name=f"Registrant {i:03d}", status=invited, form_step=2,
                )
            elif participant.status != invited:
                participant_model.objects.filter(pk=participant.pk).update(status=invited)
            registration_users.append(user)
        # Approved participants for the desk: the demo's, plus bench ones so that most scans are first scans.
        existing = set(
            participant_model.objects.filter(conference=conference, email__startswith="arrival")
            .values_list("email", flat=True)
        )
        missing = [f"arrival{i:04d}@{BENCH_DOMAIN}" for i in range(arrivals)]
        participant_model.objects.bulk_create(
            [
                participant_model(
                    conference=conference, email=email, public_id=new_public_id(), first_name="Bench",
                    last_name=email.split("@")[0].title(), status=approved_status,
                )
                for email in missing
                if email not in existing
            ]
        )
        approved = participant_model.objects.filter(conference=conference, status=approved_status)
        badge_model.objects.bulk_create(
            [badge_model(participant=p, token=new_token()) for p in approved.filter(badge__isnull=True)]
        )
        codes = [badge_code(badge) for badge in badge_model.objects.filter(participant__in=approved, revoked_at=None)]
    door_session = session_model.objects.filter(conference=conference).order_by("pk").first()

    paths = {
        "agenda": reverse("sessions_app:day", kwargs={"day": conference.start_date.isoformat()}),
        "step": _reverse("register_step", 3),
        "next_step": _reverse("register_step", 4),
        "status": _reverse("register"),
        "desk_scan": _reverse("desk_scan"),
    }
    if door_session is not None:
        paths["door_scan"] = _reverse("desk_session_scan", door_session.pk)
    plan = Plan(
        step_answers=_required_answers(conference, "needs"),
        registration_cookies=[_session_cookies(user) for user in registration_users],
        staff_cookies=[_session_cookies(staff) for _ in range(desks)],
        codes=codes,
        paths=paths,
        conference_id=conference.pk,
        door_session_id=door_session.pk if door_session else None,
    )
    print(
        f"conference {conference.slug}: {len(registration_users)} registrants, {len(codes)} approved badges, "
        f"staff {staff.username}, door scans at session {plan.door_session_id}; settings DEBUG={settings.DEBUG} "
        "in this (bench) process"
    )
    return plan


def reset_desk(plan: Plan) -> None:
    """Nobody checked in, no scan and no door attendance recorded, with fresh statistics and no dead rows
    (autovacuum does not start in the middle of a phase because of the previous one): each badge of the next
    phase answers "ok" once at the desk and once at the door."""
    from django.db import connection, transaction

    participant_model = _model("Participant", "registration")
    badge_model = _model("Badge", "onsite", "registration")
    checkin_model = _model("CheckIn", "onsite", "registration")
    attendance_model = _model("Attendance", "onsite", "sessions_app")

    with transaction.atomic():
        checkin_model.objects.filter(conference_id=plan.conference_id).delete()
        participant_model.objects.filter(conference_id=plan.conference_id, checked_in_at__isnull=False).update(
            checked_in_at=None, checked_in_by=None
        )
        if plan.door_session_id:
            attendance_model.objects.filter(session_id=plan.door_session_id).delete()
    with connection.cursor() as cursor:
        for model in (participant_model, checkin_model, badge_model, attendance_model):
            cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')  # nosec B608: our own table names


def _required_answers(conference, step_key: str) -> dict[str, object]:
    """A valid answer to each required question the organizers ask unconditionally on the form step
    ``step_key`` (the demo asks for a working group on the needs step), as the form's field names."""
    try:
        from registration.models import Question
        from registration.questions import field_name
    except ImportError:  # a checkout without organizer-defined questions
        return {}
    answers: dict[str, object] = {}
    questions = Question.objects.filter(conference=conference, step=step_key, required=True, hidden=False,
                                        depends_on__isnull=True).prefetch_related("choices")
    for question in questions:
        choices = [str(choice.pk) for choice in question.choices.all() if not choice.hidden]
        if question.kind in ("one_choice", "several_choices") and choices:
            answers[field_name(question)] = choices[0]
        elif question.kind == "yes_no":
            answers[field_name(question)] = "no"
        else:
            answers[field_name(question)] = "Bench"
    return answers


# --- the client: one locust process a phase ------------------------------------------------------------------------


def _meters(server) -> tuple[CpuMeter, CpuMeter]:
    from django.db import connection

    database = connection.settings_dict["NAME"]
    return CpuMeter(server.worker_pids), CpuMeter(lambda: postgres_backend_pids(database))


def run_client(server, name: str, client_plan: dict) -> PhaseResult:
    """Run bench/locustfile.py on ``client_plan`` against ``server``; the server's and the client's CPU over the
    window it announces on its standard output."""
    result = PhaseResult(name=name)
    app_meter, db_meter = _meters(server)
    with tempfile.TemporaryDirectory(prefix="bench-locust-") as folder:
        plan_path, result_path = Path(folder) / "plan.json", Path(folder) / "result.json"
        plan_path.write_text(json.dumps({"host": str(server), **client_plan}))
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        client = subprocess.Popen([sys.executable, str(LOCUSTFILE), str(plan_path), str(result_path)],
                                  stdout=subprocess.PIPE, env=env)
        client_meter = CpuMeter(lambda: [client.pid])
        meters = (app_meter, db_meter, client_meter)
        # The client stops by itself; should it hang, it does not outlive its phase by much.
        deadline = time.monotonic() + client_plan["warmup"] + client_plan["seconds"] + 60
        measuring, pending, output = False, b"", client.stdout.fileno()
        try:
            while True:
                if time.monotonic() > deadline:
                    client.kill()
                    break
                ready, _, _ = select.select([output], [], [], SAMPLE_SECONDS)
                if measuring:
                    for meter in meters:
                        meter.sample()  # the PostgreSQL backends that exit in the window keep their CPU
                if not ready:
                    continue
                chunk = os.read(output, 65536)
                if not chunk:
                    break
                *lines, pending = (pending + chunk).split(b"\n")
                for line in (raw.decode(errors="replace").rstrip() for raw in lines):
                    if line == "window-start":
                        for meter in meters:
                            meter.start()
                        opened, measuring = time.perf_counter(), True
                    elif line == "window-mid":
                        result.connection_split = sorted(
                            connections_by_process(server.worker_pids(), server.port), reverse=True
                        )
                    elif line == "window-stop":
                        result.app_cpu, result.db_cpu = app_meter.stop(), db_meter.stop()
                        result.client_cpu = client_meter.stop() / (time.perf_counter() - opened)
                        measuring = False
                        if result.app_cpu:
                            result.worker_split = [share / result.app_cpu for share in app_meter.shares]
                    else:
                        print(f"    client: {line}", flush=True)
            code = client.wait(timeout=30)
        finally:
            client.stdout.close()
            if client.poll() is None:
                client.kill()
                client.wait()
        if code != 0 or not result_path.is_file():
            raise RuntimeError(f"the locust client of phase {name!r} exited with {code}")
        answer = json.loads(result_path.read_text())
    result.seconds = answer["seconds"]
    result.by_name = {key: [ms / 1000 for ms in values] for key, values in answer["latencies_ms"].items()}
    result.errors = sum(answer["errors"].values())
    result.error_samples = answer["error_samples"]
    result.outcomes = answer["outcomes"]
    result.locust = answer["locust"]
    return result


def registration_phase(server, plan: Plan, seconds: float, warmup: float, users: int, think: float) -> PhaseResult:
    return run_client(server, f"{PHASE_TITLES['registration']} ({users} users, pause {think:g} s)", {
        "phase": "registration", "users": users, "warmup": warmup, "seconds": seconds,
        "pause": [think * 0.5, think * 1.5], "cookies": plan.registration_cookies[:users], "paths": plan.paths,
        "answers": plan.step_answers,
    })


def rush_phase(server, plan: Plan, seconds: float, warmup: float, users: int,
               pause: tuple[float, float]) -> PhaseResult:
    # Each user's first page comes after a pause of its own (up to the longest): steady once that has passed.
    return run_client(server, f"{PHASE_TITLES['rush']} ({users} users, pauses {pause[0]:g}-{pause[1]:g} s)", {
        "phase": "rush", "users": users, "warmup": warmup + pause[1], "seconds": seconds, "pause": list(pause),
        "cookies": plan.registration_cookies[:users], "paths": plan.paths,
        "answers": plan.step_answers,
    })


def agenda_phase(server, plan: Plan, seconds: float, warmup: float, concurrency: int) -> PhaseResult:
    return run_client(server, f"{PHASE_TITLES['agenda']} ({concurrency} clients, no pause)", {
        "phase": "agenda", "users": concurrency, "warmup": warmup, "seconds": seconds, "paths": plan.paths,
    })


def checkin_phase(server, plan: Plan, seconds: float, warmup: float, desks: int, doors: int,
                  rate: float, arrivals: str = "poisson") -> PhaseResult:
    reset_desk(plan)
    doors = doors if "door_scan" in plan.paths else 0
    return run_client(server, f"{PHASE_TITLES['checkin']} ({desks} desks + {doors} doors, {rate:g}/s offered, {arrivals} arrivals)", {
        "phase": "checkin", "users": desks + doors, "desks": desks, "doors": doors, "rate": rate,
        "arrivals": arrivals,
        "warmup": warmup, "seconds": seconds, "cookies": plan.staff_cookies, "codes": plan.codes,
        "paths": plan.paths,
    })


# --- report --------------------------------------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _cpu_row(label: str, r: PhaseResult) -> tuple[str, str, str, str]:
    app, db = r.cpu_ms_per_request
    return (f"{label} server CPU/request", f"{app:.1f} + {db:.1f} ms", "", "")


def report(results: dict[str, PhaseResult], args) -> list[tuple[str, str, str, str]]:
    """Print each phase and the table of figures against the targets; return the table's rows."""
    print()
    for phase in results.values():
        app, db = phase.cpu_ms_per_request
        print(summary(phase.name, phase.latencies, phase.errors, phase.seconds)
              + f"; client CPU {phase.client_cpu * 100:.0f}% of one core; outcomes {phase.outcomes}")
        if len(phase.by_name) > 1:
            print("    by request: " + "; ".join(
                f"{key} {len(values)}, p50 {phase.p(0.5, key):.1f} ms, p95 {phase.p(0.95, key):.1f} ms"
                for key, values in sorted(phase.by_name.items())))
        print(f"    server CPU per request: {app:.1f} ms gunicorn + {db:.1f} ms PostgreSQL "
              f"(gunicorn {phase.app_cpu / phase.seconds * 100:.0f}% + PostgreSQL "
              f"{phase.db_cpu / phase.seconds * 100:.0f}% of one core) -> at most ~{phase.projected_rate:.0f}/s with "
              "both cores free; workers' split " + "/".join(f"{share * 100:.0f}" for share in phase.worker_split)
              + " %; client connections by worker " + "/".join(str(count) for count in phase.connection_split))
        print(f"    locust's own: {phase.locust.get('requests')} requests, {phase.locust.get('failures')} failures, "
              f"p50 {phase.locust.get('p50_ms')} ms, p95 {phase.locust.get('p95_ms')} ms (whole ms)")
        for sample in phase.error_samples:
            print(f"    error sample: {sample}")
    registration_target = TARGETS["registration_p95_ms"]
    rows = []
    if "registration" in results:
        r = results["registration"]
        label = f"{args.users} users, pause {args.think:g} s"
        rows.append((f"registration p50 ({label})", f"{r.p(0.5):.1f} ms", "", ""))
        rows.append((f"registration p95 ({label})", f"{r.p(0.95):.1f} ms", f"<= {registration_target:.0f} ms",
                     _verdict(r.p(0.95) <= registration_target)))
        rows.append(("registration errors", str(r.errors), "0", _verdict(r.errors == 0)))
        rows.append(("registration submits/s", f"{r.rate:.0f}", "", ""))
        rows.append(_cpu_row("registration", r))
    if "rush" in results:
        r = results["rush"]
        label = f"{args.rush_users} users, {args.rush_pause[0]:g}-{args.rush_pause[1]:g} s"
        rows.append((f"rush p50 ({label})", f"{r.p(0.5):.1f} ms", "", ""))
        rows.append((f"rush p95 ({label})", f"{r.p(0.95):.1f} ms", f"<= {registration_target:.0f} ms",
                     _verdict(r.p(0.95) <= registration_target)))
        for key in ("GET step", "POST step", "GET status"):
            rows.append((f"rush {key} p95", f"{r.p(0.95, key):.1f} ms", "", ""))
        rows.append(("rush errors", str(r.errors), "0", _verdict(r.errors == 0)))
        rows.append(("rush pages/s", f"{r.rate:.0f}", "", ""))
        rows.append(_cpu_row("rush", r))
    if "agenda" in results:
        r = results["agenda"]
        rows.append((f"agenda requests/s ({args.concurrency} clients)", f"{r.rate:.0f}",
                     f">= {TARGETS['agenda_rps']:.0f}", _verdict(r.rate >= TARGETS["agenda_rps"] and r.errors == 0)))
        rows.append(("agenda p50 / p95", f"{r.p(0.5):.1f} / {r.p(0.95):.1f} ms", "", ""))
        rows.append(_cpu_row("agenda", r))
    if "checkin" in results:
        r = results["checkin"]
        offered = args.checkin_rate
        rows.append((f"check-in answered/s ({offered:g}/s offered)", f"{r.rate:.0f}", f">= {offered * 0.97:.0f}",
                     _verdict(r.rate >= offered * 0.97)))
        rows.append((f"check-in p50 / p95 at {offered:g}/s", f"{r.p(0.5):.1f} / {r.p(0.95):.1f} ms",
                     f"<= {TARGETS['checkin_p95_ms']:.0f} ms", _verdict(r.p(0.95) <= TARGETS["checkin_p95_ms"])))
        for key in ("POST desk scan", "POST door scan"):
            if key in r.by_name:
                rows.append((f"check-in {key.split()[1]} scans p95", f"{r.p(0.95, key):.1f} ms", "", ""))
        rows.append(("check-in errors", str(r.errors), "0", _verdict(r.errors == 0)))
        rows.append(_cpu_row("check-in", r))
    print(f"\nload bench: gunicorn {args.workers} worker(s) x {args.threads} thread(s); client (locust) and server "
          f"share this machine ({os.cpu_count()} CPUs); server CPU per request = gunicorn + PostgreSQL")
    print(f"{'figure':<40} {'measured':>18} {'target':>10}  verdict")
    for name, measured, target, verdict in rows:
        print(f"{name:<40} {measured:>18} {target:>10}  {verdict}")
    return rows


def report_repeats(tables: list[list[tuple[str, str, str, str]]]) -> None:
    """After ``--repeat`` runs: each figure of every run, and in how many runs it met its target."""
    print(f"\n{len(tables)} runs: each figure run by run, and how many runs met its target")
    for index, (name, _measured, target, verdict) in enumerate(tables[0]):
        values = ", ".join(table[index][1] for table in tables)
        met = sum(table[index][3] == "met" for table in tables)
        print(f"{name:<40} {target:>10}  " + (f"met in {met} of {len(tables)}: " if verdict else "") + values)


def run_phases(server, plan: Plan, phases: list[str], args) -> dict[str, PhaseResult]:
    results: dict[str, PhaseResult] = {}
    for phase in phases:
        seconds = args.seconds if args.seconds else DEFAULT_SECONDS[phase]
        if phase == "registration":
            results[phase] = registration_phase(server, plan, seconds, args.warmup, args.users, args.think)
        elif phase == "rush":
            results[phase] = rush_phase(server, plan, seconds, args.warmup, args.rush_users, args.rush_pause)
        elif phase == "agenda":
            results[phase] = agenda_phase(server, plan, seconds, args.warmup, args.concurrency)
        elif phase == "checkin":
            results[phase] = checkin_phase(server, plan, seconds, args.warmup, args.concurrency, args.doors,
                                           args.checkin_rate, args.arrivals)
        r = results[phase]
        print(f"{phase}: done ({len(r.latencies)} ok, {r.errors} errors in {r.seconds:.1f} s)", flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=0.0,
                        help="measured seconds of every phase (default: 15 s each, the rush 180 s)")
    parser.add_argument("--warmup", type=float, default=2.0, help="uncounted seconds before each phase")
    parser.add_argument("--users", type=int, default=50, help="registrants submitting step 3 (default 50)")
    parser.add_argument("--think", type=float, default=1.0, help="their mean pause between submits (s, default 1)")
    parser.add_argument("--rush-users", type=int, default=300, help="participants in the rush (default 300)")
    parser.add_argument("--rush-pause", default="3,10", help="their pause before each page: min,max s (default 3,10)")
    parser.add_argument("--concurrency", type=int, default=16, help="agenda clients and check-in desks (16)")
    parser.add_argument("--doors", type=int, default=4, help="door scanners during the check-in (default 4)")
    parser.add_argument("--checkin-rate", type=float, default=100.0,
                        help="scans a second from all desks and doors together (default 100)")
    parser.add_argument("--arrivals", choices=("poisson", "constant"), default="poisson",
                        help="when scans arrive at each scanner: independently (poisson, default) or paced at a "
                             "fixed rate (constant)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2: one per core)")
    parser.add_argument("--threads", type=int, default=4,
                        help="threads per worker (default 4, gthread: they overlap the PostgreSQL round trips and "
                             "commit waits)")
    parser.add_argument("--phases", default="registration,rush,agenda,checkin")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run the phases this many times against the same server and print, for each figure, "
                             "in how many runs it met its target (this machine's speed drifts minute to minute)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 2 s a phase, 5 registrants, 10 in the rush, 4 desks and 1 door at 20/s")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.warmup, args.users, args.concurrency, args.workers, args.threads = 2.0, 0.6, 5, 4, 1, 4
        args.rush_users, args.rush_pause, args.doors, args.checkin_rate, args.think = 10, "0.1,0.3", 1, 20.0, 0.2
    try:
        low, high = (float(value) for value in args.rush_pause.split(","))
    except ValueError:
        parser.error("--rush-pause is min,max in seconds")
    args.rush_pause = (low, high)
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    for phase in phases:
        if phase not in DEFAULT_SECONDS:
            parser.error(f"unknown phase {phase!r}")
    load = os.getloadavg()
    print(f"load average before the bench: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (other work shares the CPUs)")
    started = time.perf_counter()
    registrants = max(args.users, args.rush_users if "rush" in phases else 0)
    plan = prepare(registrants, args.concurrency + args.doors, 50 if args.quick else DESK_PARTICIPANTS)
    print(f"prepared in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    tables = []
    with gunicorn_server(workers=args.workers, threads=args.threads) as server:
        print(f"server ready in {time.perf_counter() - started:.1f} s", flush=True)
        for run in range(args.repeat):
            if args.repeat > 1:
                print(f"\n=== run {run + 1} of {args.repeat}", flush=True)
            results = run_phases(server, plan, phases, args)
            tables.append(report(results, args))
    if args.repeat > 1:
        report_repeats(tables)
    load = os.getloadavg()
    print(f"load average after the bench: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
