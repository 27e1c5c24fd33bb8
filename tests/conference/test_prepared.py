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
    assert 'FOR UPDATE OF "registration_participant"' in queries.captured_queries[-1]["sql"]


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
