"""Service health: /healthz, and one-line start-up errors naming the variable to set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections

from conference.health import check_database

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env_overrides, unset=()):
    env = {k: v for k, v in os.environ.items() if k not in {*unset, "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.django_db
def test_healthz_ok_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == {"ok": True, "detail": connections["default"].vendor}
    assert body["broker"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_503_when_database_unreachable(client, monkeypatch):
    connection = connections["default"]

    def refuse(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("connection refused")

    # The test's connection stays open; make the probe's cursor fail as an outage would.
    monkeypatch.setattr(connection, "cursor", refuse)
    assert check_database() == (False, "OperationalError")
    response = client.get("/healthz")
    monkeypatch.undo()
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "detail": "OperationalError"}
    assert response.json()["status"] == "error"


def test_manage_with_unreachable_database_prints_one_line_naming_database_url():
    result = _manage(
        "migrate", "--noinput",
        env_overrides={"DATABASE_URL": "postgres://postgres:secret@127.0.0.1:1/x", "DJANGO_DEBUG": "1"},
        unset=("CELERY_BROKER_URL",),
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DATABASE_URL=postgres://***@127.0.0.1:1/x" in lines[0]
    assert "secret" not in result.stderr
    assert "Traceback" not in result.stderr


def test_production_mode_without_secret_key_refuses_to_start_with_one_line():
    result = _manage("check", env_overrides={"DJANGO_DEBUG": "0"}, unset=("DJANGO_SECRET_KEY",))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0" in lines[0]
    assert "Traceback" not in result.stderr
