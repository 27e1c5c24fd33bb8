"""The load bench's client: one phase of bench/load.py driven by locust (used as a library), in its own process.

    python bench/locustfile.py PLAN.json RESULT.json

bench/load.py prepares the sessions and badge codes, starts gunicorn, then runs this script once a phase with the
plan in a JSON file; it reads the result back from RESULT.json. A process of its own because locust's gevent
monkey-patches the standard library when it is imported: that must come before anything else is imported, and
the bench process itself runs Django and psycopg (the preparation and the CPU meters), which must stay unpatched.
Nothing of the project is imported here.

The plan (all keys required unless said):

* ``host``: ``http://127.0.0.1:PORT`` (nothing else is accepted: the bench only loads its own server);
* ``phase``: ``registration`` (step-3 POSTs with a pause), ``rush`` (each user walks GET step, POST step, GET
  status with a pause before each page), ``agenda`` (anonymous day page GETs, no pause) or ``checkin`` (desk and
  door scanners: people arrive at each scanner independently, gaps drawn from an exponential distribution, a
  Poisson stream of ``rate / scanners`` a second; ``arrivals: "constant"`` paces each scanner at a constant rate
  instead);
* ``users``, ``warmup``, ``seconds``; ``pause``: ``[min, max]`` seconds between two pages of a user (optional);
* ``cookies``: one ``{"session": ..., "csrf": ...}`` per user (registration, rush, check-in);
* ``paths``: ``step``, ``next_step``, ``status``, ``agenda``, ``desk_scan``, ``door_scan`` as the phase needs;
* ``codes``, ``desks``, ``doors``, ``rate`` (scans a second, all scanners together), ``arrivals`` (``poisson``,
  the default, or ``constant``) for the check-in.

Timing: users arrive over the first part of ``warmup``; requests answered then are not counted. The script prints
``window-start``, ``window-mid`` and ``window-stop`` (one line each, flushed) when the measured window opens, is
half-way and closes, so that bench/load.py reads the server's CPU over the same window; then every user is
stopped, the result written and the process exits: it never runs longer than ``warmup + seconds`` and a grace.
A request counts when it started and ended inside the window; a latency is locust's response time (from the
request being sent to the whole answer read). A request fails on an unexpected status, body or answer.
"""

from __future__ import annotations

# locust (gevent) patches the standard library as it is imported: before anything else.
import locust  # noqa: F401,I001  isort: skip
import gevent  # isort: skip

import datetime
import itertools
import json
import os
import random
import sys
import time
import uuid
from collections import Counter, defaultdict

from locust import FastHttpUser, SequentialTaskSet, between, constant, constant_throughput, task
from locust.env import Environment
from locust.log import setup_logging

#: A user's connection: kept alive, one request at a time; a request that takes longer is an error.
NETWORK_TIMEOUT = 30.0
#: How long after the window closed the process may still be alive before it exits anyway.
GRACE_SECONDS = 20.0


class Recorder:
    """The requests of the measured window: each latency (ms) by request name, errors and outcomes."""

    def __init__(self) -> None:
        self.counting = False
        self.opened_at = 0.0  # time.time() when the window opened (locust's start_time is epoch seconds)
        self.window_seconds = 0.0
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.outcomes: Counter[str] = Counter()
        self.error_samples: list[str] = []

    def on_request(self, request_type, name, response_time, response_length, exception=None, start_time=None,
                   **_kwargs) -> None:
        if not self.counting or (start_time or 0) < self.opened_at:
            return
        if exception is None:
            self.latencies[name].append(response_time)
        else:
            self.errors[name] += 1
            if len(self.error_samples) < 5:
                self.error_samples.append(f"{request_type} {name}: {exception}"[:300])

    def outcome(self, label: str) -> None:
        if self.counting:
            self.outcomes[label] += 1


def _cookie_header(cookies: dict[str, str]) -> str:
    # Sent by hand: the server's cookies are Secure and this is plain HTTP to 127.0.0.1. A Cookie header of the
    # request's own keeps locust's cookie jar out of it.
    return f"sessionid={cookies['session']}; csrftoken={cookies['csrf']}"


