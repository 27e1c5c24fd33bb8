"""PreparedRead: the same rows and model instances as the queryset, compiled once."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from conference.models import Delegation
from conference.prepared import Part, PreparedRead
from registration.models import Participant
from tests.factories import ConferenceFactory, DelegationFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def _every_field(model) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


def _read() -> PreparedRead:
    return PreparedRead(
        lambda conference_id, email: Participant.objects.filter(conference_id=conference_id, email=email).order_by("pk"),
        samples=(-1, "sample@prepared.invalid"),
        # Named out of the model's order on purpose: from_db() takes the model's order.
        parts=(Part("", Participant, tuple(reversed(_every_field(Participant)))),
               Part("delegation", Delegation, ("organization", "id", "country"))),
    )


def test_prepared_read_gives_the_querysets_instances():
    conference = ConferenceFactory()
    delegation = DelegationFactory(conference=conference, organization="Bureau", country="EG")
    person = ParticipantFactory(conference=conference, delegation=delegation, email="a@example.org",
                                dietary_needs="Halal", badge_name_ar="أمينة")
    ParticipantFactory(conference=conference, delegation=None, email="b@example.org")
    read = _read()
    found = read.first(conference.pk, "a@example.org")
    expected = Participant.objects.get(pk=person.pk)
    for field in Participant._meta.concrete_fields:
        assert getattr(found[""], field.attname) == getattr(expected, field.attname), field.name
    assert found["delegation"].organization == "Bureau" and found["delegation"].country.code == "EG"
    assert found["delegation"].pk == delegation.pk
    alone = read.first(conference.pk, "b@example.org")
    assert alone["delegation"] is None and alone[""].email == "b@example.org"
    assert read.first(conference.pk, "nobody@example.org") is None


def test_prepared_read_compiles_once_and_runs_one_statement():
    conference = ConferenceFactory()
    ParticipantFactory(conference=conference, email="a@example.org")
    read = _read()
    read.first(conference.pk, "a@example.org")
    with CaptureQueriesContext(connection) as queries:
        read.first(conference.pk, "a@example.org")
    assert len(queries) == 1
    compiled = read._local.statement[2]
    assert compiled == read._statement(connection)[1]


def test_prepared_read_locks_inside_a_transaction():
    conference = ConferenceFactory()
    ParticipantFactory(conference=conference, email="a@example.org")
    read = PreparedRead(
        lambda email: Participant.objects.filter(email=email).order_by().select_for_update(of=("self",)),
        samples=("sample@prepared.invalid",),
        parts=(Part("", Participant, ("id", "email")),),
    )
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert read.first("a@example.org")[""].email == "a@example.org"
    sql = queries.captured_queries[-1]["sql"]
    assert 'FROM "registration_participant" U0 ' in sql and sql.endswith("FOR UPDATE OF U0")


def test_prepared_reads_are_short_enough_for_psycopg_to_keep_them_parsed():
    """psycopg keeps a parsed statement for the next calls only below 4 kB: with short table aliases, even the
    read of every field of a participant and their delegation stays below."""
    from psycopg._queries import MAX_CACHED_STATEMENT_LENGTH

    from registration.permissions import _linked_participation
    from registration.services.checkin import _scan_read

    for read in (_linked_participation(), _scan_read(False)):
        _compiler, sql, _slots, _converters = read._statement(connection)
        assert len(sql.encode()) <= MAX_CACHED_STATEMENT_LENGTH


def test_prepared_read_refuses_samples_it_cannot_place():
    read = PreparedRead(
        lambda user_id: Participant.objects.filter(user_id=UserFactory().pk),  # the sample is not used
        samples=(-5,),
        parts=(Part("", Participant, ("id",)),),
    )
    with pytest.raises(ValueError):
        read.first(1)
    with pytest.raises(ValueError):
        Part("", Participant, ("id", "no_such_field"))
    with pytest.raises(ValueError):
        PreparedRead(lambda a, b: None, samples=(1, 1), parts=())


# --- writes: save_fields() and insert() -------------------------------------------------------------------------


def _signals():
    from django.db.models import signals

    seen = []

    def pre(sender, instance, update_fields=None, **kwargs):
        seen.append(("pre", sender.__name__, update_fields))

    def post(sender, instance, created=False, update_fields=None, **kwargs):
        seen.append(("post", sender.__name__, created, update_fields))

    signals.pre_save.connect(pre, weak=False, dispatch_uid="test-prepared-pre")
    signals.post_save.connect(post, weak=False, dispatch_uid="test-prepared-post")
    return seen, lambda: (signals.pre_save.disconnect(dispatch_uid="test-prepared-pre"),
                          signals.post_save.disconnect(dispatch_uid="test-prepared-post"))


def test_save_fields_writes_only_the_named_fields_with_auto_now_and_signals():
    import datetime

    from conference.prepared import save_fields

    person = ParticipantFactory(dietary_needs="", organization="Before")
    stamp = person.updated_at - datetime.timedelta(days=1)
    Participant.objects.filter(pk=person.pk).update(updated_at=stamp)
    person.dietary_needs = "Halal; no nuts"
    person.organization = "Not saved"
    seen, disconnect = _signals()
    try:
        with CaptureQueriesContext(connection) as queries:
            save_fields(person, ["dietary_needs", "updated_at"])
    finally:
        disconnect()
    stored = Participant.objects.get(pk=person.pk)
    assert stored.dietary_needs == "Halal; no nuts"
    assert stored.organization == "Before"
    assert stored.updated_at > stamp and stored.updated_at == person.updated_at
    assert len(queries) == 1 and queries[0]["sql"].startswith("UPDATE")
    assert seen == [("pre", "Participant", frozenset({"dietary_needs", "updated_at"})),
                    ("post", "Participant", False, frozenset({"dietary_needs", "updated_at"}))]


def test_save_fields_takes_attnames_and_fails_like_save_when_the_row_is_gone():
    from django.db import DatabaseError

    from conference.prepared import save_fields

    person = ParticipantFactory(delegation=None)
    delegation = DelegationFactory(conference=person.conference)
    person.delegation_id = delegation.pk
    save_fields(person, ["delegation_id"])
    assert Participant.objects.get(pk=person.pk).delegation_id == delegation.pk
    Participant.objects.filter(pk=person.pk).delete()
    person.dietary_needs = "Vegan"
    with pytest.raises(DatabaseError), transaction.atomic():
        save_fields(person, ["dietary_needs"])


def test_insert_gives_the_row_save_would_with_its_pk_and_signals():
    from conference.models import AuditLog
    from conference.prepared import insert

    user = UserFactory()
    entry = AuditLog(actor=user, action="test.insert", changes={"name": {"old": "أ", "new": "b"}, "n": [1, 2]})
    seen, disconnect = _signals()
    try:
        insert(entry)
    finally:
        disconnect()
    assert entry.pk is not None and entry._state.adding is False
    stored = AuditLog.objects.get(pk=entry.pk)
    assert stored.actor == user and stored.action == "test.insert"
    assert stored.changes == {"name": {"old": "أ", "new": "b"}, "n": [1, 2]}
    assert stored.created_at is not None and stored.created_at == entry.created_at
    assert seen == [("pre", "AuditLog", None), ("post", "AuditLog", True, None)]


def test_save_fields_and_insert_writes_both_in_one_statement_or_neither():
    from django.db import DatabaseError, IntegrityError

    from conference.models import AuditLog
    from conference.prepared import save_fields_and_insert
    from conference.services import audit_entry

    conference = ConferenceFactory()
    person = ParticipantFactory(conference=conference, dietary_needs="", email="one@example.org")
    ParticipantFactory(conference=conference, email="two@example.org")
    person.dietary_needs = "Halal"
    entry = audit_entry(actor=None, action="test.both", target=person, changes={"dietary_needs": {"new": "Halal"}})
    seen, disconnect = _signals()
    try:
        with CaptureQueriesContext(connection) as queries:
            save_fields_and_insert(person, ["dietary_needs", "updated_at"], entry)
    finally:
        disconnect()
    assert Participant.objects.get(pk=person.pk).dietary_needs == "Halal"
    assert AuditLog.objects.get(pk=entry.pk).action == "test.both" and entry.object_id == str(person.pk)
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 1 and statements[0].startswith("WITH updated AS (UPDATE")
    assert [event[:2] for event in seen] == [("pre", "Participant"), ("pre", "AuditLog"),
                                             ("post", "Participant"), ("post", "AuditLog")]

    # A refused update (the other participant's e-mail) writes no audit entry, and the caller's transaction goes on.
    entries = AuditLog.objects.count()
    with transaction.atomic():
        person.email = "two@example.org"
        with pytest.raises(IntegrityError):
            save_fields_and_insert(person, ["email"], audit_entry(actor=None, action="test.refused", target=person))
        assert Participant.objects.filter(email="one@example.org").exists()  # the transaction is still usable
    assert AuditLog.objects.count() == entries

    # No row to update: nothing written, and the error save() gives.
    gone = ParticipantFactory(conference=conference)
    Participant.objects.filter(pk=gone.pk).delete()
    gone.dietary_needs = "Vegan"
    with pytest.raises(DatabaseError), transaction.atomic():
        save_fields_and_insert(gone, ["dietary_needs"], audit_entry(actor=None, action="test.gone"))
    assert AuditLog.objects.count() == entries


# --- prepared on the server (PostgreSQL) ----------------------------------------------------------------------------

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="server-side prepared statements")


def _server_statements(marker: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall() if marker in statement]


@postgres_only
def test_hot_statements_are_prepared_once_per_connection_and_still_logged():
    """PostgreSQL parses and plans the hot read and write once per connection, then runs them with new values;
    Django's query log (DEBUG, CaptureQueriesContext) still shows what ran."""
    from conference.prepared import save_fields

    conference = ConferenceFactory()
    person = ParticipantFactory(conference=conference, email="a@example.org", dietary_needs="")
    ParticipantFactory(conference=conference, email="b@example.org")
    read = _read()
    with CaptureQueriesContext(connection) as queries:
        for email in ("a@example.org", "b@example.org", "a@example.org"):
            assert read.first(conference.pk, email)[""].email == email
    assert len(queries) == 3 and all('FROM "registration_participant" U0 ' in q["sql"] for q in queries)
    assert len(_server_statements('FROM "registration_participant" U0 ')) == 1
    for diet in ("Halal", "Vegan"):
        person.dietary_needs = diet
        save_fields(person, ["dietary_needs"])
    assert Participant.objects.get(pk=person.pk).dietary_needs == "Vegan"
    assert _server_statements('UPDATE "registration_participant" SET "dietary_needs" = $1') != []


