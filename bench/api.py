"""API bench: badge scans through ``POST /api/v1/scans/`` with device tokens, at a fixed rate offered.

    python bench/api.py [--rate 50] [--seconds 10] [--warmup 2] [--devices 5] [--clients 16] [--workers 2]
                        [--threads 4] [--resend 0.05] [--quick]

The app runs under gunicorn in production mode (``bench/common.py``) on PostgreSQL and Redis. ``--devices``
check-in devices are made, enrolled with their one-time codes and given tokens through the services, as an
organizer and a phone would; the desk's check-ins and the devices' scans are reset first, so each badge answers
``ok`` once. The client is plain threads in this process (an open loop): a scheduler hands out one scan every
1/``--rate`` seconds, whatever the answers, taking the devices in turn, to ``--clients`` threads, each with its own
kept-alive HTTP connection. A share ``--resend`` of the scans is a resend of an earlier scan of the same device
with the same nonce (a device that got no answer): it must answer the first answer again, counting nothing twice.

Printed, for the measured window (after ``--warmup`` seconds not counted): scans answered a second beside the
rate offered, p50 / p95 of the answers (from the moment each scan was due, so a queue in the client counts too)
beside the target, errors (anything but a 200 with a known result), the answers by result, and the server's CPU
per scan (gunicorn workers and their PostgreSQL backends, from /proc). After the run, the database is read: one
check-in per badge answered ``ok``, none twice. ``--quick`` is the smoke mode of the suite
(``tests/test_bench_smoke.py``): 3 s at 20 scans a second, one worker. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import http.client
import json
import os
import queue
import random
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

from bench.common import CpuMeter, gunicorn_server, percentile, postgres_backend_pids  # noqa: E402
from bench.load import prepare, reset_desk  # noqa: E402

TARGETS = {"p95_ms": 100.0, "achieved_share": 0.97}
SCAN_PATH = "/api/v1/scans/"
DEVICE_NAME = "Bench scanner {index}"


def make_devices(conference_id: int, count: int) -> tuple[list[str], list[int]]:
    """``count`` desk devices of the conference (made once, kept between runs), each enrolled anew: a bearer
    token each, made by the services (``api.services``) as the admin and a phone would."""
    from django.contrib.auth import get_user_model

    from api.models import Device
    from api.services import device_enroll, device_save, enrollment_create
    from conference.models import Conference

    conference = Conference.objects.get(pk=conference_id)
    organizer = get_user_model().objects.filter(is_staff=True).order_by("pk").first()
    tokens, ids = [], []
    for index in range(count):
        name = DEVICE_NAME.format(index=index + 1)
        device = Device.objects.filter(conference=conference, name=name).first()
        if device is None:
            device = device_save(Device(conference=conference, name=name, at_desk=True), actor=organizer, doors=[])
        made = enrollment_create(device, actor=organizer)
        _row, token = device_enroll(code=made.code, label="bench")
        tokens.append(token)
        ids.append(device.pk)
    return tokens, ids


def reset_scans(device_ids: list[int]) -> None:
    """No scan recorded by the bench devices: each badge of the run answers ``ok`` once."""
    from api.models import DeviceScan

    DeviceScan.objects.filter(device_id__in=device_ids).delete()


class Scanner(threading.Thread):
    """One client thread: takes due scans from the queue and posts them on its own kept-alive connection."""

    def __init__(self, base: str, jobs: queue.Queue, results: list, lock: threading.Lock):
        super().__init__(daemon=True)
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.jobs, self.results, self.lock = jobs, results, lock
        self.connection = None

    def _post(self, token: str, body: bytes) -> tuple[int, bytes]:
        for attempt in range(2):  # a kept-alive connection the server closed meanwhile: one new connection
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.connection.request("POST", SCAN_PATH, body=body, headers={
                    "Authorization": f"Bearer {token}", "Content-Type": "application/json",
                    "Accept": "application/json"})
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def run(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                return
            due, token, body, kind = job
            try:
                status, content = self._post(token, body)
                answer = json.loads(content) if status == 200 else {}
            except (OSError, http.client.HTTPException, ValueError) as error:
                status, answer = 0, {"error": str(error)}
            done = time.perf_counter()
            with self.lock:
                self.results.append((due, done - due, status, answer, kind))


def run_scans(base: str, tokens: list[str], codes: list[str], *, rate: float, seconds: float, warmup: float,
              clients: int, resend: float) -> tuple[list, float]:
    """Offer ``rate`` scans a second for ``warmup + seconds``; returns every result and the start of the
    measured window (``time.perf_counter()``)."""
    jobs: queue.Queue = queue.Queue()
    results: list = []
    lock = threading.Lock()
    threads = [Scanner(base, jobs, results, lock) for _ in range(clients)]
    for thread in threads:
        thread.start()
    chooser = random.Random(19)  # the same run each time  # nosec B311: not for security
    sent: dict[int, list[bytes]] = collections.defaultdict(list)
    started = time.perf_counter()
    total = int(rate * (warmup + seconds))
    next_code = 0
    for index in range(total):
        due = started + index / rate
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        device = index % len(tokens)
        if sent[device] and chooser.random() < resend:
            body, kind = chooser.choice(sent[device]), "resend"
        else:
            code = codes[next_code % len(codes)]
            next_code += 1
            body = json.dumps({
                "code": code, "nonce": f"bench-{index}-{chooser.getrandbits(32):08x}", "point": "desk",
                "scanned_at": datetime.datetime.now(datetime.UTC).isoformat(),
            }).encode()
            sent[device].append(body)
            kind = "scan"
        jobs.put((due, tokens[device], body, kind))
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join(timeout=60)
    return results, started + warmup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=50.0, help="scans a second offered (default 50)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="uncounted seconds first (default 2)")
    parser.add_argument("--devices", type=int, default=5, help="devices scanning, each its own token (default 5)")
    parser.add_argument("--clients", type=int, default=16, help="client threads (connections), default 16")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2: one per core)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    parser.add_argument("--resend", type=float, default=0.05, help="share of scans resent with their nonce")
    parser.add_argument("--quick", action="store_true", help="smoke run: 3 s at 20/s, 2 devices, one worker")
    args = parser.parse_args(argv)
    if args.quick:
        args.rate, args.seconds, args.warmup, args.devices, args.clients, args.workers = 20.0, 3.0, 0.5, 2, 4, 1
    load = os.getloadavg()
    print(f"load average before the bench: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (other work shares the CPUs)")
    badges = int(args.rate * (args.seconds + args.warmup) * 1.2) + 10
    plan = prepare(0, 0, badges)
    reset_desk(plan)
    tokens, device_ids = make_devices(plan.conference_id, args.devices)
    reset_scans(device_ids)
    print(f"{len(tokens)} devices enrolled, {len(plan.codes)} approved badges", flush=True)

    from django.db import connection

    database = connection.settings_dict["NAME"]
    connection.close()  # the server's workers use the database from here on
    with gunicorn_server(workers=args.workers, threads=args.threads) as server:
        app_meter = CpuMeter(server.worker_pids)
        db_meter = CpuMeter(lambda: postgres_backend_pids(database))
        sampler_stop = threading.Event()

        def sample() -> None:
            while not sampler_stop.wait(0.5):
                app_meter.sample()
                db_meter.sample()

        timer = threading.Timer(args.warmup, lambda: (app_meter.start(), db_meter.start()))
        timer.start()
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        client_before = time.process_time()
        results, window_start = run_scans(server, tokens, plan.codes, rate=args.rate, seconds=args.seconds,
                                          warmup=args.warmup, clients=args.clients, resend=args.resend)
        client_cpu = time.process_time() - client_before
        sampler_stop.set()
        app_cpu, db_cpu = app_meter.stop(), db_meter.stop()

    measured = [r for r in results if r[0] >= window_start]
    window = max((r[0] + r[1] for r in measured), default=window_start) - window_start
    window = max(window, args.seconds)
    good = [r for r in measured if r[2] == 200 and r[3].get("result")]
    errors = [r for r in measured if not (r[2] == 200 and r[3].get("result"))]
    latencies = [r[1] for r in good]
    by_result = collections.Counter(r[3]["result"] for r in good if r[4] == "scan")
    resends = [r for r in good if r[4] == "resend"]
    achieved = len(good) / window if window else 0.0
    p50, p95 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.95) * 1000
    app_ms = app_cpu / len(measured) * 1000 if measured else float("nan")
    db_ms = db_cpu / len(measured) * 1000 if measured else float("nan")
    per_scan = app_ms + db_ms

    from onsite.models import CheckIn

    ok_codes = [r for r in results if r[2] == 200 and r[3].get("result") == "ok" and not r[3].get("duplicate")]
    checked_in = CheckIn.objects.filter(conference_id=plan.conference_id, result="ok").count()
    duplicates_marked = sum(1 for r in resends if r[3].get("duplicate"))

    title = (f"api scans ({args.devices} devices, {args.clients} client threads, gunicorn {args.workers} x "
             f"{args.threads}, {args.rate:g}/s offered for {args.seconds:g} s)")
    print(f"\n{title}:")
    rows = [
        (f"api scans answered/s ({args.rate:g}/s offered)", f"{achieved:.1f}",
         f">= {args.rate * TARGETS['achieved_share']:.1f}", achieved >= args.rate * TARGETS["achieved_share"]),
        (f"api scan p50 / p95 at {args.rate:g}/s", f"{p50:.1f} / {p95:.1f} ms", f"p95 <= {TARGETS['p95_ms']:.0f} ms",
         p95 <= TARGETS["p95_ms"]),
        ("api scan errors", str(len(errors)), "0", not errors),
        ("api answers", str(dict(sorted(by_result.items()))), "", None),
        # A resend may overtake its first sending (both in flight): then the first is the one marked duplicate.
        ("api resends (same nonce) / answered as duplicates", f"{len(resends)} / {duplicates_marked}", "", None),
        ("api check-ins recorded / badges answered ok", f"{checked_in} / {len(ok_codes)}", "equal",
         checked_in == len(ok_codes)),
        ("api server CPU/scan (app + db)", f"{per_scan:.1f} ms ({app_ms:.1f} + {db_ms:.1f})", "", None),
        # The client shares the machine's cores with the server: its own CPU over the whole run.
        ("api client CPU (this process)", f"{client_cpu:.1f} s in {args.warmup + args.seconds:g} s", "", None),
    ]
    for name, value, target, met in rows:
        verdict = "" if met is None else ("met" if met else "NOT met")
        print(f"  {name:<48} {value:>22}  {target:<16} {verdict}")
    for sample in errors[:5]:
        print(f"  error sample: status {sample[2]} {str(sample[3])[:200]}")
    load = os.getloadavg()
    print(f"load average after the bench: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
