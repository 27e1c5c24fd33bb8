"""Issuing certificates in a task (issue 17 item 8) under concurrency and through a real worker.

Two runs over the same participants at once: each thread runs ``certificate_run_execute`` inside a transaction that
stays open (a barrier) until the other has gone as far as it can. The participant's row lock makes the second wait
and find the first's certificates (brought up to date, none issued twice). The control run takes the lock away
(a no-op in its place): the second run then inserts the same certificate, waits on the unique index and fails with
the duplicate, the collision the lock turns into a wait. The worker test queues a run and delivers its task a
second time: a real Celery worker on Redis issues and renders each certificate once.
"""

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections, transaction

from conference.models import AuditLog
from onsite.documents import services
from onsite.documents.models import Certificate, CertificateRun
from tests.onsite.test_documents_certificates import world  # noqa: F401  (the module's people)
from tests.registration.test_worker_invitations import worker_database_url

pytestmark = [pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions need PostgreSQL")


def _two_runs_at_once(world):  # noqa: F811
    # Recorded as the request records them (the task is started by the threads, not queued).
    runs = [CertificateRun.objects.create(conference=world["conference"], total=3) for _ in range(2)]
    barrier = threading.Barrier(2)

    def work(run_id):
        try:
            with transaction.atomic():
                services.certificate_run_execute(CertificateRun.objects.get(pk=run_id))
                try:
                    barrier.wait(timeout=3)  # hold the certificates uncommitted while the other run tries
                except threading.BrokenBarrierError:
                    pass
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(run.pk,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return list(CertificateRun.objects.filter(pk__in=[run.pk for run in runs]))


def test_two_runs_at_once_issue_each_certificate_once(world):  # noqa: F811
    runs = _two_runs_at_once(world)
    assert sorted((run.status, run.issued, run.refreshed, run.skipped) for run in runs) == [
        ("done", 0, 3, 0), ("done", 3, 0, 0)]
    assert Certificate.objects.count() == 3
    assert AuditLog.objects.filter(action="certificate.issue").count() == 3


def test_control_without_the_participant_lock_the_second_run_collides(world, monkeypatch):  # noqa: F811
    monkeypatch.setattr(services, "_lock_participant", lambda participant_id: None)
    runs = _two_runs_at_once(world)
    done = [run for run in runs if run.status == "done"]
    failed = [run for run in runs if run.status == "failed"]
    assert len(done) == 1 and done[0].issued == 3
    assert len(failed) == 1 and "duplicate key" in failed[0].error and failed[0].processed == 0
    assert Certificate.objects.count() == 3


@pytest.mark.worker
def test_worker_issues_each_certificate_once(world, tmp_path):  # noqa: F811
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis://"):
        pytest.fail("This test needs CELERY_BROKER_URL=redis://... (make test).")
    import redis

    from onsite.tasks import certificate_run_task

    redis.Redis.from_url(broker).flushdb()
    env = {**os.environ, "DATABASE_URL": worker_database_url(), "CELERY_BROKER_URL": broker,
           "MEDIA_ROOT": str(settings.MEDIA_ROOT), "SITE_URL": "https://accord.example.org", "DB_CONN_MAX_AGE": "0",
           "CACHE_KEY_PREFIX": f"worker-{uuid.uuid4().hex[:12]}"}
    worker = subprocess.Popen(
        [str(Path(sys.executable).with_name("celery")), "-A", "conference", "worker", "-l", "warning",
         "--concurrency", "2", "--pool", "prefork", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-n", f"accord-certificates-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        run = services.certificate_run_request(world["conference"], actor=None)  # queued on commit
        certificate_run_task.delay(run_id=run.pk)  # and delivered a second time
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            run.refresh_from_db()
            rendered = Certificate.objects.exclude(file="").count()
            if run.status == "done" and rendered == 3 and redis.Redis.from_url(broker).llen("celery") == 0:
                break
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.3)
        else:
            raise AssertionError(f"run {run.status}, {rendered} certificates rendered")
        time.sleep(1.0)  # a straggling second delivery would have run by now
        run.refresh_from_db()
        assert (run.status, run.processed, run.issued, run.refreshed, run.skipped) == ("done", 3, 3, 0, 0)
        assert Certificate.objects.count() == 3
        assert AuditLog.objects.filter(action="certificate.issue").count() == 3
        for certificate in Certificate.objects.all():
            with certificate.file.open("rb") as handle:
                assert handle.read(4) == b"%PDF"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)
