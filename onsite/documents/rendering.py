"""Pure renderers of the official documents: rows in, PDF bytes out (no query; the selectors build the rows)."""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.utils import translation

from conference.languages import direction
from conference.models import Conference, localized
from conference.pdf import render_pdf

DOCUMENTS_CSS = "pdf/documents.css"
#: Part of every fingerprint: a change of the templates renders the stored files again.
TEMPLATE_VERSION = 1


def _conference_context(conference: Conference, language: str) -> dict:
    return {
        "language": language,
        "direction": direction(language),
        "conference": conference,
        "conference_name": localized(conference, "name", language),
        "venue": localized(conference, "venue", language),
        "city": localized(conference, "city", language),
    }


def render_participant_list(conference: Conference, rows: list[dict], *, language: str, edition: str,
                            edition_date: datetime.date) -> bytes:
    """The List of Participants (``rows`` from ``selectors.participant_list_rows``) as PDF bytes."""
    with translation.override(language):
        context = {**_conference_context(conference, language), "rows": rows, "edition": edition,
                   "edition_date": edition_date, "total": sum(len(group["members"]) for group in rows)}
        html = render_to_string("pdf/participant_list.html", context)
    return render_pdf(html, stylesheets=[DOCUMENTS_CSS])


def _size(length: int) -> str:
    """A long name ("United Kingdom of Great Britain and Northern Ireland") prints smaller so it fits one half."""
    return "size-l" if length <= 22 else "size-m" if length <= 40 else "size-s"


def render_tent_cards(conference: Conference, cards: list[dict]) -> bytes:
    """Tent cards (``cards`` from ``selectors.tent_card_rows``): one folded A4 landscape page each."""
    sized = [{**card, "size": _size(max(len(card["latin"]), len(card["arabic"])))} for card in cards]
    html = render_to_string("pdf/tent_cards.html", {"cards": sized, "conference": conference})
    return render_pdf(html, stylesheets=["pdf/tent_cards.css"])


def render_certificate(data: dict) -> bytes:
    """One certificate of attendance (``data`` from ``services.certificate_data``) as PDF bytes, in its language."""
    from onsite.rendering import qr_data_uri

    language = data["language"]
    with translation.override(language):
        context = {**_conference_context(data["conference"], language), **data,
                   "qr_uri": qr_data_uri(data["verify_url"])}
        html = render_to_string("pdf/certificate.html", context)
    return render_pdf(html, stylesheets=["pdf/certificate.css"])
