"""Fault tests: a real Celery worker subprocess on the real Redis, the test database, a local SMTP sink.

Each test uses its own queue (no other worker on the same Redis database takes its tasks) and stops every
process it started in ``finally``.
"""

import os
import uuid

import pytest
from django.conf import settings
from django.db import connection

from conference.celery import app as celery_app


def worker_database_url() -> str:
    params = connection.settings_dict
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


@pytest.fixture
def real_services():
    """The broker URL; fails (not skips) without Redis and PostgreSQL: these tests are the point."""
    broker = settings.CELERY_BROKER_URL or ""
    if not broker.startswith("redis://") or connection.vendor != "postgresql":
        pytest.fail("Fault tests need CELERY_BROKER_URL=redis://... and DATABASE_URL=postgres://... (make test).")
    return broker


@pytest.fixture
def task_queue(real_services):
    """A queue of this test's own: tasks sent from the test process go there, the worker reads only it."""
    import redis

    name = f"accord-fault-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = name
    yield name
    celery_app.conf.task_default_queue = previous
    redis.Redis.from_url(real_services).delete(name)
