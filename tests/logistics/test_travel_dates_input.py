"""The travel step's dates and times are typed and shown day first and on the 24-hour clock, in every page
language, never in the browser's own (American) order: 09/07/2023 is 9 July, 14:35 is 2:35 pm."""

import datetime
import re

import pytest
from django.urls import reverse

from logistics.models import TravelPlan
from registration.enums import ParticipantStatus
from registration.form_steps import step_number
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def traveller(client, conference):
    user = UserFactory()
    participant = ParticipantFactory(conference=conference, user=user, email=user.email,
                                     status=ParticipantStatus.INVITED, form_step=6)
    client.force_login(user)
    return participant


def _url():
    return reverse("registration:register_step", kwargs={"step": step_number("travel")})


def _inputs(body: str) -> dict[str, str]:
    return {name: tag for tag, name in re.findall(r'(<input[^>]*name="((?:arrival|departure)_(?:date|time))"[^>]*>)',
                                                  body)}


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_travel_step_shows_dates_day_first_and_times_24_hour(client, traveller, language):
    TravelPlan.objects.create(participant=traveller, arrival_date=datetime.date(2023, 7, 9),
                              arrival_time=datetime.time(14, 35), departure_date=datetime.date(2023, 7, 13),
                              departure_time=datetime.time(9, 5))
    client.cookies["accord_language"] = language
    inputs = _inputs(client.get(_url()).content.decode())
    assert set(inputs) == {"arrival_date", "arrival_time", "departure_date", "departure_time"}
    assert all('type="text"' in tag and 'dir="ltr"' in tag for tag in inputs.values())
    assert 'value="09/07/2023"' in inputs["arrival_date"] and 'value="13/07/2023"' in inputs["departure_date"]
    assert 'value="14:35"' in inputs["arrival_time"] and 'value="09:05"' in inputs["departure_time"]
    assert "PM" not in "".join(inputs.values())


@pytest.mark.parametrize(("typed_date", "typed_time"), [
    ("09/07/2023", "14:35"), ("9.7.2023", "14.35"), ("2023-07-09", "14:35"), ("٠٩/٠٧/٢٠٢٣", "١٤:٣٥"),
])
def test_travel_step_reads_day_first_and_24_hour(client, traveller, typed_date, typed_time):
    response = client.post(_url(), {
        "arrival_date": typed_date, "arrival_time": typed_time, "departure_date": "13/07/2023",
        "departure_time": "18:05", "arrival_flight": "", "arrival_airport": "", "departure_flight": "",
        "departure_airport": "", "room_sharing": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = TravelPlan.objects.get(participant=traveller)
    assert (plan.arrival_date, plan.arrival_time) == (datetime.date(2023, 7, 9), datetime.time(14, 35))
    assert (plan.departure_date, plan.departure_time) == (datetime.date(2023, 7, 13), datetime.time(18, 5))


def test_travel_step_refuses_twelve_hour_times_with_a_clear_error(client, traveller):
    response = client.post(_url(), {"arrival_date": "09/07/2023", "arrival_time": "02:35 PM",
                                    "departure_date": "", "departure_time": "", "room_sharing": ""})
    assert response.status_code == 400
    assert "Enter a time on the 24-hour clock, for example 14:35." in response.content.decode()
    assert not TravelPlan.objects.filter(participant=traveller, arrival_time__isnull=False).exists()
