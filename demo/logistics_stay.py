"""The demo's stay: two hotels in Sharm El Sheikh with blocks of single and double rooms for every night of the
meeting, the approved participants who asked for a hotel booked in them (nights from their travel dates; two who
asked for each other share a double), the DSA rate of the duty station and the allowances of funded participants.

Idempotent: once the demo conference has a hotel, nothing is written again. Writes go through logistics' services
(quotas, sharing rule, audit entries)."""

from __future__ import annotations

import datetime
from collections import Counter

from conference.services import AccordError
from logistics import services_allowances, services_stay
from logistics.models import Hotel, RoomBlock, TravelPlan
from logistics.selectors_dashboard import funded_participant_ids
from registration.models import Participant

HOTELS = [
    # name, contact, e-mail, language, singles, doubles
    ("Nile Palace Resort", "Reservations desk", "reservations@nile-palace.example", "en", 40, 10),
    ("Hôtel du Golfe", "Service des réservations", "reservations@hotel-du-golfe.example", "fr", 25, 8),
]


def seed_logistics_stay(conference) -> Counter:
    created: Counter = Counter()
    if Hotel.objects.filter(conference=conference).exists():
        return created
    first_night = conference.start_date - datetime.timedelta(days=2)
    nights = [first_night + datetime.timedelta(days=offset)
              for offset in range((conference.end_date - first_night).days + 1)]
    hotels = []
    for name, contact, address, language, singles, doubles in HOTELS:
        hotel = services_stay.hotel_save(
            Hotel(conference=conference, name=name, contact_name=contact, contact_email=address, language=language,
                  address="Sharm El Sheikh", send_on_schedule=language == "fr"), actor=None)
        for night in nights:
            for room_type, quota in (("single", singles), ("double", doubles)):
                services_stay.room_block_save(RoomBlock(hotel=hotel, room_type=room_type, night=night, quota=quota),
                                              actor=None)
                created["room blocks"] += 1
        hotels.append(hotel)
        created["hotels"] += 1

    guests = list(Participant.objects.filter(
        conference=conference, status="approved", travel_plan__hotel_needed=True,
        travel_plan__arrival_date__isnull=False, travel_plan__departure_date__isnull=False,
    ).select_related("delegation", "travel_plan").order_by("delegation__code", "last_name", "pk"))
    # Two of one delegation and gender ask to share: their request counts, they get one double room.
    pair = None
    for first, second in zip(guests, guests[1:], strict=False):
        if (first.delegation_id and first.delegation_id == second.delegation_id and first.gender
                and first.gender == second.gender and first.gender != "undisclosed"
                and first.travel_plan.arrival_date == second.travel_plan.arrival_date
                and first.travel_plan.departure_date == second.travel_plan.departure_date):
            pair = (first, second)
            break
    if pair:
        services_stay.roommate_request_save(pair[0], requested=pair[1], actor=None)
        services_stay.roommate_request_save(pair[1], requested=pair[0], actor=None)
    for index, guest in enumerate(guests):
        if pair and guest == pair[1]:
            continue
        hotel = hotels[index % 2]
        try:
            if pair and guest == pair[0]:
                services_stay.room_booking_save(hotel=hotel, guest=guest, roommate=pair[1], room_type="double",
                                                actor=None)
            else:
                sharing = TravelPlan.objects.filter(participant=guest).values_list("room_sharing", flat=True).first()
                services_stay.room_booking_save(hotel=hotel, guest=guest, actor=None,
                                                room_type="double" if sharing == "shared" else "single")
            created["room bookings"] += 1
        except AccordError:
            created["room bookings refused (dates outside the blocks or full)"] += 1

    services_allowances.dsa_rate_save(
        conference, actor=None, duty_station="Sharm El Sheikh", amount="239", currency="USD",
        valid_from=first_night, terminal_expenses="38", lodging_share="50", meals_share="30")
    created["DSA rates"] += 1
    for participant in Participant.objects.filter(pk__in=funded_participant_ids(conference)):
        try:
            services_allowances.allowance_compute(participant, actor=None)
            created["allowances"] += 1
        except AccordError:
            created["allowances without travel dates"] += 1
    return created
