"""Invitations against a real worker and SMTP sink: the worker killed mid-run, the SMTP server down then up."""

import time

import pytest

from bench.common import Worker, free_port, smtp_sink, worker_env
from registration.enums import InvitationStatus
from registration.models import Invitation
from registration.services.invitations import invitation_create
from tests.factories import ConferenceFactory, DelegationFactory
from tests.faults.conftest import worker_database_url

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(condition, timeout: float, step: float = 0.05, message=lambda: "") -> None:
    """Poll ``condition`` until true; on time-out fail with ``message()`` (evaluated then)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s: {message()}")
        time.sleep(step)


def invite(count: int, prefix: str) -> list[Invitation]:
    conference = ConferenceFactory(slug="sharm2023")
    delegation = DelegationFactory(conference=conference, code="EGY")
    # Autocommit: each invitation commits and queues its task at once.
    return [
        invitation_create(conference, email=f"{prefix}{i:03d}@example.org", delegation=delegation,
                          language=("ar", "fr", "en")[i % 3])
        for i in range(count)
    ]


def test_invitations_worker_killed_midway_each_delivered_once(real_services, task_queue):
    """SIGKILL of the whole worker (main process and pool) while every pool process is inside an SMTP exchange:
    their transactions roll back, their messages stay unacknowledged (acks_late) and come back after the
    visibility timeout; the restarted worker sends what is left, and the row lock + sent generation stop any
    second e-mail. 200 invitations, 200 e-mails, one per invitee."""
    total, concurrency = 200, 4
    with smtp_sink() as (sink, port):
        env = worker_env(
            database_url=worker_database_url(), broker_url=real_services, smtp_port=port,
            CELERY_VISIBILITY_TIMEOUT="6", CELERY_UNACKED_RESTORE_INTERVAL="1", CELERY_UNACKED_RESTORE_THROTTLE="1",
        )
        # All 200 tasks are queued before the worker starts: it is busy for the whole run.
        invitations = invite(total, "killed")
        workers = [Worker(env, queue=task_queue, concurrency=concurrency, name="accord-fault-kill")]
        try:
            workers[0].wait_ready()
            wait_for(lambda: sink.count() >= 40, 60, message=lambda: f"first e-mails; worker:\n{workers[0].tail()}")
            sink.gate.clear()  # the next deliveries wait at RCPT: every pool process is mid-send
            wait_for(lambda: sink.waiting >= concurrency, 20,
                     message=lambda: f"{sink.waiting} processes at the gate, {sink.count()} delivered")
            workers[0].kill()
            assert workers[0].process.returncode is not None
            delivered_before_kill = sink.count()
            sink.gate.set()
            assert 40 <= delivered_before_kill < total
            assert Invitation.objects.filter(status=InvitationStatus.SENT).count() == delivered_before_kill

            workers.append(Worker(env, queue=task_queue, concurrency=concurrency, name="accord-fault-restart"))
            workers[1].wait_ready()
            wait_for(
                lambda: sink.count() >= total and Invitation.objects.filter(status=InvitationStatus.SENT).count() == total,
                60, step=0.2, message=lambda: f"{sink.count()} delivered; worker:\n{workers[1].tail()}",
            )
            time.sleep(7)  # past another visibility timeout: a message redelivered twice would send now
        finally:
            for worker in workers:
                worker.stop()
        per_recipient = sink.per_recipient()
    assert per_recipient == {invitation.email: 1 for invitation in invitations}
    rows = Invitation.objects.filter(pk__in=[i.pk for i in invitations])
    assert sorted(set(rows.values_list("status", "send_count", "sent_generation"))) == [("sent", 1, 1)]


def test_invitations_smtp_down_then_up_retried_and_delivered_once(real_services, task_queue):
    """Nothing listens on the SMTP port: each task fails (connection refused), records the error on the
    invitation and retries with backoff (1 s base here); once the server is up every invitation goes out once."""
    total = 10
    port = free_port()
    env = worker_env(
        database_url=worker_database_url(), broker_url=real_services, smtp_port=port,
        ACCORD_INVITATION_RETRY_BACKOFF="1", ACCORD_INVITATION_RETRY_BACKOFF_MAX="4",
    )
    worker = Worker(env, queue=task_queue, concurrency=2, name="accord-fault-smtp")
    try:
        worker.wait_ready()
        invitations = invite(total, "retried")
        # While the server is down: the failure is visible on every invitation, nothing is marked sent.
        wait_for(
            lambda: Invitation.objects.exclude(last_error="").count() == total, 30,
            message=lambda: f"errors recorded; worker:\n{worker.tail()}",
        )
        time.sleep(2)  # a retry or two more, still down
        down = list(Invitation.objects.values_list("status", "sent_at", "send_count"))
        assert down == [(InvitationStatus.PENDING, None, 0)] * total
        assert all("Connection refused" in error or "Errno 111" in error
                   for error in Invitation.objects.values_list("last_error", flat=True))
        assert min(Invitation.objects.values_list("attempts", flat=True)) >= 1

        with smtp_sink(port) as (sink, _port):
            wait_for(
                lambda: Invitation.objects.filter(status=InvitationStatus.SENT).count() == total, 40, step=0.2,
                message=lambda: f"{sink.count()} delivered; worker:\n{worker.tail()}",
            )
            time.sleep(2)  # a late duplicate would arrive now
            per_recipient = sink.per_recipient()
    finally:
        worker.stop()
    assert per_recipient == {invitation.email: 1 for invitation in invitations}
    rows = list(Invitation.objects.values_list("status", "send_count", "last_error"))
    assert rows == [(InvitationStatus.SENT, 1, "")] * total
