"""The demo's travel: funded delegations, the approved participants' itineraries (half via Cairo, CAI then a
domestic flight to Sharm El Sheikh, half direct to SSH) built from the dates they gave in the travel step, flights
home, three vehicles and the proposed transfer runs both ways.

Idempotent: once the demo conference has a vehicle, nothing is written again. Writes go through logistics'
services (legs checked in each airport's zone, audit entries)."""

from __future__ import annotations

import datetime
from collections import Counter

from conference.services import AccordError
from logistics import services_travel
from logistics.airports import airport
from logistics.models import Vehicle
from registration.models import Participant

#: The airport a delegation flies from, by country (others: Istanbul).
HOME_AIRPORTS = {"EG": "CAI", "FR": "CDG", "MA": "CMN", "TN": "TUN", "DZ": "ALG", "NG": "LOS", "JO": "AMM",
                 "LB": "BEY", "IT": "FCO", "ES": "MAD", "DE": "FRA", "BE": "BRU", "AT": "VIE", "SN": "DSS",
                 "KE": "NBO", "ET": "ADD", "SA": "RUH", "AE": "DXB", "GB": "LHR", "NL": "AMS", "CH": "GVA"}
CARRIERS = {"CAI": ("EgyptAir", "MS"), "CDG": ("Air France", "AF"), "CMN": ("Royal Air Maroc", "AT"),
            "TUN": ("Tunisair", "TU"), "ALG": ("Air Algérie", "AH"), "AMM": ("Royal Jordanian", "RJ"),
            "IST": ("Turkish Airlines", "TK")}
VEHICLES = [("Bus 1", 45, "Sinai Transport"), ("Minibus 1", 14, "Sinai Transport"), ("Van 1", 7, "Sinai Transport")]
DIRECT_HOURS, TO_CAIRO_HOURS = 4, 3


def _local(moment: datetime.datetime, code: str) -> str:
    return moment.astimezone(airport(code).zone).strftime(services_travel.LOCAL_FORMAT)


def _legs(participant, index: int, conference) -> list[dict]:
    plan = participant.travel_plan
    zone = conference.tz
    home = HOME_AIRPORTS.get(getattr(participant.delegation.country, "code", "") if participant.delegation else "",
                             "IST")
    carrier, code = CARRIERS.get(home, ("EgyptAir", "MS"))
    hour = 9 + (index * 47) % 11  # landings spread over the day, several on one flight
    lands = datetime.datetime.combine(plan.arrival_date, datetime.time(hour, (index % 2) * 30), zone)
    legs = []
    via_cairo = home == "CAI" or index % 2 == 0
    if via_cairo:
        domestic_departs = lands - datetime.timedelta(hours=1)
        if home != "CAI":
            reaches_cairo = domestic_departs - datetime.timedelta(hours=2)
            legs.append({"direction": "inbound", "carrier": carrier, "flight_number": f"{code} {700 + index % 7}",
                         "from_airport": home, "to_airport": "CAI",
                         "departs_local": _local(reaches_cairo - datetime.timedelta(hours=TO_CAIRO_HOURS), home),
                         "arrives_local": _local(reaches_cairo, "CAI"), "booking_reference": f"DEMO{index:03d}"})
        legs.append({"direction": "inbound", "carrier": "EgyptAir", "flight_number": f"MS {130 + hour}",
                     "from_airport": "CAI", "to_airport": "SSH", "departs_local": _local(domestic_departs, "CAI"),
                     "arrives_local": _local(lands, "SSH"), "booking_reference": f"DEMO{index:03d}"})
    else:
        legs.append({"direction": "inbound", "carrier": carrier, "flight_number": f"{code} {500 + index % 5}",
                     "from_airport": home, "to_airport": "SSH",
                     "departs_local": _local(lands - datetime.timedelta(hours=DIRECT_HOURS), home),
                     "arrives_local": _local(lands, "SSH"), "booking_reference": f"DEMO{index:03d}"})
    if plan.departure_date and plan.departure_date > plan.arrival_date:
        leaves = datetime.datetime.combine(plan.departure_date, datetime.time(8 + index % 4 * 3), zone)
        destination = "CAI" if via_cairo else home
        hours = 1 if destination == "CAI" else DIRECT_HOURS
        legs.append({"direction": "outbound", "carrier": "EgyptAir" if destination == "CAI" else carrier,
                     "flight_number": f"MS {160 + index % 4}" if destination == "CAI" else f"{code} {600 + index % 5}",
                     "from_airport": "SSH", "to_airport": destination, "departs_local": _local(leaves, "SSH"),
                     "arrives_local": _local(leaves + datetime.timedelta(hours=hours), destination)})
    return legs


def seed_logistics_travel(conference) -> Counter:
    created: Counter = Counter()
    if Vehicle.objects.filter(conference=conference).exists():
        return created
    travellers = list(Participant.objects.filter(
        conference=conference, status="approved", travel_plan__arrival_date__isnull=False,
    ).select_related("delegation", "travel_plan", "conference").order_by("delegation__code", "last_name", "pk"))
    funded = set()
    for participant in travellers:
        delegation = participant.delegation
        if delegation and delegation.pk not in funded and len(funded) < 4:
            services_travel.delegation_funding_set(delegation, actor=None, funding="funded")
            funded.add(delegation.pk)
            created["funded delegations"] += 1
    statuses = ["issued", "issued", "booked", "requested"]
    visas = ["not_required", "obtained", "applied", "pending"]
    for index, participant in enumerate(travellers):
        if index % 9 == 8:
            continue  # some approved participants have no flight yet: the manifest lists them
        organizers_book = participant.delegation_id in funded
        try:
            services_travel.itinerary_save(
                participant, actor=None, organizer=True, legs=_legs(participant, index, conference),
                booked_by="organizers" if organizers_book else "self", ticket_status=statuses[index % 4],
                visa_status=visas[index % 4])
        except AccordError:
            continue
        created["itineraries"] += 1
    for name, capacity, company in VEHICLES:
        services_travel.vehicle_save(conference, actor=None, name=name, capacity=capacity, plate="",
                                     driver_name=company)
        created["vehicles"] += 1
    for direction in ("inbound", "outbound"):
        try:
            created["transfer runs"] += len(services_travel.transfer_runs_propose(
                conference, actor=None, direction=direction))
        except AccordError:
            pass
    return created
