"""A small world for cooperation: three delegations of the current conference, each with a focal point and
approved members, two meeting rooms and a grid of slots on 11 July 2023 (Cairo time, UTC+3)."""

import datetime
from dataclasses import dataclass

import pytest

from cooperation.models import MeetingRoom, MeetingSlot
from tests.factories import ConferenceFactory, DelegationFactory, ParticipantFactory, RoomFactory, UserFactory

UTC = datetime.UTC


def cairo(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2023, 7, day, hour, minute,
                             tzinfo=datetime.timezone(datetime.timedelta(hours=3))).astimezone(UTC)


@dataclass
class Side:
    delegation: object
    focal: object  # the focal point's account
    members: list


@dataclass
class World:
    conference: object
    a: Side
    b: Side
    c: Side
    rooms: list
    slots: list


@pytest.fixture
def conference(db, settings):
    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    return ConferenceFactory(slug="sharm2023", name="Inter-regional conference", name_fr="Conférence interrégionale",
                             name_ar="المؤتمر الأقاليمي")


def make_side(conference, code, country, language="en", members=2):
    delegation = DelegationFactory(conference=conference, code=code, country=country)
    # Accounts without a usable password (force_login): hashing one costs half a second each.
    focal = UserFactory(username=f"focal-{code.lower()}@example.org", password=None)
    delegation.focal_points.add(focal)
    # The focal point is also a registered participant, in their language.
    ParticipantFactory(conference=conference, delegation=delegation, user=focal, email=focal.email,
                       preferred_language=language, first_name="Focal", last_name=code)
    people = [
        ParticipantFactory(conference=conference, delegation=delegation, preferred_language=language,
                           user=UserFactory(username=f"member{i}-{code.lower()}@example.org", password=None),
                           email=f"member{i}-{code.lower()}@example.org", last_name=f"{code}-member{i}")
        for i in range(members)
    ]
    return Side(delegation, focal, people)


@pytest.fixture
def world(conference):
    a = make_side(conference, "EGY", "EG", "ar")
    b = make_side(conference, "FRA", "FR", "fr")
    c = make_side(conference, "NGA", "NG", "en")
    small = RoomFactory(conference=conference, name="Meeting room 1", capacity=4,
                        interpretation_languages=["ar", "fr", "en"], order=1)
    large = RoomFactory(conference=conference, name="Meeting room 2", capacity=10,
                        interpretation_languages=["ar", "fr", "en"], order=2)
    rooms = [MeetingRoom.objects.create(conference=conference, room=room) for room in (small, large)]
    slots = [MeetingSlot.objects.create(conference=conference, starts_at=cairo(11, hour), ends_at=cairo(11, hour, 45))
             for hour in (14, 15, 16)]
    return World(conference, a, b, c, rooms, slots)
