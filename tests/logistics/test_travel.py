"""The travel and visa steps that logistics adds to the registration form, and the stay windows it offers."""

import datetime

import pytest
from django.urls import reverse

from logistics.models import TravelPlan
from logistics.selectors import stay_windows
from registration.enums import ParticipantStatus
from registration.form_steps import FormStep, add_form_step, form_steps, step_number
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_form_is_registrations_steps_with_logistics_steps_in_their_place():
    assert [step.key for step in form_steps()] == ["personal", "photo", "needs", "travel", "visa", "consents"]
    assert (step_number("travel"), step_number("visa")) == (4, 5)
    assert [step.key for step in form_steps() if step.identity] == ["personal", "photo", "visa"]


def test_an_added_step_takes_its_place_in_pages_and_progress(client, conference):
    user = UserFactory()
    participant = ParticipantFactory(conference=conference, user=user, email=user.email,
                                     status=ParticipantStatus.INVITED)
    from registration.form_steps import _STEPS

    extra = add_form_step(FormStep(key="test-extra", order=35, label="Extra step",
                                   build_form=lambda p, data, files: None, save=lambda *args: None))
    try:
        client.force_login(user)
        page = client.get(reverse("registration:register"))
        assert [item["key"] for item in page.context["steps"]] == [
            "personal", "photo", "needs", "test-extra", "travel", "visa", "consents"]
        assert "Extra step" in page.content.decode()
        assert step_number("travel") == 5
    finally:
        del _STEPS[extra.key]
    assert step_number("travel") == 4
    assert participant.form_step == 0


def test_stay_windows_in_the_conference_time_zone(conference, django_assert_num_queries):
    landed = ParticipantFactory(conference=conference)
    day_only = ParticipantFactory(conference=conference)
    ParticipantFactory(conference=conference)  # gave nothing
    TravelPlan.objects.create(participant=landed, arrival_date=datetime.date(2023, 7, 9),
                              arrival_time=datetime.time(14, 30), departure_date=datetime.date(2023, 7, 14),
                              departure_time=datetime.time(9, 0))
    TravelPlan.objects.create(participant=day_only, departure_date=datetime.date(2023, 7, 13))
    everyone = [p.pk for p in conference.participants.all()]
    with django_assert_num_queries(3):  # the wishes, the arrivals and the departures by flight
        windows = stay_windows(conference, everyone)
    utc = datetime.UTC
    # Cairo is UTC+3 in July.
    assert windows[landed.pk] == (datetime.datetime(2023, 7, 9, 11, 30, tzinfo=utc),
                                  datetime.datetime(2023, 7, 14, 6, 0, tzinfo=utc))
    assert windows[day_only.pk] == (None, datetime.datetime(2023, 7, 13, 20, 59, tzinfo=utc))
    assert set(windows) == {landed.pk, day_only.pk}
