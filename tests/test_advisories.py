"""Dependency floors from shared/ADVISORIES.md, encoded here because CI has no fixed path to that file.

pip-audit cannot reach its advisory service from these machines, so the project keeps its own floors:
pyproject.toml must ask for at least these versions, and the installed packages must meet them.
"""

import os
import secrets
import subprocess
import sys
import tomllib
from importlib.metadata import version as installed_version
from pathlib import Path

import pytest
from django.conf import settings
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]

# package: (lowest safe version, a vulnerable version just below it, first version NOT allowed or None)
FLOORS = {
    "weasyprint": ("70.0", "69.9", None),
    "django": ("5.2.19", "5.2.18", "5.3"),
    "django-allauth": ("65.19.4", "65.19.3", None),
    "pillow": ("11.3", "11.2.1", None),
    "celery": ("5.0", "4.4.7", "6"),
}


def _declared() -> dict[str, Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    requirements = [Requirement(line) for line in data["project"]["dependencies"]]
    return {requirement.name.lower(): requirement for requirement in requirements}


@pytest.mark.parametrize("package", sorted(FLOORS))
def test_pyproject_declares_advisory_floor(package):
    floor, below, ceiling = FLOORS[package]
    requirement = _declared().get(package)
    assert requirement is not None, f"{package} missing from pyproject.toml dependencies"
    lower_bounds = [Version(spec.version) for spec in requirement.specifier if spec.operator in {">=", "=="}]
    assert lower_bounds and max(lower_bounds) >= Version(floor), f"{package}: {requirement.specifier} < {floor}"
    assert not requirement.specifier.contains(below, prereleases=True), f"{package} allows {below}"
    if ceiling:
        assert not requirement.specifier.contains(ceiling, prereleases=True), f"{package} allows {ceiling}"


@pytest.mark.parametrize("package", sorted(FLOORS))
def test_installed_version_meets_advisory_floor(package):
    floor, _below, ceiling = FLOORS[package]
    found = Version(installed_version(package))
    assert found >= Version(floor), f"{package} {found} is below the advisory floor {floor}"
    if ceiling:
        assert found < Version(ceiling), f"{package} {found} is outside the supported series (< {ceiling})"


def test_celery_accepts_json_only():
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert settings.CELERY_TASK_SERIALIZER == "json"
    assert settings.CELERY_RESULT_SERIALIZER == "json"
    from conference.celery import app

    assert list(app.conf.accept_content) == ["json"]


def test_check_deploy_passes_in_production_mode(tmp_path):
    """The `make check-deploy` equivalent: no warning from Django's deployment checklist."""
    # A clean production environment: no test-only variables (browser tests set DJANGO_ALLOW_ASYNC_UNSAFE).
    dropped = {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="accord.example.org",
        SITE_URL="https://accord.example.org",
        ACCORD_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
