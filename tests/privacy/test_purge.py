"""Retention and purge: rows and files really removed (database and disk), aggregates and a record kept, a
second run changes nothing, an interrupted run resumes, a policy below the floor is refused."""

from __future__ import annotations

import datetime
import os
from io import StringIO

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command

from conference.services import AccordError
from onsite.models import Badge, BadgePage
from privacy import registry
from privacy.models import PurgeRecord, RetentionPolicy
from privacy.services.purge import due_kinds, purge_conference, retention_policy_set
from registration.models import Participant
from tests.factories import ParticipantFactory
from tests.privacy.conftest import TravelDocument, TravelPlan, VisaLetter

pytestmark = pytest.mark.django_db

AFTER_ALL = datetime.date(2030, 1, 1)


def _on_disk(name: str) -> bool:
    return os.path.exists(os.path.join(settings.MEDIA_ROOT, name))


def test_purge_removes_rows_fields_and_files_and_keeps_aggregates(traveller, conference):
    ParticipantFactory(conference=conference, delegation=traveller.delegation, gender="male", category="expert",
                       dietary_needs="")
    badge = Badge.objects.create(participant=traveller, token="t" * 40)
    page = BadgePage(badge=badge, badge_format="a6", fingerprint="f" * 64)
    page.pdf.save("badge.pdf", ContentFile(b"%PDF badge"))
    photo, letter, badge_file = traveller.photo.name, traveller.visa_letter.file.name, page.pdf.name
    assert _on_disk(photo) and _on_disk(letter) and _on_disk(badge_file)

    steps = purge_conference(conference, today=AFTER_ALL)

    assert [step.kind for step in steps] == ["sensitive", "photos", "travel_hotel", "contacts_directory", "rest"]
    assert not _on_disk(photo) and not _on_disk(letter) and not _on_disk(badge_file)
    assert TravelDocument.objects.count() == 0
    assert Badge.objects.count() == 0
    row = Participant.objects.get(pk=traveller.pk)
    assert (row.photo.name, row.phone) == ("", "")
    assert VisaLetter.objects.get(participant=row).file.name == "" and not TravelPlan.objects.exists()
    assert (row.first_name, row.last_name, row.gender) == ("", "", "")
    assert row.email == f"participant-{row.public_id}@deleted.invalid"
    # Kept: what the aggregates count and the letters' register.
    assert (row.delegation_id, row.category) == (traveller.delegation_id, "delegate")
    assert VisaLetter.objects.get(participant=row).reference == "V-1"

    records = {record.kind: record for record in PurgeRecord.objects.filter(conference=conference)}
    assert set(records) == {"sensitive", "photos", "travel_hotel", "contacts_directory", "rest"}
    sensitive = records["sensitive"]
    assert sensitive.details == {f"{TravelDocument._meta.label} (rows)": 1, "logistics.VisaLetter.file": 1}
    assert (sensitive.count, sensitive.files) == (2, 1)
    assert records["photos"].files == 2
    assert sensitive.rule == "sensitive: 30 days after 2023-07-13, due 2023-08-13 (deployment default)"
    for record in records.values():
        # Taken before anything was removed, and the same in every record of the conference.
        assert record.aggregates["participants"]["by_gender"] == {"female": 1, "male": 1}
        assert record.aggregates["participants"]["by_category"] == {"delegate": 1, "expert": 1}
        assert record.aggregates["participants"]["by_delegation"] == {"EGY": 2}
        assert record.aggregates["meals"] == {"": 1, "vegetarian": 1}


def test_second_run_changes_nothing(traveller, conference):
    purge_conference(conference, today=AFTER_ALL)
    before = list(PurgeRecord.objects.values_list("pk", flat=True))
    snapshot = list(Participant.objects.values())

    steps = purge_conference(conference, today=AFTER_ALL)

    assert [(step.count, step.files, step.record) for step in steps] == [(0, 0, None)] * 5
    assert list(PurgeRecord.objects.values_list("pk", flat=True)) == before
    assert list(Participant.objects.values()) == snapshot


def test_only_due_kinds_are_purged(traveller, conference):
    # Sensitive data is due 31 days after the last day (13 July 2023), photos after 91.
    assert due_kinds(conference, today=datetime.date(2023, 8, 12)) == []
    assert due_kinds(conference, today=datetime.date(2023, 8, 13)) == ["sensitive"]

    purge_conference(conference, today=datetime.date(2023, 8, 13))

    row = Participant.objects.get(pk=traveller.pk)
    assert TravelDocument.objects.count() == 0 and VisaLetter.objects.get(participant=row).file.name == ""
    assert row.photo.name and _on_disk(row.photo.name) and TravelPlan.objects.get(participant=row).hotel_name == "Nile"
    assert list(PurgeRecord.objects.values_list("kind", flat=True)) == ["sensitive"]


def test_dry_run_changes_nothing(traveller, conference):
    out = StringIO()
    call_command("purge_personal_data", "--conference", conference.slug, "--dry-run", stdout=out)
    assert "sensitive: would remove 2 values, 1 files" in out.getvalue()
    assert TravelDocument.objects.count() == 1
    assert _on_disk(traveller.photo.name) and _on_disk(traveller.visa_letter.file.name)
    assert PurgeRecord.objects.count() == 0