def build_user_classes(plan: dict, recorder: Recorder) -> list[type]:
    """The locust user classes of the plan's phase."""
    phase = plan["phase"]
    paths = plan.get("paths", {})
    cookies = plan.get("cookies", [])
    pause = plan.get("pause")
    user_numbers = itertools.count()
    diets = ["Vegetarian", "Halal", "No nuts", "Gluten-free", "", "Vegan; no sesame"]
    answers = plan.get("answers", {})

    class BenchUser(FastHttpUser):
        abstract = True
        host = plan["host"]
        network_timeout = NETWORK_TIMEOUT
        connection_timeout = 10.0
        wait_time = between(*pause) if pause else constant(0)

        def on_start(self) -> None:
            self.number = next(user_numbers)
            self.cookies = cookies[self.number % len(cookies)] if cookies else None
            self.n = 0

        def headers(self, **extra: str) -> dict[str, str]:
            return {"Cookie": _cookie_header(self.cookies), **extra} if self.cookies else dict(extra)

        def post_step(self) -> None:
            """Step 3 of the registration form: a success is the redirect to step 4."""
            data = {
                "csrfmiddlewaretoken": self.cookies["csrf"],
                "dietary_needs": diets[(self.number + self.n) % len(diets)],
                "accessibility_needs": "Step-free access" if self.n % 2 else "",
                **answers,
            }
            self.n += 1
            with self.client.post(paths["step"], data=data, headers=self.headers(), allow_redirects=False,
                                  name="POST step", catch_response=True) as response:
                location = (response.headers or {}).get("location", "")
                if response.status_code == 302 and location.endswith(paths["next_step"]):
                    response.success()
                    recorder.outcome("saved")
                else:
                    response.failure(f"HTTP {response.status_code} Location={location!r}")
                    recorder.outcome(f"HTTP {response.status_code}")

        def get_page(self, path: str, name: str) -> None:
            with self.client.get(path, headers=self.headers(), allow_redirects=False, name=name,
                                 catch_response=True) as response:
                if response.status_code == 200 and b"</html>" in (response.content or b""):
                    response.success()
                    recorder.outcome(f"{name} 200")
                else:
                    response.failure(f"HTTP {response.status_code}")
                    recorder.outcome(f"{name} HTTP {response.status_code}")

    if phase == "registration":
        class Registrant(BenchUser):
            @task
            def submit(self) -> None:
                self.post_step()

        return [Registrant]

    if phase == "rush":
        class Walk(SequentialTaskSet):
            """One participant's visit: the step's page, its submission, the status page; a pause before each."""

            def on_start(self) -> None:
                # Participants come back at any moment: the first page after a pause of its own, so that the
                # users do not move in step.
                gevent.sleep(random.uniform(0, pause[1]) if pause else 0)

            @task
            def step_page(self) -> None:
                self.user.get_page(paths["step"], "GET step")

            @task
            def step_submit(self) -> None:
                self.user.post_step()

            @task
            def status_page(self) -> None:
                self.user.get_page(paths["status"], "GET status")

        class Participant(BenchUser):
            tasks = [Walk]

        return [Participant]

    if phase == "agenda":
        class Visitor(BenchUser):
            @task
            def day_page(self) -> None:
                self.get_page(paths["agenda"], "GET day")

        return [Visitor]

    if phase == "checkin":
        codes = plan["codes"]
        desk_codes = itertools.count()  # desks from the first code on, doors from the last one back
        door_codes = itertools.count(1)
        scanners = plan["desks"] + plan["doors"]
        per_scanner = plan["rate"] / scanners

        poisson = plan.get("arrivals", "poisson") == "poisson"
        constant_pacing = constant_throughput(per_scanner)

        class Scanner(BenchUser):
            abstract = True
            path = ""
            kind = ""

            def on_start(self) -> None:
                super().on_start()
                gevent.sleep(random.uniform(0, 1 / per_scanner))  # the scanners do not scan in step
                self.next_scan = time.monotonic()

            def wait_time(self) -> float:
                """Until this scanner's next arrival. Poisson: the arrival times are drawn ahead (exponential gaps,
                whatever the answers took), so a slow answer neither delays the later arrivals nor lines the
                scanners up. Constant: every ``1 / per_scanner`` seconds; after a stall (a cold server's first
                answers) all the scanners come back in step and stay so: bursts of one scan a scanner."""
                if not poisson:
                    return constant_pacing(self)
                self.next_scan += random.expovariate(per_scanner)
                return max(0.0, self.next_scan - time.monotonic())

            def code(self) -> str:
                raise NotImplementedError

            @task
            def scan(self) -> None:
                payload = {
                    "code": self.code(), "client_id": uuid.uuid4().hex, "device": f"bench-{self.kind}-{self.number}",
                    "scanned_at": datetime.datetime.now(datetime.UTC).isoformat(),
                }
                headers = self.headers(**{"X-CSRFToken": self.cookies["csrf"]})
                with self.client.post(self.path, json=payload, headers=headers, name=f"POST {self.kind} scan",
                                      allow_redirects=False, catch_response=True) as response:
                    answer = {}
                    if response.status_code == 200:
                        try:
                            answer = response.json()
                        except ValueError:
                            answer = {}
                    result = answer.get("result")
                    recorder.outcome(f"{self.kind} {result or f'HTTP {response.status_code}'}")
                    if result in ("ok", "already"):
                        response.success()
                    else:
                        response.failure(f"HTTP {response.status_code} {str(answer)[:200]}")

        class Desk(Scanner):
            fixed_count = plan["desks"]
            path = paths["desk_scan"]
            kind = "desk"

            def code(self) -> str:
                return codes[next(desk_codes) % len(codes)]

        class Door(Scanner):
            fixed_count = plan["doors"]
            path = paths.get("door_scan", "")
            kind = "door"

            def code(self) -> str:
                return codes[-next(door_codes) % len(codes)]

        return [Desk, Door] if plan["doors"] else [Desk]

    raise SystemExit(f"unknown phase {phase!r}")


