import datetime

import factory
from django.contrib.auth import get_user_model

from conference.enums import DelegationKind
from conference.models import Conference, Delegation
from registration.enums import ParticipantCategory, ParticipantStatus
from registration.models import Participant
from registration.search import search_text


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}@example.org")
    email = factory.SelfAttribute("username")
    password = factory.django.Password("correct-horse-battery")


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"conf{n}")
    name = factory.Sequence(lambda n: f"Conference {n}")
    short_name = factory.Sequence(lambda n: f"C{n}")
    start_date = datetime.date(2023, 7, 10)
    end_date = datetime.date(2023, 7, 13)
    time_zone = "Africa/Cairo"
    venue = "Congress Centre"
    city = "Sharm El Sheikh"
    country = "EG"


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    conference = factory.SubFactory(ConferenceFactory)
    code = factory.Sequence(lambda n: f"D{n}")
    kind = DelegationKind.MEMBER_STATE
    country = "EG"
    seat_quota = 5


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    conference = factory.SubFactory(ConferenceFactory)
    delegation = factory.SubFactory(DelegationFactory, conference=factory.SelfAttribute("..conference"))
    public_id = factory.Sequence(lambda n: f"p{n:08d}x")
    email = factory.Sequence(lambda n: f"participant{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    category = ParticipantCategory.DELEGATE
    status = ParticipantStatus.APPROVED
    gender = "female"
    # What the participant services keep (registration/search.py) for rows made here without them.
    search_name = factory.LazyAttribute(
        lambda o: search_text(f"{o.first_name} {o.last_name}", getattr(o, "badge_name", ""), getattr(o, "badge_name_ar", ""))
    )


# --- Programme (sessions_app) -------------------------------------------------------------------------
class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sessions_app.Room"

    conference = factory.SubFactory(ConferenceFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 100
    interpretation_languages = factory.LazyFunction(lambda: ["ar", "fr", "en"])


class SessionFactory(factory.django.DjangoModelFactory):
    """A session on the conference's first day, 09:00–10:00 Cairo time by default (06:00–07:00 UTC in July)."""

    class Meta:
        model = "sessions_app.Session"

    conference = factory.SubFactory(ConferenceFactory)
    kind = "thematic"
    title = factory.Sequence(lambda n: f"Session {n}")
    starts_at = datetime.datetime(2023, 7, 10, 6, 0, tzinfo=datetime.UTC)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1))
    room = factory.SubFactory(RoomFactory, conference=factory.SelfAttribute("..conference"))


class SessionRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sessions_app.SessionRole"

    session = factory.SubFactory(SessionFactory)
    participant = factory.SubFactory(ParticipantFactory, conference=factory.SelfAttribute("..session.conference"))
    role = "speaker"
