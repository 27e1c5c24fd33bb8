"""Shared helpers for the bench scripts: Django set-up against the bench database, a gunicorn server, figures."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/accord_bench"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/8"


RUN_CACHE_PREFIX = f"bench-{secrets.token_hex(4)}"


def bench_env() -> dict[str, str]:
    """Environment for the bench: PostgreSQL and Redis on 127.0.0.1 unless DATABASE_URL/CELERY_BROKER_URL say else."""
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    env.setdefault("CELERY_BROKER_URL", DEFAULT_BROKER_URL)
    env.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
    # The cache entries of this run only (the programme fingerprint and fragments): the bench database may have been
    # emptied or recreated without the signals that drop them, since an earlier run filled them.
    env.setdefault("CACHE_KEY_PREFIX", RUN_CACHE_PREFIX)
    return env


def ensure_database(url: str) -> None:
    """Create the bench database if it does not exist (PostgreSQL only)."""
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    env = bench_env()
    os.environ.update(
        {k: env[k] for k in ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE", "CACHE_KEY_PREFIX")}
    )
    # One secret for this bench process and the servers and workers it starts: sessions, CSRF tokens and signed
    # badge codes made here are then valid there.
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    ensure_database(os.environ["DATABASE_URL"])
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _static_stamp() -> str:
    """A fingerprint of the project's static files (names, sizes, times): collectstatic again when it changes."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "static").rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static(static_root: str, env: dict[str, str]) -> None:
    """collectstatic (manifest + compression, as in production) into ``static_root``, skipped when up to date:
    it takes 30 s or more on this machine."""
    stamp_file = Path(static_root) / ".bench-stamp"
    stamp = _static_stamp()
    if stamp_file.is_file() and stamp_file.read_text() == stamp and (Path(static_root) / "staticfiles.json").is_file():
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--clear", "-v", "0"], cwd=ROOT, env=env,
        check=True,
    )
    stamp_file.write_text(stamp)


class Server(str):
    """The base URL of a :func:`gunicorn_server` (a ``str``), with the master's ``pid``."""

    def __new__(cls, base: str, pid: int):
        value = super().__new__(cls, base)
        value.pid = pid
        return value

    @property
    def port(self) -> int:
        return int(self.rsplit(":", 1)[1])

    def worker_pids(self) -> list[int]:
        return child_pids(self.pid)


@contextlib.contextmanager
def gunicorn_server(*, workers: int = 4, threads: int = 1, extra_env: dict[str, str] | None = None):
    """Serve the app with gunicorn in production mode on 127.0.0.1; yield its base URL (a :class:`Server`, a str
    with the master's pid); stop it afterwards."""
    port = free_port()
    static_root = str(ROOT / "var" / "bench-static")
    env = bench_env()
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        SECURE_SSL_REDIRECT="0",
        BEHIND_TLS_PROXY="0",
        STATIC_ROOT=static_root,
        # The bench's staff account has no TOTP device; two-factor is tested in the suite.
        ACCORD_REQUIRE_STAFF_MFA="0",
        LOG_LEVEL="WARNING",
    )
    env.update(extra_env or {})
    python = sys.executable
    collect_static(static_root, env)
    server = subprocess.Popen(
        [
            str(Path(python).parent / "gunicorn"),
            "conference.wsgi:application",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers),
            "--threads", str(threads),
            # Each worker listens on its own socket (SO_REUSEPORT): the kernel spreads new connections over the
            # workers. On one shared socket, whichever worker wakes first accepts: 16 kept-alive connections
            # opened at once can all land on one worker, leaving the other core idle (seen here).
            "--reuse-port",
            "--log-level", "warning",
            # No access log unless asked for (formatting lines for /dev/null would cost CPU a request).
            *(["--access-logfile", "-"] if os.environ.get("BENCH_ACCESS_LOG") else []),
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    kind = "gthread" if threads > 1 else "sync"
    print(f"gunicorn: {workers} {kind} worker(s) x {threads} thread(s) on {base} (DEBUG off, PostgreSQL, Redis cache)")
    try:
        # Ready when every worker has loaded the app: the port accepts connections as soon as the master
        # listens, long before a worker can answer. /healthz also checks PostgreSQL and Redis.
        deadline = time.monotonic() + 120
        answered = 0
        while answered < workers:
            if server.poll() is not None:
                raise RuntimeError("gunicorn exited during start-up")
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer /healthz within 120 s")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=30) as response:  # nosec B310: our own http://127.0.0.1 URL
                    answered += response.status == 200
            except OSError:
                time.sleep(0.2)
        yield Server(base, server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(name: str, latencies: list[float], errors: int, seconds: float) -> str:
    count = len(latencies)
    rate = count / seconds if seconds else 0.0
    p50 = percentile(latencies, 0.50) * 1000
    p95 = percentile(latencies, 0.95) * 1000
    mean = statistics.fmean(latencies) * 1000 if latencies else float("nan")
    return (
        f"{name}: {count} requests in {seconds:.1f} s = {rate:.0f}/s; p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"mean {mean:.1f} ms; errors {errors}"
    )


# --- a local SMTP sink and a real Celery worker (bench/invitations.py and tests/faults) ---------------------------


class SmtpSink:
    """aiosmtpd handler that keeps every message it accepts: the outside world of a bench or a fault test.

    ``gate``: while cleared, each new delivery waits at the RCPT command (before the message is accepted, as a
    real server would); ``waiting`` counts them. A client that has gone by then delivers nothing.
    """

    def __init__(self) -> None:
        import threading

        self.lock = threading.Lock()
        self.messages: list[tuple[tuple[str, ...], bytes]] = []
        self.gate = threading.Event()
        self.gate.set()
        self.waiting = 0
        self.first_at: float | None = None
        self.last_at: float | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd hook)
        import asyncio

        if not self.gate.is_set():
            with self.lock:
                self.waiting += 1
            try:
                while not self.gate.is_set():
                    await asyncio.sleep(0.02)
            finally:
                with self.lock:
                    self.waiting -= 1
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook)
        now = time.monotonic()
        with self.lock:
            self.messages.append((tuple(envelope.rcpt_tos), envelope.content))
            self.first_at = self.first_at or now
            self.last_at = now
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def per_recipient(self) -> dict[str, int]:
        import collections

        with self.lock:
            return dict(collections.Counter(rcpt for rcpts, _content in self.messages for rcpt in rcpts))


