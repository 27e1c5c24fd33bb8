import datetime

import pytest

from tests.factories import ConferenceFactory, RoomFactory, SessionFactory

UTC = datetime.UTC


def cairo(day: int, hour: int, minute: int = 0, month: int = 7) -> datetime.datetime:
    """A July 2023 Cairo wall-clock time (UTC+3, summer time) as an aware UTC datetime."""
    return datetime.datetime(2023, month, day, hour, minute, tzinfo=datetime.timezone(datetime.timedelta(hours=3))).astimezone(UTC)


@pytest.fixture
def conference(db):
    return ConferenceFactory(slug="sharm2023", name="Inter-regional conference", name_fr="Conférence interrégionale",
                             name_ar="المؤتمر الأقاليمي")


@pytest.fixture
def room(conference):
    return RoomFactory(conference=conference, name="Hall A", name_fr="Salle A", name_ar="القاعة أ", order=1)


@pytest.fixture
def make_session(conference, room):
    def make(**kwargs):
        kwargs.setdefault("conference", conference)
        kwargs.setdefault("room", room)
        return SessionFactory(**kwargs)

    return make
