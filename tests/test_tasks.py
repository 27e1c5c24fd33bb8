"""The task layer: queued only when the service's transaction commits, leaves of the import graph, one retry policy."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from celery.contrib.django.task import DjangoTask
from celery.signals import task_prerun
from django.db import transaction

from conference.celery import app as celery_app
from conference.models import AuditLog
from conference.retry import SEND_ERRORS, SMTP_RETRY_POLICY
from onsite.models import Badge
from registration.enums import ParticipantStatus
from registration.models import Participant, ParticipantNotice
from registration.services.participants import participant_approve

from .factories import ParticipantFactory, StaffFactory

ROOT = Path(__file__).resolve().parent.parent
APPS = ("conference", "registration", "sessions_app", "onsite", "logistics", "cooperation", "privacy", "demo")
SENDING_TASKS = {
    "conference.send_outgoing_email",
    "cooperation.send_follow_up_reminder",
    "cooperation.send_meeting_email",
    "logistics.send_rooming_list",
    "privacy.send_deletion_answer",
    "registration.send_invitation",
    "registration.send_participant_notice",
    "registration.send_visa_letter",
    "sessions_app.send_promotion_email",
}


class Rollback(Exception):
    """Raised inside the block to roll the transaction back."""


@pytest.fixture
def tasks_run():
    """The names of the tasks that ran (eagerly, in this process), in order, seen through Celery's own signal."""
    names: list[str] = []

    def record(sender=None, **kwargs):
        names.append(sender.name)

    task_prerun.connect(record, weak=False)
    yield names
    task_prerun.disconnect(record)


@pytest.mark.django_db(transaction=True)
def test_participant_approve_rolled_back_queues_nothing_committed_queues_once(tasks_run, mailoutbox):
    """Real transactions (no test transaction around them): ROLLBACK queues nothing, COMMIT queues each task once."""
    staff = StaffFactory()
    participant = ParticipantFactory(status=ParticipantStatus.SUBMITTED)

    with pytest.raises(Rollback), transaction.atomic():
        participant_approve(participant, actor=staff)
        raise Rollback

    assert tasks_run == []
    assert mailoutbox == []
    assert Participant.objects.get(pk=participant.pk).status == ParticipantStatus.SUBMITTED
    assert ParticipantNotice.objects.filter(participant=participant).count() == 0
    assert AuditLog.objects.filter(action="participant.approve").count() == 0

    participant = Participant.objects.get(pk=participant.pk)
    with transaction.atomic():
        participant_approve(participant, actor=staff)
        assert tasks_run == []  # nothing before the commit

    assert tasks_run == ["registration.send_participant_notice", "registration.badge_prerender"]
    assert [message.to for message in mailoutbox] == [[participant.email]]
    assert ParticipantNotice.objects.get(participant=participant).sent_at is not None
    assert Badge.objects.get(participant=participant).pages.get().pdf


def _task_modules() -> list[Path]:
    paths = []
    for app in APPS:
        paths += [ROOT / app / "tasks.py"] if (ROOT / app / "tasks.py").exists() else []
        paths += sorted((ROOT / app / "tasks").glob("*.py")) if (ROOT / app / "tasks").is_dir() else []
    return paths


def _top_level_imports(path: Path) -> set[str]:
    """Modules imported at the top of ``path`` (not inside a function), relative imports made absolute."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            module = f"{base}.{node.module}" if node.level and node.module else (node.module or base)
            names.add(module)
            names |= {f"{module}.{alias.name}" for alias in node.names}
    return names


def test_task_modules_import_no_service_at_their_top():
    """Tasks are leaves: a task module imports its service inside the task body, so services can import the task
    at their top without a cycle."""
    modules = _task_modules()
    assert len(modules) >= 6
    offending = {
        str(path.relative_to(ROOT)): sorted(
            name for name in _top_level_imports(path) if "services" in name.split(".") or name == "conference.mail"
        )
        for path in modules
    }
    assert {path: names for path, names in offending.items() if names} == {}


def test_every_task_is_a_django_task_and_every_sending_task_has_the_one_smtp_policy():
    ours = {name: task for name, task in celery_app.tasks.items() if not name.startswith("celery.")}
    assert all(isinstance(task, DjangoTask) for task in ours.values())
    retried = {name for name, task in ours.items() if getattr(task, "autoretry_for", None)}
    assert retried == SENDING_TASKS
    for name in SENDING_TASKS:
        task = ours[name]
        assert (task.autoretry_for, task.retry_backoff, task.retry_backoff_max, task.retry_jitter, task.max_retries) == (
            SEND_ERRORS, SMTP_RETRY_POLICY["retry_backoff"], SMTP_RETRY_POLICY["retry_backoff_max"], True, 6,
        )
