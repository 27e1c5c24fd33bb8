"""The logistics dashboard's numbers: arrivals and departures per day, who has no flight yet, transfer seats
planned against people landing, rooms per night against each block, funded travel by ticket status. Each a fixed
number of queries, whatever the number of participants."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.utils import timezone

from registration.enums import ParticipantStatus
from registration.models import Participant

from .models import DelegationFunding, Itinerary, ItineraryLeg, TransferSeat
from .models.itinerary import Funding, LegDirection, TicketStatus
from .selectors import stay_nights
from .selectors_stay import rooms_per_night


def funded_participant_ids(conference) -> set[int]:
    """Approved participants funded by the organizers: their itinerary says so, or it says nothing and their
    delegation is funded. Three queries."""
    delegation_funding = dict(DelegationFunding.objects.filter(delegation__conference=conference)
                              .values_list("delegation_id", "funding"))
    own = dict(Itinerary.objects.filter(participant__conference=conference).values_list("participant_id", "funding"))
    funded = set()
    for pid, delegation_id in Participant.objects.filter(
            conference=conference, status=ParticipantStatus.APPROVED).values_list("id", "delegation_id"):
        funding = own.get(pid) or delegation_funding.get(delegation_id)
        if funding == Funding.FUNDED:
            funded.add(pid)
    return funded


def logistics_dashboard(conference) -> dict:
    approved = list(Participant.objects.filter(conference=conference, status=ParticipantStatus.APPROVED)
                    .values_list("id", flat=True))
    dates = stay_nights(conference, approved)
    arrivals, departures = Counter(), Counter()
    for check_in, check_out in dates.values():
        if check_in:
            arrivals[check_in] += 1
        if check_out:
            departures[check_out] += 1
    days = sorted(set(arrivals) | set(departures))
    with_flight = set(ItineraryLeg.objects.filter(itinerary__participant__conference=conference,
                                                  direction=LegDirection.INBOUND)
                      .values_list("itinerary__participant_id", flat=True).distinct())
    zone = conference.tz
    landing, seated = Counter(), Counter()
    for arrives_at in ItineraryLeg.objects.filter(
            itinerary__participant__conference=conference, itinerary__participant__status=ParticipantStatus.APPROVED,
            direction=LegDirection.INBOUND).values_list("arrives_at", flat=True):
        landing[timezone.localtime(arrives_at, zone).date()] += 1
    for pickup_at in TransferSeat.objects.filter(run__conference=conference, direction=LegDirection.INBOUND
                                                 ).values_list("run__pickup_at", flat=True):
        seated[timezone.localtime(pickup_at, zone).date()] += 1
    transfer_days = sorted(set(landing) | set(seated))
    funded = funded_participant_ids(conference)
    statuses = Counter(Itinerary.objects.filter(participant_id__in=funded).values_list("ticket_status", flat=True))
    without_itinerary = len(funded) - sum(statuses.values())
    blocks = rooms_per_night(conference)
    by_block = defaultdict(list)
    for row in blocks:
        by_block[f"{row['hotel']} — {row['room_type_label']}"].append(row)
    return {
        "movements": {
            "days": [day.isoformat() for day in days],
            "arrivals": [arrivals.get(day, 0) for day in days],
            "departures": [departures.get(day, 0) for day in days],
        },
        "without_flight": len([pid for pid in approved if pid not in with_flight]),
        "approved": len(approved),
        "transfers": {
            "days": [day.isoformat() for day in transfer_days],
            "landing": [landing.get(day, 0) for day in transfer_days],
            "seats": [seated.get(day, 0) for day in transfer_days],
        },
        "rooms": [{"label": label, "nights": [row["night"].isoformat() for row in rows],
                   "quota": [row["quota"] for row in rows], "taken": [row["taken"] for row in rows]}
                  for label, rows in by_block.items()],
        "funded": {
            "labels": [str(label) for label in TicketStatus.labels],
            "values": list(TicketStatus.values),
            "counts": [statuses.get(value, 0) for value in TicketStatus.values],
            "without_itinerary": without_itinerary,
            "total": len(funded),
        },
    }
