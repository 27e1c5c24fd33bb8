"""The outcome report PDF: a pure renderer (reads, writes nothing), HTML through ``conference.pdf``."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from conference.models import Conference
from conference.pdf import render_pdf

from .selectors import outcome_report


def outcome_report_html(conference: Conference, language: str) -> str:
    with translation.override(language), timezone.override(conference.tz):
        return render_to_string("cooperation/pdf/outcome.html", {
            "report": outcome_report(conference, language),
            "conference_name": conference.localized_name(language),
            "language": language,
            "direction": "rtl" if language == "ar" else "ltr",
            "rendered_at": timezone.now(),
        })


def render_outcome_report(conference: Conference, language: str) -> bytes:
    return render_pdf(outcome_report_html(conference, language))
