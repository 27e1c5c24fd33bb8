"""seed_demo's travel: funded delegations, itineraries via Cairo and direct to Sharm El Sheikh, vehicles and
proposed runs; the manifest has data on a fresh clone; a second run writes nothing more."""

import io

import pytest
from django.core.management import call_command

from demo.logistics_travel import seed_logistics_travel
from logistics.models import DelegationFunding, Itinerary, ItineraryLeg, TransferRun, TransferSeat, Vehicle
from logistics.selectors_travel import manifest

pytestmark = pytest.mark.django_db


def _counts():
    return (DelegationFunding.objects.count(), Itinerary.objects.count(), ItineraryLeg.objects.count(),
            Vehicle.objects.count(), TransferRun.objects.count(), TransferSeat.objects.count())


def seed():
    """seed_demo, then the travel part (seed_demo calls it too: a second call writes nothing)."""
    call_command("seed_demo", stdout=io.StringIO())
    from conference.models import Conference
    from demo import demo_data

    seed_logistics_travel(Conference.objects.get(slug=demo_data.CONFERENCE["slug"]))


def test_seed_demo_adds_itineraries_vehicles_and_runs():
    seed()
    funded, itineraries, legs, vehicles, runs, seats = _counts()
    assert funded >= 1 and vehicles == 3
    assert itineraries >= 6 and legs > itineraries
    assert ItineraryLeg.objects.filter(from_airport="CAI", to_airport="SSH").exists()  # via Cairo
    assert ItineraryLeg.objects.filter(to_airport="SSH").exclude(from_airport="CAI").exists()  # direct
    assert runs >= 2 and seats >= 2
    conference = Vehicle.objects.first().conference
    arrivals = manifest(conference)
    assert arrivals.count == Itinerary.objects.filter(legs__direction="inbound").distinct().count()
    assert arrivals.without_flight  # some have no flight yet
    seed()
    assert _counts() == (funded, itineraries, legs, vehicles, runs, seats)
