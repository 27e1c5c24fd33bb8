from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from .models import Conference, Delegation, EmailText, localized

#: Upper bound on how stale the cached current conference can be after a write that sends no signal (a bulk
#: ``QuerySet.update``, SQL by hand); every save or delete of a conference drops it at once (``receivers.py``).
CURRENT_CONFERENCE_SECONDS = 60


def current_conference_key() -> str:
    """The shared cache's key of the current conference (it follows ACCORD_DEFAULT_CONFERENCE)."""
    return f"accord:current-conference:{settings.ACCORD_DEFAULT_CONFERENCE}"


def current_conference() -> Conference | None:
    """The conference the public pages show: ACCORD_DEFAULT_CONFERENCE, else the first one.

    Kept in Django's shared cache, so no query while nothing changed (each caller unpickles its own copy): a
    save or delete of any conference drops it at once (``conference.receivers``), so a saved conference shows
    at once everywhere. Its partners are not prefetched: only the home page shows them, with one query of its own.
    """
    key = current_conference_key()
    conference = cache.get(key)
    if conference is None:
        conference = Conference.objects.filter(slug=settings.ACCORD_DEFAULT_CONFERENCE).first()
        if conference is None:
            conference = Conference.objects.first()
        if conference is not None:
            cache.set(key, conference, CURRENT_CONFERENCE_SECONDS)
    return conference


def name_sort_key(name: str) -> tuple[str, str]:
    """Sort key for a name shown to people: accents, case and Arabic diacritics ignored first (Égypte with the
    E's, not after Z), then the exact text to break ties."""
    decomposed = unicodedata.normalize("NFKD", name)
    base = "".join(char for char in decomposed if not unicodedata.combining(char))
    return base.casefold(), name


def delegations_by_name(delegations: Iterable[Delegation], language: str | None = None) -> list[Delegation]:
    """``delegations`` ordered by the name shown in ``language`` (the active language by default), not by code."""
    language = language or translation.get_language()
    return sorted(delegations, key=lambda delegation: name_sort_key(delegation.display_name(language)))


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
