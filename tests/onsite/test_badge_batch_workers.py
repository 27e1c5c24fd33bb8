"""A cold badge batch across two real Celery workers: its chunk tasks are spread over both worker processes (each
chunk records who rendered it), a chunk whose process is killed mid-render is delivered again (acks_late,
reject_on_worker_lost), the merge follows them all, and the batch is done with every page."""

import io
import os
import signal
import time
import uuid

import pypdf
import pytest
import redis
from django.conf import settings

from bench.common import Worker, child_pids, worker_env
from conference.celery import app as celery_app
from onsite.enums import BatchStatus
from onsite.models import BadgeBatch, BadgePage, BadgePrint
from onsite.services.badges import badge_batch_start
from tests.factories import ConferenceFactory, DelegationFactory, StaffFactory
from tests.faults.conftest import worker_database_url
from tests.onsite.factories import approved_with_badge

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BADGES = 40


@pytest.fixture
def own_queue():
    """A queue of this test's own on the suite's Redis: no other worker takes its tasks."""
    broker = settings.CELERY_BROKER_URL or ""
    if not broker.startswith("redis://"):
        pytest.fail("This test needs CELERY_BROKER_URL=redis://... and PostgreSQL (make test).")
    name = f"accord-badges-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = name
    yield name
    celery_app.conf.task_default_queue = previous
    redis.Redis.from_url(broker).delete(name)


def test_badge_batch_cold_chunks_rendered_by_two_workers_and_a_killed_chunk_redelivered(own_queue):
    conference = ConferenceFactory()
    delegation = DelegationFactory(conference=conference, seat_quota=BADGES)
    for i in range(BADGES):
        approved_with_badge(conference=conference, delegation=delegation, badge_name=f"Person {i:02d}",
                            last_name=f"{i:02d}")
    env = worker_env(database_url=worker_database_url(), broker_url=settings.CELERY_BROKER_URL,
                     MEDIA_ROOT=str(settings.MEDIA_ROOT), ACCORD_BADGE_CHUNK_SIZE="4")
    workers = [Worker(env, queue=own_queue, concurrency=1, name=f"accord-badges-{i}") for i in range(2)]
    try:
        for worker in workers:
            worker.wait_ready()
        batch = badge_batch_start(conference, actor=StaffFactory())  # queued on commit (no outer transaction)
        deadline = time.monotonic() + 120
        seen_progress = set()
        killed = None
        while True:
            # The first worker's pool process is killed in the middle of its second chunk: its first one is done
            # (so both workers have rendered a part whatever happens next), and a chunk of 4 takes 0.2 s or more.
            lines = list(workers[0].lines)
            done = next((i for i, line in enumerate(lines) if "badge_batch_chunk" in line and "succeeded" in line), None)
            if killed is None and done is not None and any(
                    "badge_batch_chunk" in line and "received" in line for line in lines[done + 1:]):
                killed = child_pids(workers[0].process.pid)
                for pid in killed:  # the pool process dies with its chunk; the worker starts another
                    os.kill(pid, signal.SIGKILL)
            batch.refresh_from_db()
            seen_progress.add(batch.chunks_done)
            if batch.status in (BatchStatus.DONE, BatchStatus.FAILED):
                break
            assert time.monotonic() < deadline, "\n".join(worker.tail() for worker in workers)
            time.sleep(0.05)
    finally:
        for worker in workers:
            worker.stop()
    assert batch.status == BatchStatus.DONE, batch.error
    assert (batch.total, batch.done, batch.chunks, batch.chunks_done) == (BADGES, BADGES, 10, 10)
    assert len(seen_progress) > 2  # progress moved chunk by chunk
    # The killed chunk was delivered again: more chunk deliveries than chunks, and still every page once.
    assert killed, "no chunk reached the first worker"
    log = "\n".join(line for worker in workers for line in worker.lines)
    received = sum("badge_batch_chunk" in line and "received" in line for line in log.splitlines())
    assert "WorkerLostError" in log or "SIGKILL" in log, log[-3000:]
    assert received > 10, log[-3000:]
    # Each chunk says which worker process rendered it; both did, and together they rendered every page once.
    renderers = {(part["worker"], part["pid"]) for part in batch.parts}
    # (the killed worker's restarted pool process may render later chunks too: a third pid of the same worker)
    assert len({worker for worker, _pid in renderers}) == 2, batch.parts
    assert sum(part["rendered"] for part in batch.parts) == BADGES
    assert BadgePage.objects.filter(badge__participant__conference=conference).count() == BADGES
    with batch.file.open("rb") as handle:
        texts = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(handle.read())).pages]
    assert [f"Person {i:02d}" in text for i, text in enumerate(texts)] == [True] * BADGES
    assert BadgePrint.objects.filter(batch=batch).count() == BADGES
    assert BadgeBatch.objects.get(pk=batch.pk).status == BatchStatus.DONE
