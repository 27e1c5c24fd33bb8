"""The bench scripts run end to end (quick mode) against the test database and Redis: exit 0, figures printed.

No timing is asserted here: the figures are for ``make bench`` and the README.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.faults.conftest import worker_database_url

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def run_bench(script: str, timeout: float, *args: str) -> str:
    if not (settings.CELERY_BROKER_URL or "").startswith("redis://"):
        pytest.fail("The bench smoke tests need CELERY_BROKER_URL=redis://... and PostgreSQL (make test).")
    env = {**os.environ, "DATABASE_URL": worker_database_url(), "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
           # The test database is emptied between tests without the signals that drop the shared caches.
           "CACHE_KEY_PREFIX": f"smoke-{uuid.uuid4().hex[:12]}"}
    env.pop("DJANGO_SECRET_KEY", None)
    completed = subprocess.run(
        [sys.executable, f"bench/{script}", "--quick", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-4000:]
    print(output)
    return completed.stdout


def test_bench_load_quick_prints_figures_against_targets():
    out = run_bench("load.py", 180, "--repeat", "2")
    for figure in ("registration p95", "registration errors", "rush p95", "rush POST step p95", "rush errors",
                   "agenda requests/s", "check-in answered/s", "check-in p50 / p95 at", "check-in door scans p95",
                   "check-in errors", "check-in server CPU/request"):
        assert figure in out, out
    # Each phase's client is locust in a process of its own; every registration submit is the redirect to step 4.
    registration = out.split("registration step 3 POST (5 users, pause 0.2 s):")[1].split("\n")
    assert "errors 0" in registration[0] and "'saved'" in registration[0], out
    # Quick mode: one worker holding the 5 users' kept-alive connections, read from /proc in mid-phase.
    assert registration[1].rstrip().endswith("client connections by worker 5"), out
    # The rush walks the three pages; desks and the door scanner both answered.
    rush = out.split("registration rush (10 users, pauses 0.1-0.3 s):")[1].split("\n")
    assert all(page in rush[1] for page in ("GET step", "POST step", "GET status")), out
    checkin = out.split("check-in scans (4 desks + 1 doors, 20/s offered, poisson arrivals):")[1].split("\n")[0]
    assert "'desk ok'" in checkin and "'door ok'" in checkin, out
    # --repeat 2: both runs' figures side by side, and how many runs met each target.
    summary = out.split("2 runs: each figure run by run, and how many runs met its target")[1]
    assert out.count("registration step 3 POST (5 users, pause 0.2 s):") == 2, out
    for name in ("registration errors", "rush errors", "check-in errors"):
        line = next(line for line in summary.splitlines() if line.startswith(name))
        assert line.endswith("met in 2 of 2: 0, 0"), out


def test_bench_invitations_quick_delivers_each_once():
    out = run_bench("invitations.py", 90)
    assert "20 invitations: seconds" in out, out
    lines = {line.split("  ")[0].strip(): line.split() for line in out.splitlines() if line.strip()}
    assert lines["delivered"][1:3] == ["20", "20"], out
    assert lines["duplicates (same invitee twice)"][-2:] == ["0", "0"], out


def test_bench_scale_quick_measures_each_page_with_one_and_many_conferences():
    out = run_bench("scale.py", 600)
    assert "3 conferences × 20 participants against one" in out, out
    pages = ("admin list (filter)", "admin list (filter + search)", "dashboard", "export (CSV)", "desk search", "scan",
             "public day page", "focal-point portal")
    lines = {line.strip().split(":")[0]: line for line in out.splitlines() if line.startswith("  ") and ": p50 " in line}
    assert sorted(lines) == sorted(pages), out
    for page in pages:
        # The same number of queries with three conferences as with one: no query grows with the other meetings.
        assert "target equal met" in lines[page], lines[page]


def test_bench_badges_quick_prints_every_figure_beside_its_target():
    out = run_bench("badges.py", 300, "--database", worker_database_url(), "--broker", settings.CELERY_BROKER_URL)
    for figure in ("pre-rendered batch of 20:", "cold batch of 20, 2 workers:", "desk badge: pre-rendered",
                   "peer (reportlab) 20 badges:", "worker peak RSS: chunk task",
                   "worker peak RSS: batch file of 20 pages", "worker peak RSS: batch file of 40 pages",
                   "worker peak RSS 40 / 20 pages"):
        assert figure in out, out
    assert "target <= 0.5 s" in out and "target >= 5x" in out and "target <= peer" in out, out
    # The cold batch's chunks were taken by both workers.
    by_worker = next(line for line in out.splitlines() if line.startswith("cold batch pages by worker: "))
    counts = [int(part.rsplit(": ", 1)[1]) for part in by_worker.split(": ", 1)[1].split(", ")]
    assert len(counts) == 2 and sum(counts) == 20, out
    # The larger batch file was merged in a child process (over ACCORD_BADGE_MERGE_IN_PROCESS, 20 here).
    assert "batch file of 40 pages" in out and "merged in a child process, the child's peak" in out, out


def test_bench_api_quick_scans_through_the_api_counting_each_badge_once():
    out = run_bench("api.py", 600)
    for figure in ("api scans answered/s (20/s offered)", "api scan p50 / p95 at 20/s", "api scan errors",
                   "api answers", "api server CPU/scan"):
        assert figure in out, out
    lines = {line.strip().split("  ")[0]: line for line in out.splitlines() if line.startswith("  api ")}
    assert lines["api scan errors"].split()[3:5] == ["0", "0"], out
    # Every scan reached the check-in service through the device tokens; resends counted nothing twice.
    assert "'ok':" in lines["api answers"], out
    recorded, answered = lines["api check-ins recorded / badges answered ok"].split("ok", 1)[1].split()[0:3:2]
    assert recorded == answered and int(recorded) > 0, out
