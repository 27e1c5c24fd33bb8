"""The logistics dashboard, the caterer's meals (page, CSV: counts only) and the needs list (names, organizers
only): answers, permissions (404 without them) and query counts."""

import csv
import io

import pytest
from django.urls import reverse

from logistics import services_stay
from logistics.models import DelegationFunding, Itinerary
from tests.factories import DelegationFactory, StaffFactory, UserFactory
from tests.logistics.stay_data import make_guest, make_hotel

pytestmark = pytest.mark.django_db


def _seed(conference, organizer, count):
    hotel = make_hotel(conference, name=f"Hotel {count}", singles=count + 1)
    delegation = DelegationFactory(conference=conference)
    DelegationFunding.objects.create(delegation=delegation, funding="funded")
    for index in range(count):
        guest = make_guest(conference, delegation=delegation, arrive=9 + index % 2, leave=13,
                           dietary_needs="Vegetarian" if index % 2 else "", first_name=f"Guest{index}")
        services_stay.room_booking_save(hotel=hotel, guest=guest, room_type="single", actor=organizer)
        if index % 2:
            Itinerary.objects.create(participant=guest, ticket_status="issued")


def test_dashboard_numbers_and_tables(client, conference, django_assert_num_queries):
    organizer = StaffFactory()
    _seed(conference, organizer, 4)
    client.force_login(organizer)
    url = reverse("registration:logistics_dashboard")
    response = client.get(url)
    charts = response.context["charts"]
    assert charts["movements"] == {"days": ["2023-07-09", "2023-07-10", "2023-07-13"], "arrivals": [2, 2, 0],
                                   "departures": [0, 0, 4]}
    assert (charts["approved"], charts["without_flight"]) == (4, 4)
    assert charts["funded"]["counts"] == [0, 0, 2] and charts["funded"]["without_itinerary"] == 2
    rooms = {block["label"]: block for block in charts["rooms"]}
    assert (rooms["Hotel 4 — Single"]["nights"], rooms["Hotel 4 — Single"]["quota"],
            rooms["Hotel 4 — Single"]["taken"]) == (["2023-07-09", "2023-07-10", "2023-07-11", "2023-07-12"],
                                                    [5, 5, 5, 5], [2, 4, 4, 4])
    assert rooms["Hotel 4 — Double"]["taken"] == [0, 0, 0, 0]
    page = response.content.decode()
    assert 'id="logistics-data"' in page and "logistics_dashboard.js" in page and "<script>" not in page
    with django_assert_num_queries(14):
        client.get(url)
    _seed(conference, organizer, 12)
    with django_assert_num_queries(14):
        client.get(url)


def test_logistics_pages_are_404_without_the_permission(client, conference):
    user = UserFactory(is_staff=True)
    client.force_login(user)
    for name in ("logistics_dashboard", "logistics_meals", "logistics_meals_csv", "logistics_needs"):
        assert client.get(reverse(f"registration:{name}")).status_code == 404


def test_meals_csv_has_counts_and_no_names(client, conference):
    organizer = StaffFactory()
    _seed(conference, organizer, 4)
    client.force_login(organizer)
    response = client.get(reverse("registration:logistics_meals_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Day", "Meal", "People", "vegetarian", "With accessibility needs"]
    assert ["2023-07-10", "Lunch", "4", "2", "0"] in rows
    assert "Guest" not in response.content.decode()
    page = client.get(reverse("registration:logistics_meals")).content.decode()
    assert "Guest1" not in page


def test_needs_list_names_people(client, conference):
    organizer = StaffFactory()
    _seed(conference, organizer, 4)
    client.force_login(organizer)
    page = client.get(reverse("registration:logistics_needs")).content.decode()
    assert "Guest1" in page and "Guest3" in page and "Guest0" not in page
