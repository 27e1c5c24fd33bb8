"""Check-in scans: results with reasons, idempotent client ids, concurrent desks, session attendance."""

from __future__ import annotations

import datetime
import threading
import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from onsite.enums import CheckInResult
from onsite.models import Badge, CheckIn
from onsite.services.badges import badge_code, badge_ensure, badge_revoke
from onsite.services.checkin import attendance_scan, checkin_scan
from registration.enums import ParticipantStatus
from registration.models import Participant
from tests.factories import ConferenceFactory, ParticipantFactory, StaffFactory


def cid() -> str:
    return str(uuid.uuid4())


def approved(**kwargs) -> tuple[Participant, str]:
    participant = ParticipantFactory(status=ParticipantStatus.APPROVED, **kwargs)
    return participant, badge_code(badge_ensure(participant))


@pytest.mark.django_db
def test_checkin_scan_first_time_ok_then_already_with_time_and_staff():
    staff = StaffFactory(first_name="Nadia", last_name="Desk")
    participant, code = approved()
    conference = participant.conference
    scanned = datetime.datetime(2023, 7, 10, 6, 30, tzinfo=datetime.UTC)

    first = checkin_scan(conference, code=code, client_id=cid(), scanned_at=timezone.now(), actor=staff)
    Participant.objects.filter(pk=participant.pk).update(checked_in_at=scanned)  # a fixed time to read back
    second = checkin_scan(conference, code=code, client_id=cid(), actor=StaffFactory())

    assert first.result == CheckInResult.OK
    participant.refresh_from_db()
    assert participant.checked_in_by == staff
    assert second.result == CheckInResult.ALREADY
    assert "09:30" in second.message  # 06:30 UTC is 09:30 in Africa/Cairo (summer time)
    assert "Nadia Desk" in second.message
    assert list(CheckIn.objects.order_by("received_at").values_list("result", flat=True)) == ["ok", "already"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [ParticipantStatus.CANCELLED, ParticipantStatus.REJECTED, ParticipantStatus.SUBMITTED]
)
def test_checkin_scan_not_approved_refused(status):
    participant, code = approved()
    Participant.objects.filter(pk=participant.pk).update(status=status)

    outcome = checkin_scan(participant.conference, code=code, client_id=cid(), actor=StaffFactory())

    assert outcome.result == CheckInResult.NOT_APPROVED
    assert outcome.message
    participant.refresh_from_db()
    assert participant.checked_in_at is None


@pytest.mark.django_db
def test_checkin_scan_forged_and_garbled_refused():
    participant, code = approved()
    token = Badge.objects.get(participant=participant).token
    staff = StaffFactory()
    for forged in (token, f"{token}:AAAAAAAAAAAAAAAAAAAAAAAAAAA", code[:-2] + "xx", "", "x" * 500, str(participant.pk)):
        outcome = checkin_scan(participant.conference, code=forged, client_id=cid(), actor=staff)
        assert outcome.result == CheckInResult.INVALID, forged
        assert outcome.participant is None
    participant.refresh_from_db()
    assert participant.checked_in_at is None


@pytest.mark.django_db
def test_checkin_scan_revoked_badge_refused_new_one_accepted():
    staff = StaffFactory()
    participant, old_code = approved()
    badge_revoke(participant, actor=staff, reason="lost")
    new_code = badge_code(Badge.objects.get(participant=participant))

    refused = checkin_scan(participant.conference, code=old_code, client_id=cid(), actor=staff)
    accepted = checkin_scan(participant.conference, code=new_code, client_id=cid(), actor=staff)

    assert refused.result == CheckInResult.REVOKED
    assert "revoked" in refused.message
    assert accepted.result == CheckInResult.OK


