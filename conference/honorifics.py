"""The printed title before a participant's name: :func:`printed_honorific` (title code, gender, language).

The organizers' list is the conference's :class:`~conference.models.Honorific` rows (admin: "Titles"); a code
without a row prints the default below. The table of a conference is read once and kept in Django's shared cache;
``conference.services`` drops it when a title is saved.
"""

from __future__ import annotations

from django.core.cache import cache

from .models import Conference, Honorific

#: The defaults (UN usage): code → {field: form}. ``xx`` is the plain form, ``xx_male`` / ``xx_female`` the forms
#: for men and women where the language inflects. "H.E." is "سعادة" for an ambassador ("معالي" is for ministers);
#: "د." and "أ. د." fit women and men alike; "الأستاذ" alone is how lawyers are addressed in Egypt.
DEFAULT_HONORIFICS: dict[str, dict[str, str]] = {
    "mr": {"en": "Mr.", "fr": "M.", "ar": "السيد"},
    "ms": {"en": "Ms.", "fr": "Mme", "ar": "السيدة"},
    "dr": {"en": "Dr.", "fr": "Dr", "ar": "د."},
    "prof": {"en": "Prof.", "fr": "Pr", "ar": "أ. د."},
    "he": {"en": "H.E.", "fr": "S. E.", "ar": "سعادة"},
    "judge": {
        "en": "Judge",
        "fr": "Juge", "fr_male": "M. le juge", "fr_female": "Mme la juge",
        "ar": "القاضي", "ar_female": "القاضية",
    },
    "counsellor": {
        "en": "Counsellor",
        "fr": "Conseiller", "fr_female": "Conseillère",
        "ar": "المستشار", "ar_female": "المستشارة",
    },
}

CACHE_SECONDS = 300


def honorifics_cache_key(conference_id: int) -> str:
    return f"accord:honorifics:{conference_id}"


def honorific_table(conference: Conference | int) -> dict[str, Honorific]:
    """The conference's titles by code, defaults included (unsaved rows): one query, then none while cached."""
    conference_id = getattr(conference, "pk", conference)
    key = honorifics_cache_key(conference_id)
    table = cache.get(key)
    if table is None:
        table = {code: Honorific(conference_id=conference_id, code=code, **forms)
                 for code, forms in DEFAULT_HONORIFICS.items()}
        table.update({row.code: row for row in Honorific.objects.filter(conference_id=conference_id)})
        cache.set(key, table, CACHE_SECONDS)
    return table


def printed_honorific(conference: Conference | int, title: str, gender: str = "", language: str = "en") -> str:
    """What prints before the name of a participant with ``title`` (a ``registration.enums.Title`` code) and
    ``gender`` ("female", "male", "undisclosed" or ""), in ``language``: "" for no title or an unknown code."""
    if not title:
        return ""
    row = honorific_table(conference).get(title)
    return row.form(language, gender) if row is not None else ""
