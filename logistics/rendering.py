"""The visa support letter as PDF bytes: a pure renderer (no write, no query beyond what was prefetched).

``render_visa_letter(participant, *, reference, issued_at)`` reads the participant, its conference, delegation,
travel document and the conference's hosts (prefetch them; ``services.visa_letter_issue`` does), and the conference's
titles (``conference.honorifics``, one cached read), and renders the A4
letter in the participant's preferred language (Arabic right to left).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from conference.enums import PartnerRole
from conference.honorifics import printed_honorific
from conference.models import localized
from conference.pdf import render_pdf
from registration.models import Participant

LETTER_CSS = "pdf/letter.css"
RTL_LANGUAGES = {"ar"}
LANGUAGES = ("en", "fr", "ar")


# Formal names of host countries for the address line ("To the Embassy/Consulate of ...").
FORMAL_NAMES = {"EG": gettext_lazy("the Arab Republic of Egypt")}


def _host_country(country, language: str) -> str:
    if not country:
        return ""
    with translation.override(language):
        return str(FORMAL_NAMES.get(country.code, country.name))


def _country_name(country, language: str) -> str:
    if not country:
        return ""
    with translation.override(language):
        return str(country.name)


def render_visa_letter(participant: Participant, *, reference: str, issued_at) -> bytes:
    """The visa support letter of ``participant`` as PDF bytes, in the participant's preferred language."""
    language = participant.preferred_language if participant.preferred_language in LANGUAGES else "en"
    conference = participant.conference
    document = getattr(participant, "travel_document", None)
    hosts = [p for p in conference.partners.all() if p.role == PartnerRole.HOST]
    with translation.override(language):
        context = {
            "language": language,
            "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
            "conference": conference,
            "conference_name": localized(conference, "name", language),
            "venue": localized(conference, "venue", language),
            "city": localized(conference, "city", language),
            "host_country": _host_country(conference.country, language),
            "hosts": [localized(host, "name", language) for host in hosts],
            "participant": participant,
            # The organizers' form of the title for this language and the participant's gender ("القاضية").
            "title": printed_honorific(conference, participant.title, participant.gender, language),
            "full_name": participant.full_name or participant.email,
            "nationality": _country_name(participant.nationality, language),
            "delegation": participant.delegation.display_name(language) if participant.delegation else "",
            "passport_number": document.passport_number if document else "",
            "passport_expiry": document.passport_expiry if document else None,
            "issuing_country": _country_name(document.issuing_country, language) if document else "",
            "date_of_birth": document.date_of_birth if document else None,
            # The organizers' signatory (Conference.visa_signatory_*), in the letter's language, English fallback.
            "signatory_name": localized(conference, "visa_signatory_name", language),
            "signatory_title": localized(conference, "visa_signatory_title", language),
            "reference": reference,
            "issued_on": timezone.localtime(issued_at, conference.tz).date(),
        }
        html = render_to_string("pdf/visa_letter.html", context)
    return render_pdf(html, stylesheets=[LETTER_CSS])


