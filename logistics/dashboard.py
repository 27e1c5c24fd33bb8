"""The organizers' dashboard chart that logistics adds (registration.dashboard's extension point): approved
participants by arrival day, from their travel plans."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext

from registration.dashboard import add_dashboard_chart
from registration.enums import ParticipantStatus

from .models import TravelPlan


@add_dashboard_chart
def arrivals_by_day(conference) -> dict:
    """Approved participants per arrival day (the travel step's date, a local date of the conference's zone), in
    one query; those without an arrival date are counted apart in the caption."""
    rows = (
        TravelPlan.objects.filter(participant__conference=conference, participant__status=ParticipantStatus.APPROVED,
                                  arrival_date__isnull=False)
        .order_by("arrival_date")
        .values("arrival_date")
        .annotate(n=Count("id"))
    )
    days, counts = [], []
    for row in rows:
        days.append(row["arrival_date"].isoformat())
        counts.append(row["n"])
    return {
        "key": "arrivals",
        "title": gettext("Arrivals by day"),
        "caption": gettext("Approved participants by the day they arrive (travel details)"),
        "label": gettext("Arriving participants"),
        "days": days,
        "counts": counts,
    }
