from __future__ import annotations

from django.conf import settings

from .models import Conference, EmailText, localized


def current_conference() -> Conference | None:
    """The conference the public pages show: ACCORD_DEFAULT_CONFERENCE, else the first one.

    Read from the database on each call (one query on the unique slug), so a saved conference shows at once
    everywhere; its partners are not prefetched: only the home page shows them, with one query of its own.
    """
    conference = Conference.objects.filter(slug=settings.ACCORD_DEFAULT_CONFERENCE).first()
    if conference is None:
        conference = Conference.objects.first()
    return conference


def conference_email_text(conference: Conference | None, kind: str, language: str) -> tuple[str | None, str]:
    """The organizers' subject (``None`` when empty: keep the default) and message for an e-mail, in
    ``language`` with English fallback; ``(None, "")`` when they wrote none. One query."""
    if conference is None:
        return None, ""
    text = EmailText.objects.filter(conference=conference, kind=kind).first()
    if text is None:
        return None, ""
    subject = " ".join(localized(text, "subject", language).split())
    return subject or None, localized(text, "message", language).strip()