@pytest.mark.django_db
def test_checkin_scan_other_conference_refused():
    participant, code = approved()
    elsewhere = ConferenceFactory()

    outcome = checkin_scan(elsewhere, code=code, client_id=cid(), actor=StaffFactory())

    assert outcome.result == CheckInResult.OTHER_CONFERENCE
    assert outcome.as_json()["participant"] is None  # nothing about another conference's participant
    participant.refresh_from_db()
    assert participant.checked_in_at is None
    assert CheckIn.objects.get().participant is None


@pytest.mark.django_db
def test_checkin_scan_resend_same_client_id_counts_once():
    staff = StaffFactory()
    participant, code = approved()
    client_id = cid()

    first = checkin_scan(participant.conference, code=code, client_id=client_id, actor=staff)
    again = checkin_scan(participant.conference, code=code, client_id=client_id, actor=staff)

    assert (first.result, again.result, again.duplicate) == ("ok", "ok", True)
    assert CheckIn.objects.count() == 1


@pytest.mark.django_db
def test_checkin_scan_offline_time_kept_future_time_ignored():
    staff = StaffFactory()
    early, early_code = approved()
    late, late_code = approved(conference=early.conference)
    ten_minutes_ago = timezone.now() - datetime.timedelta(minutes=10)

    checkin_scan(early.conference, code=early_code, client_id=cid(), scanned_at=ten_minutes_ago, actor=staff)
    checkin_scan(late.conference, code=late_code, client_id=cid(),
                 scanned_at=timezone.now() + datetime.timedelta(days=2), actor=staff)

    early.refresh_from_db()
    late.refresh_from_db()
    assert early.checked_in_at == ten_minutes_ago
    assert late.checked_in_at <= timezone.now()


@pytest.mark.django_db
def test_checkin_scan_bad_client_id_rejected():
    participant, code = approved()
    with pytest.raises(ValueError):
        checkin_scan(participant.conference, code=code, client_id="", actor=None)
    with pytest.raises(ValueError):
        checkin_scan(participant.conference, code=code, client_id="x" * 65, actor=None)
    assert CheckIn.objects.count() == 0


def _run_concurrently(target, count=2):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(index):
        try:
            barrier.wait(timeout=10)
            results.append(target(index))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_checkin_scan_two_desks_same_code_at_once_one_ok():
    if connection.vendor != "postgresql":
        pytest.skip("the race is tested on PostgreSQL")
    staff = StaffFactory()
    participant, code = approved()
    conference = participant.conference

    for _round in range(3):
        Participant.objects.filter(pk=participant.pk).update(checked_in_at=None, checked_in_by=None)
        CheckIn.objects.all().delete()
        results, errors = _run_concurrently(
            lambda i: checkin_scan(conference, code=code, client_id=cid(), actor=staff, device=f"desk{i}").result
        )
        assert errors == []
        assert sorted(results) == ["already", "ok"]
        assert CheckIn.objects.filter(result="ok").count() == 1


@pytest.mark.django_db(transaction=True)
def test_checkin_race_control_naive_read_then_write_sees_the_race():
    """Control: without the row lock, both desks read "not checked in" -- the race the service prevents."""
    if connection.vendor != "postgresql":
        pytest.skip("the race is tested on PostgreSQL")
    participant, _code = approved()
    both_read = threading.Barrier(2)

    def naive(index):
        with transaction.atomic():
            seen = Participant.objects.get(pk=participant.pk).checked_in_at  # no select_for_update
            both_read.wait(timeout=10)
            try:
                with transaction.atomic():
                    CheckIn.objects.create(
                        conference_id=participant.conference_id, participant=participant, client_id=cid(),
                        result="ok" if seen is None else "already", scanned_at=timezone.now(),
                    )
            except IntegrityError:
                return (seen, "constraint")
            Participant.objects.filter(pk=participant.pk).update(checked_in_at=timezone.now())
            return (seen, "ok")

    results, errors = _run_concurrently(naive)

    assert errors == []
    assert [seen for seen, _outcome in results] == [None, None]  # both saw "not yet checked in"
    # ...and only the partial unique constraint kept the second "ok" out.
    assert sorted(outcome for _seen, outcome in results) == ["constraint", "ok"]
    assert CheckIn.objects.filter(result="ok").count() == 1


