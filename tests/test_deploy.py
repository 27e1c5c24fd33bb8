"""The deployment files: docker-compose.yml and the Dockerfile (Docker itself does not run in CI)."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
# Every variable the settings need in production (DJANGO_DEBUG=0).
PRODUCTION_VARIABLES = {"DJANGO_SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "ALLOWED_HOSTS", "SITE_URL",
                        "DJANGO_DEBUG"}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile():
    return (ROOT / "Dockerfile").read_text()


def _command(service) -> str:
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


def _healthcheck(service) -> str:
    test = service["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(test)


def test_compose_has_the_five_services_with_healthchecks(compose):
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis"}
    for name, service in services.items():
        assert "healthcheck" in service, name
        assert service["healthcheck"]["test"], name


def test_compose_commands(compose):
    services = compose["services"]
    web = _command(services["web"])
    assert "manage.py migrate --noinput" in web and "manage.py collectstatic --noinput" in web
    assert re.search(r"exec gunicorn conference\.wsgi(:application)? ", web)
    assert web.index("migrate") < web.index("collectstatic") < web.index("gunicorn")
    # Served as measured by bench/load.py: threads, and one listening socket per worker.
    assert "--threads" in web and "--reuse-port" in web
    worker = _command(services["worker"])
    assert worker.startswith("celery -A conference worker") and "--max-tasks-per-child" in worker
    assert _command(services["beat"]).startswith("celery -A conference beat")
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")


def test_compose_healthchecks_probe_the_right_thing(compose):
    services = compose["services"]
    assert "/healthz" in _healthcheck(services["web"])
    assert "pg_isready" in _healthcheck(services["db"])
    assert "redis-cli ping" in _healthcheck(services["redis"])
    assert "inspect ping -d celery@" in _healthcheck(services["worker"])
    assert "inspect ping -d celerybeat@" in _healthcheck(services["beat"])
    assert "--enable-remote-control" in _command(services["beat"])


def test_compose_gives_every_production_variable_to_web_worker_and_beat(compose):
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert PRODUCTION_VARIABLES <= set(environment), name
        assert environment["DJANGO_DEBUG"] == "0"
        # The secret comes from the environment or .env and is required, never a committed value.
        assert environment["DJANGO_SECRET_KEY"] == "${DJANGO_SECRET_KEY:?set DJANGO_SECRET_KEY}"
        assert environment["DATABASE_URL"] == "postgres://accord:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}@db:5432/accord"
        assert environment["CELERY_BROKER_URL"] == "redis://:${REDIS_PASSWORD:?set REDIS_PASSWORD}@redis:6379/0"
        assert "CACHE_URL" not in environment  # the cache takes the broker's URL, password included
        assert {"EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"} <= set(environment)
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_compose_secrets_have_no_default_and_refuse_to_start_without_them():
    """Every use of a secret is ``${NAME:?message}``: compose stops with the message when it is unset or empty."""
    text = (ROOT / "docker-compose.yml").read_text()
    for name in ("DJANGO_SECRET_KEY", "POSTGRES_PASSWORD", "REDIS_PASSWORD"):
        uses = re.findall(r"\$\{" + name + r"([^}]*)\}", text)
        assert uses, name
        assert set(uses) == {f":?set {name}"}, (name, uses)
    assert ":-accord" not in text


def test_compose_redis_requires_its_password(compose):
    redis = compose["services"]["redis"]
    assert redis["environment"]["REDIS_PASSWORD"] == "${REDIS_PASSWORD:?set REDIS_PASSWORD}"
    assert "--requirepass \"$$REDIS_PASSWORD\"" in _command(redis)
    # The healthcheck authenticates (redis-cli reads REDISCLI_AUTH) and fails on NOAUTH: only PONG passes.
    assert redis["environment"]["REDISCLI_AUTH"] == "${REDIS_PASSWORD:?set REDIS_PASSWORD}"
    assert _healthcheck(redis) == "CMD-SHELL redis-cli ping | grep -qx PONG"
    assert compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"] == "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"


def test_readme_says_compose_needs_both_passwords():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Docker compose"):]
    section = section[: section.index("\n## ", 3)]
    for line in ("export POSTGRES_PASSWORD=$(openssl rand -hex 32)", "export REDIS_PASSWORD=$(openssl rand -hex 32)"):
        assert line in section
    assert "refuses to start" in section


def test_compose_production_variables_are_the_ones_settings_read():
    settings_source = (ROOT / "conference" / "settings.py").read_text()
    for variable in PRODUCTION_VARIABLES:
        assert f'"{variable}"' in settings_source, variable


def test_compose_volumes_for_database_media_and_var(compose):
    assert {"postgres-data", "media", "var"} <= set(compose["volumes"])
    assert "postgres-data:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    for name in ("web", "worker", "beat"):
        volumes = compose["services"][name]["volumes"]
        assert "media:/app/var/media" in volumes and "var:/app/var" in volumes


def test_dockerfile_installs_weasyprint_libraries_and_runs_as_non_root(dockerfile):
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.M)
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert package in dockerfile
    assert "pip install ." in dockerfile
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
    assert users and users[-1] not in {"root", "0"}
    assert "collectstatic" in dockerfile
    # Static files collected after switching to the non-root user, with a build-only secret.
    assert dockerfile.index("USER accord") < dockerfile.index("collectstatic")
    command = re.findall(r"^CMD (.+)$", dockerfile, re.M)[-1]
    assert '"gunicorn"' in command and '"--threads"' in command and '"--reuse-port"' in command


def test_dockerignore_keeps_secrets_and_local_state_out():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "var", ".env"} <= set(ignored)


def _freeze_count(extra_env: dict[str, str]) -> int:
    import os
    import subprocess  # nosec B404 - our own interpreter on our own module
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "conference.settings", **extra_env}
    result = subprocess.run(  # nosec B603
        [sys.executable, "-c", "import gc, conference.wsgi; print(gc.get_freeze_count())"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )
    return int(result.stdout.strip().splitlines()[-1])


def test_wsgi_module_leaves_what_it_loaded_out_of_full_collections():
    """The WSGI module (loaded in each gunicorn worker) freezes what is loaded by then: the garbage collector's
    full collections, which stop every thread of the worker, no longer walk Django's own objects."""
    assert _freeze_count({}) > 50_000
    assert _freeze_count({"ACCORD_GC_FREEZE": "0"}) == 0


