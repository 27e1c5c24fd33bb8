import pytest
from django.db import IntegrityError, transaction

from tests.factories import ConferenceFactory, DelegationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def test_healthz_ok_when_database_and_broker_answer(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True


def test_healthz_503_when_broker_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False


def test_participant_email_unique_per_conference_case_insensitive():
    participant = ParticipantFactory(email="Amina@Example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(conference=participant.conference, email="amina@example.ORG")
    other = ConferenceFactory()
    assert ParticipantFactory(conference=other, email="amina@example.org").pk


def test_delegation_needs_country_or_organization():
    with pytest.raises(IntegrityError), transaction.atomic():
        DelegationFactory(country="", organization="")


def test_home_page_shows_conference(client):
    ConferenceFactory(slug="sharm2023", name="Inter-regional conference")
    response = client.get("/")
    assert response.status_code == 200
    assert "Inter-regional conference" in response.content.decode()
