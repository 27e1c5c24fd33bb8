"""A real Celery worker on Redis sends invitations to a local SMTP sink: exactly one e-mail per invitee,
even though every sending task is enqueued twice."""

import collections
import email
import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from registration.models import Invitation
from registration.services.invitations import hash_token, invitation_create
from registration.tasks.invitations import send_invitation_task
from tests.factories import ConferenceFactory, DelegationFactory

ROOT = Path(__file__).resolve().parents[2]
INVITEES = 20


class Sink:
    """An SMTP server that keeps every message it accepts (the outside world, for the test)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        with self.lock:
            self.messages.append((tuple(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.messages)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_database_url() -> str:
    params = connection.settings_dict
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


def _other_task_results(broker: str, *, exclude: set[str], expected: int) -> list:
    """The return values the result backend holds for tasks other than ``exclude`` (waits for ``expected``)."""
    import json

    import redis

    client = redis.Redis.from_url(broker)
    deadline = time.monotonic() + 10
    while True:
        metas = [json.loads(client.get(key)) for key in client.scan_iter("celery-task-meta-*")]
        others = [meta for meta in metas if meta["task_id"] not in exclude]
        if len(others) >= expected or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(others) == expected, others
    assert {meta["status"] for meta in others} == {"SUCCESS"}, others
    return [meta["result"] for meta in others]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_sends_each_invitation_once_when_tasks_run_twice():
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis://") or connection.vendor != "postgresql":
        pytest.fail("This test needs CELERY_BROKER_URL=redis://... and DATABASE_URL=postgres://... (make test).")
    import redis

    redis.Redis.from_url(broker).flushdb()  # this run's own Redis database: no stale tasks

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "CELERY_BROKER_URL": broker,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "SITE_URL": "https://accord.example.org",
        "DB_CONN_MAX_AGE": "0",
        "CACHE_KEY_PREFIX": f"worker-{uuid.uuid4().hex[:12]}",
    }
    worker = subprocess.Popen(
        [str(Path(sys.executable).with_name("celery")), "-A", "conference", "worker", "-l", "warning",
         "--concurrency", "2", "--pool", "prefork", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-n", f"accord-test-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    started = time.monotonic()
    try:
        conference = ConferenceFactory(slug="sharm2023")
        delegation = DelegationFactory(conference=conference, code="EGY")
        invitations, duplicates = [], []
        for i in range(INVITEES):
            # invitation_create queues its task on commit (autocommit here: at once); the duplicate follows it
            # directly in the queue, so the two worker processes pick both up together and race for the row.
            invitation = invitation_create(conference, email=f"invitee{i:02d}@example.org", delegation=delegation,
                                           language=("ar", "fr", "en")[i % 3])
            invitations.append(invitation)
            duplicates.append(send_invitation_task.delay(invitation_id=invitation.pk, generation=1))
        outcomes = [result.get(timeout=25) for result in duplicates]
        print("duplicate outcomes", collections.Counter(outcomes))
        deadline = time.monotonic() + 25
        while time.monotonic() < deadline:
            queued = redis.Redis.from_url(broker).llen("celery")
            if sink.count() >= INVITEES and queued == 0:
                break
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.2)
        time.sleep(1.0)  # any straggler would have delivered by now

        per_invitee = collections.Counter(rcpt for rcpts, _content in sink.messages for rcpt in rcpts)
        assert sorted(per_invitee) == sorted(i.email for i in invitations)
        assert set(per_invitee.values()) == {1}, per_invitee
        assert sink.count() == INVITEES
        # Each invitee's two tasks (the one invitation_create queued, the duplicate) race for the row: exactly
        # one sends and returns True, the other finds the work claimed and returns False. The originals' answers
        # are read from the result backend (this run's own Redis database, flushed above).
        assert all(isinstance(outcome, bool) for outcome in outcomes), outcomes
        originals = _other_task_results(broker, exclude={result.id for result in duplicates}, expected=INVITEES)
        assert all(isinstance(outcome, bool) for outcome in originals), originals
        assert (outcomes + originals).count(True) == INVITEES
        assert (outcomes + originals).count(False) == INVITEES
        for rcpts, content in sink.messages:
            message = email.message_from_bytes(content)
            text = next(part for part in message.walk() if part.get_content_type() == "text/plain")
            body = text.get_payload(decode=True).decode()
            token = re.search(r"https://accord\.example\.org/invite/([A-Za-z0-9_\-]+)/", body).group(1)
            invitation = Invitation.objects.get(email=rcpts[0])
            assert invitation.token_hash == hash_token(token)
            assert (invitation.send_count, invitation.sent_generation, invitation.status) == (1, 1, "sent")
        assert time.monotonic() - started < 30
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)
        controller.stop()