def test_command_purges_what_is_due(traveller, conference):
    out = StringIO()
    call_command("purge_personal_data", "--conference", conference.slug, stdout=out)
    assert "sensitive: removed 2 values, 1 files" in out.getvalue()
    assert not _on_disk(traveller.visa_letter.file.name)
    assert PurgeRecord.objects.filter(conference=conference).count() == 5


def test_interrupted_purge_keeps_its_record_and_resumes(traveller, conference):
    """A step that fails (here: a rule whose shredder raises in the photos step, as a lost worker would stop it)
    rolls back alone: the sensitive step's record stays, and the next run does the rest once."""
    from django.db.models import Q

    from sessions_app.models import Room
    from tests.factories import RoomFactory

    RoomFactory(conference=conference)
    original = registry.rule_for(Room)

    def worker_lost(row):
        raise RuntimeError("worker lost")

    registry.register(Room, conference="conference", purge={"photos": {"name": registry.Replace(worker_lost, Q(pk=0))}})
    try:
        with pytest.raises(RuntimeError):
            purge_conference(conference, today=AFTER_ALL)
    finally:
        registry.unregister(Room)
        registry._rules[Room] = original
    assert list(PurgeRecord.objects.values_list("kind", flat=True)) == ["sensitive"]
    assert TravelDocument.objects.count() == 0
    assert Participant.objects.get(pk=traveller.pk).photo.name == traveller.photo.name

    purge_conference(conference, today=AFTER_ALL)

    kinds = sorted(PurgeRecord.objects.values_list("kind", flat=True))
    assert kinds == ["contacts_directory", "photos", "rest", "sensitive", "travel_hotel"]
    assert not _on_disk(traveller.photo.name)
    # The failed step had already removed the file (files go before the commit, so none outlives its name); the
    # resumed step clears the name and records it.
    assert PurgeRecord.objects.get(kind="photos").details == {"registration.Participant.photo": 1}


def test_retention_below_the_floor_is_refused_with_the_reason(conference, settings):
    settings.PRIVACY_RETENTION = {**settings.PRIVACY_RETENTION, "rest": {"floor": 30, "default": 730, "ceiling": 1825}}
    with pytest.raises(AccordError) as error:
        retention_policy_set(conference, actor=None, rest_days=10)
    assert str(error.value) == (
        "At least 30 days: the deployment keeps this data that long (for audits and appeals)."
    )
    assert RetentionPolicy.objects.count() == 0
    with pytest.raises(AccordError, match="At most 1825 days"):
        retention_policy_set(conference, actor=None, rest_days=4000)

    policy = retention_policy_set(conference, actor=None, rest_days=30, sensitive_days=0)
    assert (policy.rest_days, policy.sensitive_days, policy.days("photos")) == (30, 0, 90)
    assert due_kinds(conference, today=datetime.date(2023, 7, 14)) == ["sensitive"]


def test_conference_policy_moves_the_due_date(traveller, conference):
    retention_policy_set(conference, actor=None, sensitive_days=0)
    steps = purge_conference(conference, today=datetime.date(2023, 7, 14))
    assert [step.kind for step in steps] == ["sensitive"]
    assert steps[0].record.rule == "sensitive: 0 days after 2023-07-13, due 2023-07-14 (conference policy)"


def test_daily_task_purges_every_ended_conference(traveller, conference):
    from privacy.tasks import purge_due_task

    assert purge_due_task.delay().get() == 5
    assert TravelDocument.objects.count() == 0
    assert purge_due_task.delay().get() == 0


def test_paused_policy_is_left_alone_by_the_daily_task(traveller, conference, settings):
    from privacy.tasks import purge_due_task

    settings.PRIVACY_ALLOW_PAUSE = False
    with pytest.raises(AccordError, match="does not allow pausing"):
        retention_policy_set(conference, actor=None, automatic_purge=False)
    settings.PRIVACY_ALLOW_PAUSE = True
    retention_policy_set(conference, actor=None, automatic_purge=False)

    assert purge_due_task.delay().get() == 0
    assert TravelDocument.objects.count() == 1
    # The command still purges when an organizer runs it.
    call_command("purge_personal_data", "--conference", conference.slug, stdout=StringIO())
    assert TravelDocument.objects.count() == 0


def test_participant_deletion_reaches_rows_that_name_them_on_either_side(traveller, conference):
    """A contact exchange names two participants: deleting one's data removes it whichever side they are on."""
    from django.apps import apps

    from privacy.services.purge import purge_participant

    exchange = apps.get_model("cooperation.ContactExchange")
    other, third = (ParticipantFactory(conference=conference, delegation=traveller.delegation) for _ in range(2))
    exchange.objects.create(conference=conference, requester=other, recipient=traveller)
    exchange.objects.create(conference=conference, requester=traveller, recipient=third)
    exchange.objects.create(conference=conference, requester=other, recipient=third)

    purge_participant(traveller)

    assert list(exchange.objects.values_list("requester_id", "recipient_id")) == [(other.pk, third.pk)]
    assert Participant.objects.get(pk=other.pk).last_name == other.last_name


def test_beat_runs_the_daily_purge():
    from conference.celery import app

    entry = app.conf.beat_schedule["privacy-purge-due"]
    assert (entry["task"], entry["schedule"]) == ("privacy.purge_due", 24 * 60 * 60)
    assert "privacy.purge_due" in app.tasks
