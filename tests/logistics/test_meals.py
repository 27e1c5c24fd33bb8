"""Meals per day for the caterer (counts only) and the needs list with names, from the stay dates."""

import pytest

from logistics.selectors_meals import meal_counts, needs_list
from registration.enums import ParticipantStatus
from tests.factories import ParticipantFactory
from tests.logistics.stay_data import JULY, make_guest

pytestmark = pytest.mark.django_db


def test_meal_counts_per_day_with_needs(conference, django_assert_num_queries):
    make_guest(conference, arrive=10, leave=12, dietary_needs="Vegetarian ")
    make_guest(conference, arrive=11, leave=13, dietary_needs="vegetarian", accessibility_needs="Wheelchair")
    make_guest(conference, arrive=10, leave=11, dietary_needs="Halal")
    ParticipantFactory(conference=conference, dietary_needs="Vegan")  # no dates: every conference day (10–13)
    ParticipantFactory(conference=conference, status=ParticipantStatus.REJECTED, dietary_needs="Vegan")
    with django_assert_num_queries(4):
        rows = meal_counts(conference)
    table = {(row["day"].day, row["meal"]): (row["people"], row["needs"], row["accessibility"]) for row in rows}
    assert table[(10, "breakfast")] == (0, {}, 0)
    assert table[(10, "lunch")] == (3, {"halal": 1, "vegan": 1, "vegetarian": 1}, 0)
    assert table[(10, "dinner")] == (3, {"halal": 1, "vegan": 1, "vegetarian": 1}, 0)
    assert table[(11, "breakfast")] == (3, {"halal": 1, "vegan": 1, "vegetarian": 1}, 0)
    assert table[(11, "lunch")] == (4, {"halal": 1, "vegan": 1, "vegetarian": 2}, 1)
    assert table[(11, "dinner")] == (3, {"vegan": 1, "vegetarian": 2}, 1)
    assert table[(12, "dinner")] == (2, {"vegan": 1, "vegetarian": 1}, 1)
    assert table[(13, "breakfast")] == (2, {"vegan": 1, "vegetarian": 1}, 1)
    assert table[(13, "dinner")] == (0, {}, 0)
    assert [row["day"] for row in rows][::3] == [JULY[10], JULY[11], JULY[12], JULY[13]]
    # Counts only: no name leaves in the caterer's table.
    assert "first_name" not in str(rows)


def test_needs_list_names_people_with_needs(conference, django_assert_num_queries):
    a = make_guest(conference, first_name="Amal", last_name="A", dietary_needs="Halal")
    b = make_guest(conference, first_name="Badr", last_name="B", accessibility_needs="Wheelchair")
    make_guest(conference, first_name="Chadi", last_name="C")
    with django_assert_num_queries(1):
        people = needs_list(conference)
        assert [(p.full_name, p.dietary_needs, p.accessibility_needs, p.delegation.code) for p in people] == [
            ("Amal A", "Halal", "", a.delegation.code), ("Badr B", "", "Wheelchair", b.delegation.code)]
