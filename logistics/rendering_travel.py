"""The travel PDFs as bytes: pure renderers (no query beyond what the selectors loaded, no write).

* ``render_manifest(conference, manifest, *, language, printed_at)``: the arrival or departure manifest per day,
  hour (Cairo time), airport and flight, changes since the last print marked, and who has no flight yet.
* ``render_driver_sheet(run, *, language)``: one run (``selectors_travel.run_with_seats``) for its driver: only
  names, delegation, flight, phone and hotel, in Arabic, French or English.

``manifest_printed`` and ``driver_sheet_printed`` give what each prints as plain values: the stored files'
fingerprints (``services_travel.travel_pdf_request``) hash them.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from conference.languages import direction as language_direction
from conference.models import localized
from conference.pdf import render_pdf

from .models.itinerary import LegDirection

TRAVEL_CSS = "pdf/travel.css"
#: Part of every stored PDF's fingerprint: a change of the templates renders the stored files again.
TEMPLATE_VERSION = 1


def _delegation(participant, language: str) -> str:
    return participant.delegation.display_name(language) if participant.delegation_id else ""


def manifest_printed(conference, manifest, *, language: str) -> dict:
    """What the manifest PDF prints, as plain values (its fingerprint hashes them; the print time aside)."""
    zone = conference.tz
    with translation.override(language), timezone.override(zone):
        days = []
        for day in manifest.days:
            groups = []
            for hour in day.hours:
                for group in hour.airports:
                    groups.append({"hour": hour.hour, "airport": group.code, "lines": [
                        {"time": flight.local_time, "flight": flight.flight_number, "other": flight.other_airport,
                         "name": line.participant.printed_name, "delegation": _delegation(line.participant, language),
                         "change": line.change}
                        for flight in group.flights for line in flight.lines]})
            days.append({"day": day.day, "groups": groups})
        return {
            "language": language,
            "conference_name": localized(conference, "name", language),
            "inbound": manifest.direction == LegDirection.INBOUND,
            "last_print": timezone.localtime(manifest.last_print.printed_at, zone) if manifest.last_print else None,
            "days": days,
            "without_flight": [{"name": person.printed_name, "delegation": _delegation(person, language)}
                               for person in manifest.without_flight],
        }


def render_manifest(conference, manifest, *, language: str, printed_at) -> bytes:
    zone = conference.tz
    with translation.override(language), timezone.override(zone):
        context = {
            **manifest_printed(conference, manifest, language=language),
            "direction": language_direction(language),
            "title": _("Arrivals") if manifest.direction == LegDirection.INBOUND else _("Departures"),
            "printed_at": timezone.localtime(printed_at, zone),
        }
        html = render_to_string("pdf/travel_manifest.html", context)
    return render_pdf(html, stylesheets=[TRAVEL_CSS])


def driver_sheet_printed(run, *, language: str) -> dict:
    """What one run's driver sheet prints, as plain values (its fingerprint hashes them)."""
    zone = run.conference.tz
    with translation.override(language), timezone.override(zone):
        lines = []
        for seat in run.seats.all():
            participant = seat.participant
            plan = getattr(participant, "travel_plan", None)
            lines.append({
                "name": participant.printed_name,
                "delegation": _delegation(participant, language),
                "flight": seat.flight,
                "time": timezone.localtime(seat.lands_at, zone) if seat.lands_at else None,
                "phone": participant.phone,
                "hotel": (plan.hotel_name if plan else "") or run.hotel,
            })
        return {
            "language": language,
            "run": {"direction": run.direction, "airport": run.airport, "hotel": run.hotel,
                    "vehicle": {"name": run.vehicle.name, "plate": run.vehicle.plate} if run.vehicle else None},
            "pickup": timezone.localtime(run.pickup_at, zone),
            "lines": lines,
        }


def render_driver_sheet(run, *, language: str) -> bytes:
    with translation.override(language), timezone.override(run.conference.tz):
        context = {
            **driver_sheet_printed(run, language=language),
            "direction": language_direction(language),
            "title": _("Transfer from the airport") if run.direction == LegDirection.INBOUND
            else _("Transfer to the airport"),
        }
        html = render_to_string("pdf/travel_driver_sheet.html", context)
    return render_pdf(html, stylesheets=[TRAVEL_CSS])
