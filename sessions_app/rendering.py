"""The agenda PDF renderer: pure (reads the programme, writes nothing), HTML through ``conference.pdf``."""

from __future__ import annotations

from itertools import groupby

from django.template.loader import render_to_string
from django.utils import timezone, translation

from conference import languages
from conference.models import Conference
from conference.pdf import render_pdf

from . import selectors

AGENDA_STYLESHEET = "pdf/agenda.css"


def agenda_html(conference: Conference, language: str) -> str:
    """The agenda as HTML in ``language`` (Arabic right to left), times in the conference's zone."""
    tz = conference.tz
    sessions = list(selectors.programme_sessions(conference))
    cards = [selectors.session_card(session, language) for session in sessions]
    days = [
        (day, list(group))
        for day, group in groupby(cards, key=lambda card: timezone.localtime(card.starts_at, tz).date())
    ]
    with translation.override(language), timezone.override(tz):
        return render_to_string(
            "pdf/agenda.html",
            {
                "conference": conference,
                "conference_name": conference.localized_name(language),
                "venue": conference.localized_venue(language),
                "city": conference.localized_city(language),
                "language": language,
                "direction": languages.direction(language),
                "days": days,
                "rendered_at": timezone.now(),
            },
        )


def render_agenda(conference: Conference, language: str) -> bytes:
    """The whole public programme as an A4 PDF in ``language``."""
    return render_pdf(agenda_html(conference, language), stylesheets=[AGENDA_STYLESHEET])