def test_redis_replies_are_parsed_in_c():
    """redis[hiredis] is a dependency: sessions, cached rows and the broker's replies parsed by hiredis."""
    import redis.utils

    assert redis.utils.HIREDIS_AVAILABLE


def _make_run_site_urls(tmp_path, *make_args: str, site_url: str | None = None) -> list[str]:
    """Run ``make run`` with a stand-in interpreter that prints, for each command, the SITE_URL Django reads."""
    import os
    import subprocess  # nosec B404 - make on our own Makefile
    import sys

    stand_in = tmp_path / "python"
    stand_in.write_text(
        "#!/bin/sh\n"
        f'exec "{sys.executable}" -c "import django; django.setup(); '
        'from django.conf import settings; print(\'SITE_URL=\' + settings.SITE_URL)"\n'
    )
    stand_in.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT", "MAKEFLAGS", "MFLAGS"}}
    env["DJANGO_SETTINGS_MODULE"] = "conference.settings"
    if site_url is not None:
        env["SITE_URL"] = site_url
    result = subprocess.run(  # nosec B603 B607
        ["make", "-s", "run", f"PY={stand_in}", "BASE_STAMP=pyproject.toml", *make_args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=True,
    )
    return [line.removeprefix("SITE_URL=") for line in result.stdout.splitlines() if line.startswith("SITE_URL=")]


def test_make_run_links_follow_the_port_it_serves(tmp_path):
    """Issue 24.1: `make run PORT=8123` without SITE_URL: every command (seed_demo, runserver) builds links on
    port 8123, not on the default 8000."""
    urls = _make_run_site_urls(tmp_path, "PORT=8123")
    assert urls == ["http://127.0.0.1:8123"] * 4


def test_make_run_keeps_an_explicit_site_url(tmp_path):
    urls = _make_run_site_urls(tmp_path, "PORT=8123", site_url="https://accord.example.org")
    assert urls == ["https://accord.example.org"] * 4
