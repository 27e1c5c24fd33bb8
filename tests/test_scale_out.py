"""Scale-out as the README's "Scaling out" section describes it: two gunicorn web processes and two Celery workers
on one PostgreSQL database and one Redis. A badge batch started through one web process is rendered by the
workers and followed and downloaded through the other; a request to attend (self-registration) posted through one
is shown on the status page by the other; its approval's e-mail is sent by a worker.

Every process is started in a process group of its own and the whole group is stopped in ``finally``.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import io
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pypdf
import pytest
from django.conf import settings

from bench.common import Worker, free_port, smtp_sink, worker_env
from onsite.models import BadgeBatch
from registration.enums import ParticipantStatus, RequestKind
from registration.models import Participant
from registration.services.participants import participant_approve
from tests.factories import (
    ConferenceFactory,
    DelegationFactory,
    ParticipantFactory,
    StaffFactory,
    UserFactory,
)
from tests.faults.conftest import worker_database_url

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
APPROVED = 6


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie jar and the requests of one person, sent to whichever web process the test names."""

    def __init__(self, session_key: str):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())
        self.session_key = session_key

    def request(self, base: str, path: str, data: dict | None = None) -> tuple[int, bytes, dict]:
        csrf = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        headers = {"Cookie": f"sessionid={self.session_key}" + (f"; csrftoken={csrf}" if csrf else "")}
        body = None
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": csrf}).encode()
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Referer": base + path})
        request = urllib.request.Request(base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=60) as response:  # nosec B310: our own http://127.0.0.1
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx/5xx
            with contextlib.closing(error):
                return error.code, error.read(), dict(error.headers)


def session_for(user) -> str:
    """A logged-in session stored as both web processes read it (cached_db: Redis, then PostgreSQL)."""
    import importlib

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def start_web(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "conference.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    return process, f"http://127.0.0.1:{port}"


def wait_healthy(process: subprocess.Popen, base: str, deadline: float) -> None:
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {process.stderr.read()[-2000:]}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:  # nosec B310
                if response.status == 200:
                    return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{base} did not answer /healthz")
        time.sleep(0.2)


def stop_group(process: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):  # pool children left behind by a master that died first
        os.killpg(process.pid, signal.SIGKILL)


def test_two_web_processes_and_two_workers_share_one_database_and_broker(tmp_path):
    broker = settings.CELERY_BROKER_URL or ""
    if not broker.startswith("redis://") or "postgres" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.fail("The scale-out test needs CELERY_BROKER_URL=redis://... and PostgreSQL (make test).")
    conference = ConferenceFactory(slug="sharm2023")
    delegation = DelegationFactory(conference=conference, code="EGY", seat_quota=3)
    for index in range(APPROVED):
        ParticipantFactory(conference=conference, delegation=delegation, status=ParticipantStatus.APPROVED,
                           first_name=f"Batch{index}", last_name="Member")
    staff = StaffFactory(username="desk@example.org", email="desk@example.org")
    requester = UserFactory(username="karim@example.org", email="karim@example.org")

    with smtp_sink() as (sink, smtp_port):
        common = worker_env(
            database_url=worker_database_url(), broker_url=broker, smtp_port=smtp_port,
            CACHE_KEY_PREFIX=f"scaleout-{secrets.token_hex(4)}", MEDIA_ROOT=str(tmp_path / "media"),
            DJANGO_SECRET_KEY=settings.SECRET_KEY, ACCORD_DEFAULT_CONFERENCE="sharm2023",
            ACCORD_REQUIRE_STAFF_MFA="0", DJANGO_DEBUG="1", ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="0", BEHIND_TLS_PROXY="0",
        )
        processes: list[subprocess.Popen] = []
        workers: list[Worker] = []
        try:
            workers = [Worker(common, name=f"scaleout{n}", concurrency=1) for n in range(2)]
            webs = [start_web(common) for _ in range(2)]
            processes = [process for process, _base in webs]
            deadline = time.monotonic() + 90
            for worker in workers:
                worker.wait_ready(timeout=max(1.0, deadline - time.monotonic()))
            for process, base in webs:
                wait_healthy(process, base, deadline)
            (_, web_a), (_, web_b) = webs
            # Sessions stored in the database (cached_db): both processes read them from there.
            desk, person = Browser(session_for(staff)), Browser(session_for(requester))

            # A badge batch: started through A, rendered by the workers, followed and downloaded through B.
            status, _body, _headers = desk.request(web_a, "/desk/batches/")
            assert status == 200
            status, _body, headers = desk.request(web_a, "/desk/batches/", {"delegation": "", "layout": "single"})
            assert status == 302, _body[-500:]
            batch = BadgeBatch.objects.get(conference=conference)
            assert batch.total == APPROVED
            state = {}
            while time.monotonic() < deadline + 60:
                status, body, _headers = desk.request(web_b, f"/desk/batches/{batch.pk}/status/")
                assert status == 200
                state = json.loads(body)
                if state["status"] in ("done", "failed"):
                    break
                time.sleep(0.3)
            assert state["status"] == "done", (state, workers[0].tail(), workers[1].tail())
            assert state["done"] == APPROVED
            status, pdf, headers = desk.request(web_b, state["download"])
            assert status == 200 and headers["Content-Type"] == "application/pdf"
            pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
            assert len(pages) == APPROVED
            assert sorted(re.findall(r"Batch\d", " ".join(page.extract_text() for page in pages))) == [
                f"Batch{index}" for index in range(APPROVED)
            ]

            # A request to attend: the form through A, the status page through B.
            status, _body, _headers = person.request(web_a, "/request/")
            assert status == 200
            status, _body, headers = person.request(web_a, "/request/", {
                "first_name": "Karim", "last_name": "Mansour", "position": "Inspector",
                "organization": "Border police", "reason": "I lead the unit on smuggling.", "category": "delegate",
                "delegation": str(delegation.pk),
            })
            assert status == 302 and headers["Location"].endswith("/register/"), _body[-800:]
            participant = Participant.objects.get(conference=conference, user=requester)
            assert (participant.source, participant.status) == (RequestKind.OPEN_REQUEST, ParticipantStatus.SUBMITTED)
            status, page, _headers = person.request(web_b, "/register/")
            assert status == 200 and "Karim" in page.decode()
            # Approved here: the decision e-mail is queued to the broker and sent by a worker to the SMTP sink.
            participant_approve(participant, actor=staff)
            while time.monotonic() < deadline + 90 and "karim@example.org" not in sink.per_recipient():
                time.sleep(0.2)
            assert sink.per_recipient().get("karim@example.org") == 1
        finally:
            for process in processes:
                stop_group(process)
            for worker in workers:
                worker.stop()
    assert all(process.poll() is not None for process in processes)
    assert all(worker.process.poll() is not None for worker in workers)

