"""A real Celery worker on Redis sends the follow-up reminders to a local SMTP sink: one e-mail per owner and
stage, although the beat task runs twice and each reminder task is also enqueued a second time."""

import collections
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from cooperation import services
from cooperation.models import FollowUp
from cooperation.tasks import queue_follow_up_reminders_task, send_follow_up_reminder_task
from tests.registration.test_worker_invitations import Sink, free_port, worker_database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_sends_each_reminder_once(world):
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis://") or connection.vendor != "postgresql":
        pytest.fail("This test needs CELERY_BROKER_URL=redis://... and DATABASE_URL=postgres://... (make test).")
    import redis

    redis.Redis.from_url(broker).flushdb()
    meeting = services.bilateral_request(
        conference=world.conference, requesting=world.a.delegation, invited=world.b.delegation, actor=world.a.focal,
        topic="Joint investigation teams", attendee_ids=[world.a.members[0].pk], languages=["ar", "fr"],
        slot_ids=[world.slots[0].pk])
    meeting, _warnings = services.bilateral_accept(meeting, actor=world.b.focal, slot_id=world.slots[0].pk)
    owners = [world.a.members[0], world.b.members[0], world.b.members[1]]
    follow_ups = [services.follow_up_save(FollowUp(meeting=meeting, kind="training", owner=owner), actor=world.a.focal)
                  for owner in owners]

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = {**os.environ, "DATABASE_URL": worker_database_url(), "CELERY_BROKER_URL": broker,
           "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "EMAIL_USE_TLS": "0",
           "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "SITE_URL": "https://accord.example.org",
           "DB_CONN_MAX_AGE": "0", "CACHE_KEY_PREFIX": f"worker-{uuid.uuid4().hex[:12]}"}
    worker = subprocess.Popen(
        [str(Path(sys.executable).with_name("celery")), "-A", "conference", "worker", "-l", "warning",
         "--concurrency", "2", "--pool", "prefork", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-n", f"accord-coop-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    emails = {owner.email for owner in owners}

    def reminders() -> list:
        # The meeting's own e-mails (request, confirmation) reach the focal points through the same worker.
        return [rcpt for rcpts, _content in list(sink.messages) for rcpt in rcpts if rcpt in emails]

    try:
        def wait_for(stage_field, expected):
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                done = FollowUp.objects.filter(**{f"{stage_field}__isnull": False}).count()
                if done == len(follow_ups) and len(reminders()) >= expected and redis.Redis.from_url(broker).llen("celery") == 0:
                    return
                assert worker.poll() is None, worker.stdout.read()
                time.sleep(0.2)
            raise AssertionError(f"{stage_field}: {len(reminders())} sent")

        # The meeting was in July 2023: both stages are due. The beat task runs twice, each reminder twice more.
        queue_follow_up_reminders_task.delay()
        queue_follow_up_reminders_task.delay()
        for follow_up in follow_ups:
            send_follow_up_reminder_task.delay(follow_up_id=follow_up.pk, stage="3m")
        wait_for("reminded_3m_at", 3)
        queue_follow_up_reminders_task.delay()
        queue_follow_up_reminders_task.delay()
        wait_for("reminded_6m_at", 6)
        time.sleep(1.0)  # any straggler would have delivered by now
        assert collections.Counter(reminders()) == {owner.email: 2 for owner in owners}
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)
        controller.stop()
