"""Meals and needs: for the caterer, how many people eat each meal of each day and how many of them have each
dietary need (counts only: no name, no accessibility or medical detail); for the organizers, the needs list with
names.

Who eats when: approved participants, present from their check-in to their check-out day (``selectors.
stay_nights``; without dates, every day of the conference): breakfast from the day after check-in up to the
check-out day, lunch every day of the stay, dinner from check-in up to the day before check-out.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Q
from django.utils.translation import pgettext

from registration.enums import ParticipantStatus
from registration.models import Participant

from .selectors import stay_nights

MEALS = ("breakfast", "lunch", "dinner")


def meal_label(meal: str) -> str:
    return {"breakfast": pgettext("meal", "Breakfast"), "lunch": pgettext("meal", "Lunch"),
            "dinner": pgettext("meal", "Dinner")}[meal]


def normalized_need(text: str) -> str:
    """One way of writing a need ("Vegetarian ", "vegetarian" → "vegetarian"), so the caterer counts it once."""
    return " ".join(text.split()).casefold()


def _eats(meal: str, day: datetime.date, check_in: datetime.date, check_out: datetime.date) -> bool:
    if meal == "breakfast":
        return check_in < day <= check_out
    if meal == "lunch":
        return check_in <= day <= check_out
    return check_in <= day < check_out


def meal_counts(conference) -> list[dict]:
    """For each day and meal: {"day", "meal", "label", "people", "needs": {need: count}, "accessibility": count}.
    Days from the earliest check-in to the latest check-out (at least the conference's days). Four queries."""
    people = list(Participant.objects.filter(conference=conference, status=ParticipantStatus.APPROVED)
                  .values_list("id", "dietary_needs", "accessibility_needs"))
    dates = stay_nights(conference, [pid for pid, _diet, _access in people])
    stays = {}
    for pid, _diet, _access in people:
        check_in, check_out = dates.get(pid, (None, None))
        stays[pid] = (check_in or conference.start_date, check_out or conference.end_date)
    first = min([conference.start_date] + [stay[0] for stay in stays.values()])
    last = max([conference.end_date] + [stay[1] for stay in stays.values()])
    rows = []
    day = first
    while day <= last:
        for meal in MEALS:
            eating = [(diet, access) for pid, diet, access in people if _eats(meal, day, *stays[pid])]
            needs = Counter(normalized_need(diet) for diet, _access in eating if diet.strip())
            rows.append({"day": day, "meal": meal, "label": meal_label(meal), "people": len(eating),
                         "needs": dict(sorted(needs.items())),
                         "accessibility": sum(1 for _diet, access in eating if access.strip())})
        day += datetime.timedelta(days=1)
    return rows


def needs_list(conference) -> list[Participant]:
    """Approved participants with a dietary or accessibility need, with their delegation, by name: for the
    organizers only (the view checks it). One query."""
    return list(
        Participant.objects.filter(conference=conference, status=ParticipantStatus.APPROVED)
        .filter(~Q(dietary_needs="") | ~Q(accessibility_needs=""))
        .select_related("delegation")
        .only("id", "first_name", "last_name", "email", "badge_name", "dietary_needs", "accessibility_needs",
              "delegation__code", "delegation__country", "delegation__organization", "delegation__kind")
        .order_by("last_name", "first_name", "pk")
    )
