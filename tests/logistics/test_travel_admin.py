"""The travel logistics in the admin write through the services: a run's vehicle (refused over capacity), change
requests accepted, delegation funding, the travel lock and the grouping window, each with an audit entry."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from conference.models import AuditLog
from logistics.models import (
    DelegationFunding,
    ItineraryChangeRequest,
    ItineraryLeg,
    TransferRun,
    TravelSettings,
)
from logistics.services_travel import itinerary_save, transfer_runs_propose, travel_lock_set

from .conftest import leg

pytestmark = pytest.mark.django_db


def test_run_vehicle_changed_in_the_admin_confirms_it_and_refuses_over_capacity(client, conference, travel):
    transfer_runs_propose(conference, actor=travel.organizer)
    client.force_login(travel.organizer)
    cairo = TransferRun.objects.get(airport="CAI")
    url = reverse("admin:logistics_transferrun_change", args=[cairo.pk])
    data = {"vehicle": travel.minibus.pk, "seats-TOTAL_FORMS": "1", "seats-INITIAL_FORMS": "1",
            "seats-MIN_NUM_FORMS": "0", "seats-MAX_NUM_FORMS": "1000",
            "seats-0-id": cairo.seats.get().pk, "seats-0-run": cairo.pk}
    assert client.post(url, data).status_code == 302
    cairo.refresh_from_db()
    assert (cairo.vehicle, cairo.status) == (travel.minibus, "confirmed")
    full = TransferRun.objects.get(seats__participant=travel.adams)
    seats = list(full.seats.all())
    data = {"vehicle": travel.van.pk, "seats-TOTAL_FORMS": str(len(seats)), "seats-INITIAL_FORMS": str(len(seats)),
            "seats-MIN_NUM_FORMS": "0", "seats-MAX_NUM_FORMS": "1000"}
    for index, seat in enumerate(seats):
        data.update({f"seats-{index}-id": seat.pk, f"seats-{index}-run": full.pk})
    response = client.post(reverse("admin:logistics_transferrun_change", args=[full.pk]), data, follow=True)
    assert "Van seats 2: this run has more people." in response.content.decode()
    full.refresh_from_db()
    assert (full.vehicle, full.status) == (travel.minibus, "proposed")


def test_change_request_accepted_by_an_admin_action(client, conference, travel):
    travel_lock_set(conference, actor=travel.organizer, locked=True)
    request = itinerary_save(travel.ford, actor=travel.organizer, legs=[
        leg("inbound", "EgyptAir", "MS 7", "CAI", "SSH", "2023-07-09 17:10", "2023-07-09 18:10")])
    client.force_login(travel.organizer)
    client.post(reverse("admin:logistics_itinerarychangerequest_changelist"),
                {"action": "accept", ACTION_CHECKBOX_NAME: [request.pk]})
    assert ItineraryChangeRequest.objects.get().status == "accepted"
    assert ItineraryLeg.objects.filter(itinerary__participant=travel.ford).count() == 1


def test_funding_and_travel_settings_saved_through_services(client, conference, travel):
    client.force_login(travel.organizer)
    client.post(reverse("admin:logistics_delegationfunding_add"),
                {"delegation": travel.adams.delegation_id, "funding": "funded"})
    assert DelegationFunding.objects.get().funding == "funded"
    client.post(reverse("admin:logistics_travelsettings_add"),
                {"conference": conference.pk, "transfer_window_minutes": "30", "locked": "on"})
    settings_row = TravelSettings.objects.get()
    assert (settings_row.transfer_window_minutes, bool(settings_row.locked_at)) == (30, True)
    assert {"delegation.funding", "travel.lock", "travel.transfer_window"} <= set(
        AuditLog.objects.values_list("action", flat=True))
