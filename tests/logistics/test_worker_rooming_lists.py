"""A real Celery worker on Redis e-mails each rooming list sent to its hotel's SMTP server: exactly one message
per send, with the three files that were stored, even though every send's task is enqueued twice."""

import email
import os
import subprocess
import sys
import time
import uuid

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from logistics import services_stay
from logistics.models import RoomingListSend
from logistics.tasks_stay import send_rooming_list_task
from tests.factories import ConferenceFactory, StaffFactory
from tests.logistics.stay_data import JULY, make_guest, make_hotel
from tests.registration.test_worker_invitations import ROOT, Sink, free_port, worker_database_url


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_sends_each_rooming_list_once():
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis://") or connection.vendor != "postgresql":
        pytest.fail("This test needs CELERY_BROKER_URL=redis://... and DATABASE_URL=postgres://... (make test).")
    import redis

    redis.Redis.from_url(broker).flushdb()
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
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DB_CONN_MAX_AGE": "0",
        "CACHE_KEY_PREFIX": f"worker-{uuid.uuid4().hex[:12]}",
    }
    worker = subprocess.Popen(
        [str(os.path.join(os.path.dirname(sys.executable), "celery")), "-A", "conference", "worker", "-l",
         "warning", "--concurrency", "2", "--pool", "prefork", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "-n", f"accord-stay-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        conference = ConferenceFactory(slug="sharm2023")
        organizer = StaffFactory()
        hotel = make_hotel(conference)
        guest = make_guest(conference, first_name="Amal", last_name="Test")
        booking = services_stay.room_booking_save(hotel=hotel, guest=guest, room_type="single", actor=organizer)
        first = services_stay.rooming_list_send(hotel, actor=organizer)  # autocommit: queued at once
        duplicate_first = send_rooming_list_task.delay(send_id=first.pk)
        services_stay.room_booking_save(hotel=hotel, guest=guest, room_type="single", actor=organizer,
                                        check_in=JULY[10], check_out=JULY[12], booking=booking)
        second = services_stay.rooming_list_send(hotel, actor=organizer)
        duplicate_second = send_rooming_list_task.delay(send_id=second.pk)
        outcomes = [duplicate_first.get(timeout=25), duplicate_second.get(timeout=25)]
        deadline = time.monotonic() + 25
        while time.monotonic() < deadline:
            if sink.count() >= 2 and redis.Redis.from_url(broker).llen("celery") == 0:
                break
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.2)
        time.sleep(1.0)  # a straggler would have delivered by now
        assert sink.count() == 2
        assert all(isinstance(outcome, bool) for outcome in outcomes)
        subjects, attachments = [], []
        for rcpts, content in sink.messages:
            assert rcpts == ("rooms@nile-palace.example",)
            message = email.message_from_bytes(content)
            subjects.append(message["Subject"])
            text = next(part for part in message.walk() if part.get_content_type() == "text/plain")
            attachments.append(sorted(part.get_filename().rsplit(".", 1)[1] for part in message.walk()
                                      if part.get_filename()))
            body = text.get_payload(decode=True).decode()
            assert ("1 new, 0 amended" in body) or ("0 new, 1 amended" in body)
        assert attachments == [["csv", "pdf", "xlsx"], ["csv", "pdf", "xlsx"]]
        assert RoomingListSend.objects.filter(sent_at__isnull=False).count() == 2
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)
        controller.stop()
