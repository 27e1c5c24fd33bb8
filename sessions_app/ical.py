"""iCalendar feeds of the programme (RFC 5545): times in UTC ("Z"), so every calendar client places them right."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlparse

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from icalendar import Calendar, Event

from conference.lists import join_list
from conference.models import Conference

from .extensions import AgendaItem
from .selectors import SessionCard


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC)


def session_uid(session_id: int) -> str:
    host = urlparse(settings.SITE_URL).hostname or "accord"
    return f"session-{session_id}@{host}"


def build_calendar(
    cards: Iterable[SessionCard],
    *,
    conference: Conference,
    language: str,
    name: str,
    tentative: set[int] | frozenset[int] = frozenset(),
    extra: Iterable[AgendaItem] = (),
) -> bytes:
    """A VCALENDAR with one VEVENT per session; sessions in ``tentative`` (waiting list) are marked so.

    ``extra`` are the other apps' items of a personal agenda (``sessions_app.extensions``), one VEVENT each.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Accord//Conference programme//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", conference.time_zone)
    with override(language):
        for card in cards:
            session = card.session
            event = Event()
            event.add("uid", session_uid(session.pk))
            event.add("dtstamp", _utc(session.updated_at))
            event.add("last-modified", _utc(session.updated_at))
            event.add("dtstart", _utc(session.starts_at))
            event.add("dtend", _utc(session.ends_at))
            summary = card.title
            if session.pk in tentative:
                summary = _("%(title)s (waiting list)") % {"title": summary}
                event.add("status", "TENTATIVE")
            else:
                event.add("status", "CONFIRMED")
            event.add("summary", summary)
            if card.room:
                event.add("location", card.room)
            lines = [card.kind_label]
            if card.description:
                lines.append(card.description)
            for person in card.people:
                who = f"{person.name} ({person.delegation})" if person.delegation else person.name
                lines.append(f"{person.role_label}: {who}")
            if card.language_labels:
                lines.append(_("Interpretation: %(languages)s") % {"languages": join_list(card.language_labels)})
            event.add("description", "\n".join(lines))
            event.add("categories", [card.kind_label])
            event.add("url", settings.SITE_URL + reverse("sessions_app:session", args=[session.pk]))
            calendar.add_component(event)
        for item in extra:
            event = Event()
            host = urlparse(settings.SITE_URL).hostname or "accord"
            event.add("uid", f"{item.uid}@{host}")
            event.add("dtstamp", _utc(item.updated_at))
            event.add("last-modified", _utc(item.updated_at))
            event.add("dtstart", _utc(item.starts_at))
            event.add("dtend", _utc(item.ends_at))
            event.add("status", "CONFIRMED")
            event.add("summary", item.title)
            if item.location:
                event.add("location", item.location)
            event.add("description", "\n".join(line for line in (item.kind_label, item.description) if line))
            event.add("categories", [item.kind_label])
            if item.url:
                event.add("url", settings.SITE_URL.rstrip("/") + item.url)
            calendar.add_component(event)
    return calendar.to_ical()