def run(plan: dict) -> dict:
    if not plan["host"].startswith("http://127.0.0.1:"):
        raise SystemExit("the bench only loads a server on 127.0.0.1")
    setup_logging("WARNING")
    recorder = Recorder()
    user_classes = build_user_classes(plan, recorder)
    env = Environment(user_classes=user_classes, host=plan["host"])
    env.events.request.add_listener(recorder.on_request)
    runner = env.create_local_runner()
    users, warmup, seconds = plan["users"], plan["warmup"], plan["seconds"]
    # Users arrive over the first half of the warm-up, at most 100 a second (locust's advice).
    spawn_rate = min(100.0, max(1.0, users / max(0.1, warmup / 2)))
    stats_at_open: dict = {}

    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def open_window() -> None:
        env.stats.reset_all()
        recorder.opened_at = time.time()
        recorder.counting = True
        stats_at_open["perf"] = time.perf_counter()
        stats_at_open["users"] = runner.user_count
        say("window-start")

    def close_window() -> None:
        recorder.counting = False
        recorder.window_seconds = time.perf_counter() - stats_at_open["perf"]
        say("window-stop")
        runner.quit()

    def give_up() -> None:  # the runner did not stop by itself: never outlive the bench
        say("client: did not stop in time, exiting")
        os._exit(3)

    runner.start(users, spawn_rate=spawn_rate)
    gevent.spawn_later(warmup, open_window)
    gevent.spawn_later(warmup + seconds / 2, say, "window-mid")
    gevent.spawn_later(warmup + seconds, close_window)
    gevent.spawn_later(warmup + seconds + GRACE_SECONDS, give_up)
    runner.greenlet.join()
    total = env.stats.total
    return {
        "phase": plan["phase"],
        "seconds": recorder.window_seconds,
        "users": stats_at_open.get("users", 0),
        "latencies_ms": dict(recorder.latencies),
        "errors": dict(recorder.errors),
        "outcomes": dict(recorder.outcomes),
        "error_samples": recorder.error_samples,
        # locust's own figures over the window (its percentiles are rounded to whole milliseconds)
        "locust": {
            "requests": total.num_requests, "failures": total.num_failures,
            "p50_ms": total.get_response_time_percentile(0.5), "p95_ms": total.get_response_time_percentile(0.95),
        },
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as plan_file:
        plan = json.load(plan_file)
    result = run(plan)
    with open(argv[2], "w", encoding="utf-8") as result_file:
        json.dump(result, result_file)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
