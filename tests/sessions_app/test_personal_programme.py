"""My agenda shows the whole programme the participant attends, day by day: the sessions open to all and the
participant's own (sign-ups and roles), which are marked."""

import re

import pytest
from django.urls import reverse

from sessions_app import services
from tests.factories import ParticipantFactory, SessionRoleFactory, UserFactory

from .conftest import cairo

pytestmark = pytest.mark.django_db


def _programme(client):
    body = client.get(reverse("sessions_app:me")).content.decode()
    section = re.search(r'<section class="personal-programme".*?</section>', body, flags=re.S).group(0)
    days = re.findall(r"<h3>(.*?)</h3>", section)
    cards = re.findall(r'<li class="session-card( mine)?">(.*?)</li>', section, flags=re.S)
    return days, [(re.search(r"<bdi>([^<]*)</bdi></a>", text).group(1), bool(mine),
                   re.sub(r"<[^>]+>", "", re.search(r'<p class="status mine">(.*?)</p>', text).group(1))
                   if mine else "") for mine, text in cards]


def test_my_agenda_shows_programme_open_to_all_with_own_items_marked(client, conference, make_session):
    user = UserFactory()
    me = ParticipantFactory(conference=conference, user=user, email=user.email)
    make_session(title="Opening plenary", kind="opening", starts_at=cairo(10, 9), ends_at=cairo(10, 10))
    workshop = make_session(title="Workshop A", signup_required=True, capacity=1, starts_at=cairo(10, 11),
                            ends_at=cairo(10, 12))
    make_session(title="Workshop B (not mine)", signup_required=True, capacity=10, starts_at=cairo(10, 11),
                 ends_at=cairo(10, 12))
    full = make_session(title="Workshop C", signup_required=True, capacity=1, starts_at=cairo(11, 9),
                        ends_at=cairo(11, 10))
    panel = make_session(title="Panel", kind="panel", starts_at=cairo(11, 11), ends_at=cairo(11, 12))
    closed = make_session(title="Closed meeting", is_public=False, starts_at=cairo(11, 14), ends_at=cairo(11, 15))
    make_session(title="Hidden meeting", is_public=False, starts_at=cairo(11, 16), ends_at=cairo(11, 17))
    services.signup_create(workshop, participant=me)
    services.signup_create(full, participant=ParticipantFactory(conference=conference))
    services.signup_create(full, participant=me)
    SessionRoleFactory(session=panel, participant=me, role="chair")
    SessionRoleFactory(session=closed, participant=me, role="rapporteur")
    client.force_login(user)

    days, cards = _programme(client)
    assert days == ["Monday 10 July 2023", "Tuesday 11 July 2023"]
    assert cards == [
        ("Opening plenary", False, ""),
        ("Workshop A", True, "Yours · Confirmed"),
        ("Workshop C", True, "Yours · Waiting list, position 1"),
        ("Panel", True, "Yours · Chair"),
        ("Closed meeting", True, "Yours · Rapporteur"),
    ]
