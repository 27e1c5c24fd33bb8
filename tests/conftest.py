import copy
import os
import uuid

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
