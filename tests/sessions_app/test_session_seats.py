"""A session page says how many seats are left and how long the waiting list is."""

import re

import pytest
from django.urls import reverse

from sessions_app import services
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _facts(client, session, language="en"):
    client.cookies["accord_language"] = language
    body = client.get(reverse("sessions_app:session", args=[session.pk])).content.decode()
    seats = re.search(r'<dd class="seats-left">(.*?)</dd>', body)
    waiting = re.search(r'<dd class="waiting-list">(.*?)</dd>', body)
    return (seats.group(1) if seats else None), (waiting.group(1) if waiting else None)


def test_session_page_shows_seats_left_and_waiting_list_length(client, conference, make_session):
    session = make_session(title="Workshop", signup_required=True, capacity=2)
    assert _facts(client, session) == ("2 seats left", "Nobody is waiting")
    people = ParticipantFactory.create_batch(4, conference=conference)
    signups = [services.signup_create(session, participant=people[0])]
    assert _facts(client, session) == ("1 seat left", "Nobody is waiting")
    for person in people[1:]:
        signups.append(services.signup_create(session, participant=person))
    assert _facts(client, session) == ("0 seats left", "2 people waiting")
    services.signup_cancel(signups[3], actor=None)
    assert _facts(client, session) == ("0 seats left", "1 person waiting")
    assert _facts(client, session, "fr") == ("0 place restante", "1 personne en attente")


def test_session_without_capacity_shows_waiting_list_only(client, conference, make_session):
    session = make_session(title="Open talk", signup_required=True, capacity=None)
    assert _facts(client, session) == (None, "Nobody is waiting")
    assert _facts(client, make_session(title="Plenary", signup_required=False)) == (None, None)
