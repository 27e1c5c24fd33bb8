"""The WSGI application (gunicorn loads it in each worker, after the fork)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
application = get_wsgi_application()


def _freeze_loaded_objects() -> None:
    """Leave what is loaded by now (settings, apps, models, URLs: objects that live as long as the process) out of
    the garbage collector's full collections. Each full collection otherwise walks all of them while every
    thread of the worker waits: that pause was the slowest twentieth of the requests under load (bench/load.py:
    registration p95 175 ms without, 149 ms with, at the same throughput)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and the views now, before the freeze
    gc.collect()
    gc.freeze()


if os.environ.get("ACCORD_GC_FREEZE", "1") != "0":
    _freeze_loaded_objects()
