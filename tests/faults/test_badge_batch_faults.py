"""A badge batch while its Redis restarts: it finishes, fails visibly or shows as stalled (its chunk tasks were lost
with the restarted Redis: its lease lapses and it may be run again), can be run again, and is never marked done
without the complete file. The test starts its own redis-server (never the shared one)."""

import contextlib
import io
import os
import shutil
import signal
import subprocess
import time

import pytest
import redis
from pypdf import PdfReader

from bench.common import Worker, free_port, worker_env
from conference.celery import app as celery_app
from onsite.enums import BatchStatus
from onsite.models import BadgeBatch, BadgePrint
from onsite.services.badges import badge_batch_can_rerun, badge_batch_start
from onsite.tasks import badge_batch_task
from tests.factories import ConferenceFactory, DelegationFactory, ParticipantFactory, StaffFactory
from tests.faults.conftest import worker_database_url

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BADGES = 120
LEASE_SECONDS = 8


class RedisServer:
    """A throw-away redis-server on its own port, without persistence (a restart loses every message)."""

    def __init__(self, port: int):
        self.port = port
        self.process = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(redis.ConnectionError):
                if redis.Redis(port=self.port, socket_timeout=1).ping():
                    return
            if time.monotonic() > deadline:
                raise AssertionError("redis-server did not start")
            time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


def send_batch_task(batch_id: int, broker_url: str, queue: str) -> None:
    """Queue the real batch task on this test's own Redis (the worker declared the queue there)."""
    with celery_app.connection_for_write(broker_url) as conn:
        badge_batch_task.apply_async(kwargs={"batch_id": batch_id}, connection=conn, queue=queue, ignore_result=True)


def assert_complete(batch: BadgeBatch) -> None:
    assert batch.status == BatchStatus.DONE
    assert batch.file.name
    with batch.file.open("rb") as handle:
        pages = len(PdfReader(io.BytesIO(handle.read())).pages)
    assert pages == batch.total == batch.done == BADGES
    assert BadgePrint.objects.filter(batch=batch).count() == BADGES


def wait_finished(batch: BadgeBatch, worker: Worker, timeout: float, *, stalled_ok: bool = False) -> BadgeBatch:
    deadline = time.monotonic() + timeout
    while True:
        batch.refresh_from_db()
        if batch.status in (BatchStatus.DONE, BatchStatus.FAILED) or (stalled_ok and badge_batch_can_rerun(batch)):
            return batch
        if time.monotonic() > deadline:
            raise AssertionError(f"batch stuck in {batch.status} ({batch.done}/{batch.total}):\n{worker.tail()}")
        time.sleep(0.1)


def test_badge_batch_redis_restarted_midway_finishes_or_fails_visibly_and_reruns(task_queue, settings):
    settings.ACCORD_BADGE_BATCH_LEASE_SECONDS = LEASE_SECONDS
    conference = ConferenceFactory(slug="sharm2023")
    delegation = DelegationFactory(conference=conference, code="EGY", seat_quota=BADGES)
    ParticipantFactory.create_batch(BADGES, conference=conference, delegation=delegation)
    staff = StaffFactory()
    server = RedisServer(free_port())
    server.start()
    # Chunks of 10 badges, each renewing the batch's lease well within its 8 s.
    env = worker_env(database_url=worker_database_url(), broker_url=server.url, MEDIA_ROOT=str(settings.MEDIA_ROOT),
                     ACCORD_BADGE_CHUNK_SIZE="10", ACCORD_BADGE_BATCH_LEASE_SECONDS=str(LEASE_SECONDS))
    worker = Worker(env, queue=task_queue, concurrency=1, name="accord-fault-redis")
    try:
        worker.wait_ready()
        # The service queues the task on commit on the suite's broker, on this test's queue (nobody reads it);
        # the same real task goes to the worker's Redis.
        batch = badge_batch_start(conference, actor=staff)
        send_batch_task(batch.pk, server.url, task_queue)
        deadline = time.monotonic() + 30
        while BadgeBatch.objects.get(pk=batch.pk).status == BatchStatus.QUEUED:
            assert time.monotonic() < deadline, worker.tail()
            time.sleep(0.02)
        server.kill()  # Redis goes away while the batch renders, and comes back empty
        at_restart = BadgeBatch.objects.values_list("status", "done").get(pk=batch.pk)
        time.sleep(1.0)
        server.start()
        batch = wait_finished(batch, worker, 90, stalled_ok=True)
        print(f"batch at the Redis restart: {at_restart}; then {batch.status} {batch.error!r}")
        assert at_restart[0] == BatchStatus.RUNNING  # the restart did happen mid-batch
        # Never half-stored: "done" only with every page; "failed" with the reason, or stalled (its lease lapsed,
        # the desk offers to run it again), without a file.
        if batch.status == BatchStatus.DONE:
            assert_complete(batch)
        elif batch.status == BatchStatus.FAILED:
            assert batch.error
        else:
            assert badge_batch_can_rerun(batch) and not batch.file
        # A re-run through the same worker, reconnected to the restarted Redis.
        rerun = batch
        if batch.status == BatchStatus.DONE:
            rerun = badge_batch_start(conference, actor=staff)
        send_batch_task(rerun.pk, server.url, task_queue)
        rerun = wait_finished(rerun, worker, 90)
        assert_complete(rerun)
        assert worker.process.poll() is None  # the worker survived the restart
    finally:
        worker.stop()
        server.kill()
