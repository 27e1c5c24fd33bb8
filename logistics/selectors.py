"""Reads of logistics that other apps use."""

from __future__ import annotations

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Max, Min
from django.utils import timezone

from .models import ItineraryLeg, TravelPlan
from .models.itinerary import LegDirection


def related_row(participant, name: str):
    """The participant's one-to-one row ``name`` (``travel_plan``, ``visa_letter``, ``travel_document``) as selected
    with it, or None when they have none (Django raises for a missing reverse one-to-one)."""
    try:
        return getattr(participant, name)
    except ObjectDoesNotExist:
        return None


def stay_windows(conference, participant_ids) -> dict[int, tuple[datetime.datetime | None, datetime.datetime | None]]:
    """For each participant with travel data, when they are at the venue: (arrival, departure) as aware datetimes
    (UTC), either None when not given. A day without an hour counts from its first (arrival) or up to its last
    (departure) minute in the conference's time zone. The itinerary's legs, when there are, win over the travel
    step's wishes: the last flight to the conference lands at the arrival, the first flight home takes off at the
    departure. Three queries, whatever the number of participants.

    The cooperation module offers meeting slots inside these windows; the stay's check-in and check-out too."""
    zone = conference.tz
    windows = {}
    participant_ids = list(participant_ids)
    rows = TravelPlan.objects.filter(participant_id__in=participant_ids).values_list(
        "participant_id", "arrival_date", "arrival_time", "departure_date", "departure_time")
    for participant_id, arrival_date, arrival_time, departure_date, departure_time in rows:
        arrival = departure = None
        if arrival_date:
            arrival = timezone.make_aware(
                datetime.datetime.combine(arrival_date, arrival_time or datetime.time.min), zone)
        if departure_date:
            departure = timezone.make_aware(
                datetime.datetime.combine(departure_date, departure_time or datetime.time(23, 59)), zone)
        if arrival or departure:
            windows[participant_id] = (arrival, departure)
    legs = ItineraryLeg.objects.filter(itinerary__participant_id__in=participant_ids)
    # The last landing of the journey in and the first take-off home, per participant (portable aggregates: the
    # embedded SQLite mode has no DISTINCT ON).
    inbound = (legs.filter(direction=LegDirection.INBOUND).values("itinerary__participant_id")
               .annotate(last=Max("arrives_at")).values_list("itinerary__participant_id", "last").order_by())
    outbound = (legs.filter(direction=LegDirection.OUTBOUND).values("itinerary__participant_id")
                .annotate(first=Min("departs_at")).values_list("itinerary__participant_id", "first").order_by())
    for participant_id, arrives_at in inbound:
        windows[participant_id] = (arrives_at, windows.get(participant_id, (None, None))[1])
    for participant_id, departs_at in outbound:
        windows[participant_id] = (windows.get(participant_id, (None, None))[0], departs_at)
    return windows


def stay_nights(conference, participant_ids) -> dict[int, tuple[datetime.date | None, datetime.date | None]]:
    """For each participant with travel data, the hotel's check-in and check-out dates: the local day (the
    conference's zone) they arrive and the day they leave, either None when not given. From ``stay_windows``, so
    the itinerary's legs win over the travel step's dates when there are (the last flight in lands on the
    check-in day, the first flight home leaves on the check-out day). Three queries, whatever the number.

    The rooming list, the allowances and the meals take their nights from here."""
    zone = conference.tz
    return {
        participant_id: (
            timezone.localtime(arrival, zone).date() if arrival else None,
            timezone.localtime(departure, zone).date() if departure else None,
        )
        for participant_id, (arrival, departure) in stay_windows(conference, participant_ids).items()
    }
