"""Health of the services Accord depends on: the database and the Celery broker."""

from __future__ import annotations

import os


def _redact(url: str | None) -> str:
    if not url:
        return "(not set)"
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def explain_service_error(exc: BaseException) -> str | None:
    """Return a one-line explanation naming the variable to set, or None for other errors."""
    from django.core.exceptions import ImproperlyConfigured

    if isinstance(exc, ImproperlyConfigured) and str(exc).startswith("accord: "):
        return str(exc).splitlines()[0]  # our own settings errors already name the variable
    from django.db import OperationalError as DbOperationalError
    from kombu.exceptions import OperationalError as BrokerOperationalError

    if isinstance(exc, DbOperationalError):
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        return (
            f"accord: cannot reach the database at DATABASE_URL={_redact(os.environ.get('DATABASE_URL'))}: "
            f"{first}. Set DATABASE_URL to a reachable PostgreSQL, or unset it for the embedded SQLite."
        )
    if isinstance(exc, BrokerOperationalError):
        return (
            f"accord: cannot reach the Celery broker at CELERY_BROKER_URL="
            f"{_redact(os.environ.get('CELERY_BROKER_URL'))}: {exc}. Set CELERY_BROKER_URL to a reachable "
            "Redis, or unset it to run tasks in-process."
        )
    return None


def check_database() -> tuple[bool, str]:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001
        return False, exc.__class__.__name__
    return True, connection.vendor


def check_broker() -> tuple[bool, str]:
    from django.conf import settings

    url = settings.CELERY_BROKER_URL
    if url.startswith("memory://"):
        return True, "eager (in-process)"
    try:
        from kombu import Connection

        with Connection(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return False, exc.__class__.__name__
    return True, url.split("://", 1)[0]