@contextlib.contextmanager
def smtp_sink(port: int | None = None):
    """Start an :class:`SmtpSink` on 127.0.0.1 (``port`` or a free one); yield ``(sink, port)``."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
    sink = SmtpSink()
    port = port or free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


def worker_env(*, database_url: str, broker_url: str, smtp_port: int | None = None, **extra: str) -> dict[str, str]:
    """The environment of a worker subprocess: our database and broker, e-mail to the local sink."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="conference.settings",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        CACHE_URL=broker_url,
        SITE_URL="https://accord.example.org",
        LOG_LEVEL="WARNING",
    )
    # A worker started by a test gets a cache of its own (the test database is emptied between tests, which drops
    # no cache entry); one started by a bench shares the bench's.
    env.setdefault("CACHE_KEY_PREFIX", f"worker-{secrets.token_hex(4)}")
    if smtp_port is not None:
        env.update(
            EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp_port), EMAIL_USE_TLS="0", EMAIL_USE_SSL="0",
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_TIMEOUT="10",
        )
    env.update(extra)
    return env


class Worker:
    """A ``celery -A conference worker`` subprocess in its own process group (so it can be killed whole)."""

    def __init__(self, env: dict[str, str], *, queue: str = "celery", concurrency: int = 2, pool: str = "prefork",
                 name: str = "accord-bench"):
        import threading

        self.lines: list[str] = []
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("celery")), "-A", "conference", "worker", "-l", "info",
             "-Q", queue, "--concurrency", str(concurrency), "--pool", pool, "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-n", f"{name}-{os.getpid()}-{time.monotonic_ns()}@%h"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip())
            if " ready." in line:
                self.ready.set()

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.ready.wait(0.2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("celery worker did not start:\n" + self.tail())

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.lines[-lines:])

    def kill(self) -> None:
        """SIGKILL the whole process group: the main process and every pool child, no warm shutdown."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """Warm shutdown (SIGTERM), then SIGKILL for whatever is left of the group."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        self.kill()


# --- CPU accounting: what a request costs the server, whatever else runs on the machine ------------------------


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def connections_by_process(pids: list[int], port: int) -> list[int]:
    """How many established TCP connections on local ``port`` each of ``pids`` holds (from /proc), in that order:
    which worker the kernel gave the client's kept-alive connections to."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # 01: ESTABLISHED
                    inodes.add(fields[9])
    counts = []
    for pid in pids:
        held = 0
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    link = os.readlink(fd)
                    held += link.startswith("socket:[") and link[8:-1] in inodes
        counts.append(held)
    return counts


def child_pids(pid: int) -> list[int]:
    pids = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            pids += [int(child) for child in (task / "children").read_text().split()]
    return pids


def postgres_backend_pids(database: str) -> list[int]:
    """The PostgreSQL server processes serving ``database`` (the gunicorn workers' connections)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
        )
        return [row[0] for row in cursor.fetchall()]


class CpuMeter:
    """CPU seconds used by a set of processes between :meth:`start` and :meth:`stop` (from /proc).

    The set may change in the window: a process that appears counts from zero, and one that exits keeps what
    :meth:`sample` last read of it (its time after that is lost). Call :meth:`sample` every fraction of a second
    when processes come and go: Django closes a database connection after ``CONN_MAX_AGE`` (60 s) and opens
    another, and the PostgreSQL backend that served it exits with its CPU time.
    """

    def __init__(self, pids_function):
        self.pids_function = pids_function
        self.before: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.used = 0.0
        #: CPU seconds of each process over the window, largest first.
        self.shares: list[float] = []

    def start(self) -> None:
        self.before = {pid: _cpu_seconds(pid) for pid in self.pids_function()}
        self.last = dict(self.before)

    def sample(self) -> None:
        for pid in self.pids_function():
            # A process gone since it was listed reads 0: keep what was read of it before.
            self.last[pid] = max(self.last.get(pid, 0.0), _cpu_seconds(pid))

    def stop(self) -> float:
        self.sample()
        self.shares = sorted((max(0.0, value - self.before.get(pid, 0.0)) for pid, value in self.last.items()),
                             reverse=True)
        self.used = sum(self.shares)
        return self.used
