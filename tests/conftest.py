import copy
import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery.result import allow_join_result

from conference.celery import app as celery_app


def pytest_configure(config):
    """The test session talks to PostgreSQL through tests/fast_flush_postgresql: Django's backend emptying the
    tables with DELETE instead of TRUNCATE after each transactional test (4-5 s less each, same empty tables)."""
    from django.conf import settings
    from django.db import connections

    from tests.fast_flush_postgresql.base import DatabaseWrapper

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        database["ENGINE"] = "tests.fast_flush_postgresql"
        if not isinstance(connections["default"], DatabaseWrapper):  # made before this hook: make it anew
            connections["default"].close()
            del connections["default"]
    _own_redis_database_per_xdist_worker(settings)


def _own_redis_database_per_xdist_worker(settings):
    """Under pytest-xdist (``make test`` runs 2 workers) each worker has its own test database (pytest-django adds
    ``_gw0``, ``_gw1``) and here its own Redis database: base + 1 + the worker's number (redis://…/11: gw0 on 12,
    gw1 on 13). The worker tests start real Celery workers that empty their broker's database and read its
    ``celery`` queue and results: two xdist workers on one broker would take each other's tasks."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    broker = settings.CELERY_BROKER_URL or ""
    if not worker.startswith("gw") or not broker.startswith("redis://"):
        return
    url = urlsplit(broker)
    base = int(url.path.strip("/") or 0)
    own = urlunsplit(url._replace(path=f"/{(base + 1 + int(worker[2:])) % 16}"))
    settings.CELERY_BROKER_URL = own
    os.environ["CELERY_BROKER_URL"] = own  # processes the tests start with this environment
    if getattr(settings, "CELERY_RESULT_BACKEND", None) == broker:
        settings.CELERY_RESULT_BACKEND = own
    cache = settings.CACHES["default"]
    if cache.get("LOCATION") == broker:
        cache["LOCATION"] = own
    celery_app.conf.broker_url = settings.CELERY_BROKER_URL
    celery_app.conf.result_backend = settings.CELERY_RESULT_BACKEND


@pytest.fixture(autouse=True)
def _eager_celery_by_default(request, settings, tmp_path):
    """Tasks run in-process unless a test asks for the real worker (marker `worker`)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # A fresh cache namespace per test: rate limits and cached files never leak between tests or runs.
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = caches
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Every test starts in English, whatever language an earlier test's request activated in this thread.
    from django.utils import translation

    translation.activate("en")
    eager = request.node.get_closest_marker("worker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    celery_app.conf.task_eager_propagates = True
    # Celery's "inside a task" flag is one global: eager tasks run by several threads at once (the race tests)
    # can leave it set, and a later worker test's ``result.get()`` then refuses. Each test starts outside a task.
    with allow_join_result():
        yield
    celery_app.conf.task_always_eager = previous
    translation.deactivate()


@pytest.fixture
def chromium_path():
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.path.exists(path):
        pytest.fail(f"Chromium not found at {path}: install Debian's chromium (.ci/run does).")
    return path


@pytest.fixture
def conference(settings):
    """The current conference (ACCORD_DEFAULT_CONFERENCE): sharm2023, 10–13 July 2023 in Cairo time.

    Modules or folders that need another one (names in three languages, delegations) define their own `conference`.
    """
    from tests.factories import ConferenceFactory

    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    return ConferenceFactory(slug="sharm2023")