@pytest.mark.django_db
def test_checkin_constraint_refuses_a_second_ok_scan_row_for_a_participant():
    """The database's backup layer on its own: whatever writes the rows, one "ok" per participant."""
    participant, _code = approved()
    row = {"conference_id": participant.conference_id, "participant": participant, "scanned_at": timezone.now()}
    CheckIn.objects.create(client_id=cid(), result="ok", **row)
    CheckIn.objects.create(client_id=cid(), result="already", **row)
    CheckIn.objects.create(client_id=cid(), result="already", **row)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(client_id=cid(), result="ok", **row)
    assert CheckIn.objects.filter(participant=participant, result="ok").count() == 1


@pytest.mark.django_db
def test_attendance_scan_once_per_session_and_idempotent():
    from onsite.models import Attendance
    from sessions_app.models import Session

    staff = StaffFactory()
    participant, code = approved()
    conference = participant.conference
    start = timezone.now()
    session = Session.objects.create(
        conference=conference, kind="plenary", title="Opening", starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    client_id = cid()

    first = attendance_scan(session, code=code, client_id=client_id, actor=staff)
    resend = attendance_scan(session, code=code, client_id=client_id, actor=staff)
    again = attendance_scan(session, code=code, client_id=cid(), actor=staff)
    forged = attendance_scan(session, code="nope", client_id=cid(), actor=staff)

    assert (first.result, resend.result, resend.duplicate, again.result, forged.result) == (
        "ok", "ok", True, "already", "invalid"
    )
    assert Attendance.objects.filter(session=session, participant=participant).count() == 1


@pytest.mark.django_db(transaction=True)
def test_checkin_scan_waits_for_another_desks_check_in_then_answers_already():
    """Another desk holds the badge holder's row (its check-in not committed yet): the scan waits for it, then
    answers "already" with that desk's time and staff, and writes no second check-in."""
    if connection.vendor != "postgresql":
        pytest.skip("the lock is tested on PostgreSQL")
    other_desk = StaffFactory(first_name="Omar", last_name="Other")
    participant, code = approved()
    conference = participant.conference
    locked, answered = threading.Event(), []

    def scan_meanwhile():
        try:
            locked.wait(timeout=10)
            answered.append(checkin_scan(conference, code=code, client_id=cid(), actor=StaffFactory()))
        finally:
            connection.close()

    scanner = threading.Thread(target=scan_meanwhile)
    scanner.start()
    with transaction.atomic():
        Participant.objects.select_for_update().get(pk=participant.pk)
        locked.set()
        scanner.join(timeout=1)
        assert scanner.is_alive()  # waiting for the row
        when = timezone.now()
        Participant.objects.filter(pk=participant.pk).update(checked_in_at=when, checked_in_by=other_desk)
    scanner.join(timeout=10)

    assert [outcome.result for outcome in answered] == [CheckInResult.ALREADY]
    assert "Omar Other" in answered[0].message
    assert answered[0].checked_in_at == when
    assert list(CheckIn.objects.values_list("result", flat=True)) == ["already"]


@pytest.mark.django_db
@pytest.mark.parametrize("language, label", [("en", "Delegate"), ("fr", "Délégué"), ("ar", "مندوب")])
def test_checkin_answer_shows_the_category_in_the_desks_language(language, label):
    from django.utils import translation

    from registration.enums import ParticipantCategory

    participant, code = approved(category=ParticipantCategory.DELEGATE)
    with translation.override(language):
        answer = checkin_scan(participant.conference, code=code, client_id=cid(), actor=StaffFactory()).as_json()
        expected = participant.get_category_display()
    assert answer["participant"]["category"] == expected == label
