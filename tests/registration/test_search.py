"""Name search for the desk and the admin: accent- and form-insensitive in Latin and Arabic script, ranked."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from conference.selectors import current_conference
from privacy.registry import rule_for
from registration.enums import ParticipantStatus
from registration.models import Participant
from registration.search import normalize, search_text
from registration.selectors import participants_search
from registration.services.participants import participant_create, participant_update
from tests.factories import ConferenceFactory, DelegationFactory, ParticipantFactory, StaffFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/registration/participant/"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Aïcha", "aicha"),
        ("AÏCHA  Ben-Ali", "aicha ben ali"),
        ("El-Sayed", "el sayed"),
        ("O’Brien", "obrien"),
        ("Søren Łukasz Œdipe", "soren lukasz oedipe"),
        ("أحمد", "احمد"),
        ("إيمان", "ايمان"),
        ("آمنة", "امنه"),  # madda and ta marbuta
        ("ٱلسيد", "السيد"),  # alef wasla
        ("مُحَمَّد", "محمد"),  # harakat and shadda
        ("مـحـمـد", "محمد"),  # tatweel
        ("مصطفى", "مصطفي"),  # alef maqsura
        ("فؤاد هانئ", "فواد هاني"),  # hamza on waw and ya
    ],
)
def test_normalize_latin_and_arabic_forms(text, expected):
    assert normalize(text) == expected


def test_search_text_keeps_each_distinct_name_between_separators():
    assert search_text("Aïcha Haddad", "Aicha Haddad", "عائشة حداد", "") == "|aicha haddad|عايشه حداد|"
    assert search_text("", "  ") == ""


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory(is_superuser=False))
    return client


def approved(**fields) -> Participant:
    """An approved participant (the desk lists them with or without a badge)."""
    return ParticipantFactory(status=ParticipantStatus.APPROVED, **fields)


def desk_found(client, query) -> list[int]:
    response = client.get(reverse("registration:desk"), {"q": query})
    assert response.status_code == 200
    return [p.pk for p in response.context["results"]]


def test_desk_search_accent_hamza_and_hyphen_insensitive(staff_client, conference):
    aicha = approved(conference=conference, first_name="Aïcha", last_name="Ben Salah")
    ahmed = approved(conference=conference, first_name="Karim", last_name="Nour", badge_name_ar="أحمد نور")
    sayed = approved(conference=conference, first_name="Omar", last_name="El Sayed")
    hyphen = approved(conference=conference, first_name="Mona", last_name="El-Sayed")
    approved(conference=ConferenceFactory(), first_name="Aicha", last_name="Elsewhere")

    assert desk_found(staff_client, "Aicha") == [aicha.pk]
    assert desk_found(staff_client, "AÏCHA ben-salah") == [aicha.pk]
    assert desk_found(staff_client, "احمد") == [ahmed.pk]
    assert desk_found(staff_client, "أَحْمَد") == [ahmed.pk]
    assert sorted(desk_found(staff_client, "El-Sayed")) == sorted([sayed.pk, hyphen.pk])
    assert sorted(desk_found(staff_client, "el sayed")) == sorted([sayed.pk, hyphen.pk])
    assert desk_found(staff_client, "Abdelrahman") == []


def ranked_people(conference):
    """Four participants whose alphabetical order (by surname) is the reverse of their rank for "Ali"."""
    delegation = DelegationFactory(conference=conference)
    somewhere = approved(conference=conference, delegation=delegation, first_name="Khalid", last_name="Abbas")
    word = approved(conference=conference, delegation=delegation, first_name="Mohamed", last_name="Ali")
    start = approved(conference=conference, delegation=delegation, first_name="Ali", last_name="Hassan")
    exact = approved(conference=conference, delegation=delegation, first_name="Ali", last_name="Zayed",
                                badge_name="Ali")
    return [exact.pk, start.pk, word.pk, somewhere.pk]


def test_desk_search_ranks_exact_name_then_start_then_word_then_elsewhere(staff_client, conference):
    expected = ranked_people(conference)
    assert desk_found(staff_client, "ali") == expected
    assert desk_found(staff_client, "Âli") == expected


def test_admin_search_is_insensitive_and_ranked_unless_a_column_is_sorted(client, conference):
    client.force_login(StaffFactory(username="organizer@example.org"))
    expected = ranked_people(conference)
    aicha = ParticipantFactory(conference=conference, first_name="Aïcha", last_name="Zed")
    ahmed = ParticipantFactory(conference=conference, first_name="X", last_name="Y", badge_name_ar="أحمد")

    def found(**params):
        response = client.get(CHANGELIST, params)
        assert response.status_code == 200
        return [p.pk for p in response.context["cl"].result_list]

    assert found(q="ali") == expected
    assert found(q="aicha") == [aicha.pk]
    assert found(q="احمد") == [ahmed.pk]
    # The name column sorted (by surname, ascending): the user's order, the same rows.
    assert found(q="ali", o="1") == list(reversed(expected))
    # Filters and the search together; e-mail and delegation code still found.
    assert found(q="ali", status__exact="approved", conference__id__exact=str(conference.pk)) == expected
    assert found(q=aicha.email) == [aicha.pk]


def test_admin_search_changelist_queries_do_not_grow_with_matches(client, conference, django_assert_num_queries):
    client.force_login(StaffFactory(username="organizer@example.org"))
    ParticipantFactory(conference=conference, first_name="Aïcha", last_name="One")
    current_conference()
    client.get(CHANGELIST, {"q": "aicha"})  # sessions and caches warm
    with django_assert_num_queries(9):
        assert client.get(CHANGELIST, {"q": "aicha"}).context["cl"].result_count == 1
    ParticipantFactory.create_batch(30, conference=conference, first_name="Aicha")
    with django_assert_num_queries(9):
        assert client.get(CHANGELIST, {"q": "aicha"}).context["cl"].result_count == 31


def test_services_keep_search_name_on_create_and_on_name_change(conference):
    participant = participant_create(conference, email="a@example.org", first_name="Aïcha", last_name="Ben-Salah")
    assert Participant.objects.get(pk=participant.pk).search_name == "|aicha ben salah|"
    participant_update(participant, actor=None, badge_name_ar="عائشة")
    assert Participant.objects.get(pk=participant.pk).search_name == "|aicha ben salah|عايشه|"
    participant_update(participant, actor=None, position="Judge")  # no name changed: the column is not rewritten
    assert Participant.objects.get(pk=participant.pk).search_name == "|aicha ben salah|عايشه|"


def test_migration_backfills_search_name(conference):
    participant = ParticipantFactory(conference=conference, first_name="Aïcha", last_name="Nour", badge_name_ar="أحمد")
    Participant.objects.filter(pk=participant.pk).update(search_name="")
    migration = importlib.import_module("registration.migrations.0018_participant_search_name")
    migration.backfill_search_name(apps, None)
    assert Participant.objects.get(pk=participant.pk).search_name == "|aicha nour|احمد|"


def test_search_name_purged_with_the_names():
    rule = rule_for(Participant)
    assert rule.kind_of("search_name") == rule.kind_of("first_name")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_postgresql_trigram_index_and_similarity_used(conference):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'participant_search_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "gin_trgm_ops" in definition
    queryset = participants_search(Participant.objects.filter(conference=conference), "Aicha")
    assert "SIMILARITY" in str(queryset.query).upper()
    # Without a whole-name rank the trigram similarity is not computed at all.
    assert "SIMILARITY" not in str(participants_search(Participant.objects.all(), "Aicha", ranked=False).query).upper()