@postgres_only
def test_without_prepared_statements_the_same_rows_and_nothing_prepared(monkeypatch):
    """DB_PREPARED_STATEMENTS=0 (no prepare_threshold: behind a pooler that cannot keep them) runs the same
    statements unprepared."""
    from conference.prepared import save_fields

    conference = ConferenceFactory()
    person = ParticipantFactory(conference=conference, email="a@example.org", dietary_needs="")
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)
    read = _read()
    assert read.first(conference.pk, "a@example.org")[""].pk == person.pk
    person.dietary_needs = "Halal"
    save_fields(person, ["dietary_needs"])
    assert Participant.objects.get(pk=person.pk).dietary_needs == "Halal"
    assert _server_statements('"registration_participant"') == []


def _prepare_threshold(extra_env: dict[str, str]) -> str:
    import os
    import subprocess  # nosec B404 - our own interpreter on our own settings
    import sys
    from pathlib import Path

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "conference.settings",
           "DATABASE_URL": "postgres://accord@127.0.0.1:5432/accord", **extra_env}
    result = subprocess.run(  # nosec B603
        [sys.executable, "-c", "from django.conf import settings; "
         "print(settings.DATABASES['default']['OPTIONS'].get('prepare_threshold'))"],
        cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True, timeout=60, check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_prepared_statements_are_on_with_postgresql_unless_turned_off():
    assert _prepare_threshold({}) == "5"
    assert _prepare_threshold({"DB_PREPARED_STATEMENTS": "0"}) == "None"
