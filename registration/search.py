"""The one normalizer of names for search (desk and admin), pure Python: what is stored in
``Participant.search_name`` and what a query is turned into before it is compared with it.

Latin: compatibility decomposition (NFKD), combining marks dropped ("Aïcha" → "aicha"), case folded, a few letters
without a decomposition spelled out ("Ø" → "o", "Ł" → "l", "Æ" → "ae"). Arabic: the hamza forms of alef (أ إ آ ٱ)
become ا, ؤ → و and ئ → ي (their hamza is a combining mark after NFKD), ة → ه, ى → ي, tatweel and the harakat
removed. Apostrophes join ("O'Brien" → "obrien"); hyphens and any other punctuation separate words ("El-Sayed" →
"el sayed"). Transliteration variants ("Abdelrahman" / "Abd al-Rahman") are out of scope.
"""

from __future__ import annotations

import unicodedata

#: The separator around each name in the stored column: ``|name one|name two|`` (punctuation never survives the
#: normalizer, so it cannot occur inside a name). It lets a query match a whole name (ranked first) or its start.
SEPARATOR = "|"

#: Letters NFKD does not decompose, and the Arabic rules (applied after the combining marks are dropped).
_LETTERS = str.maketrans({
    "ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d",
    "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None,  # alef wasla, ta marbuta, alef maqsura, tatweel
})
#: Joined rather than separated: "O'Brien" is found by "obrien".
_APOSTROPHES = frozenset("'’ʼ‘`´ʻ")
_MAX_LENGTH = 600


def normalize(text: str) -> str:
    """``text`` as the search compares it: lower case, no accents or harakat, one space between words."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    kept = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category == "Mn" or char in _APOSTROPHES:  # accents, harakat, shadda, hamza above/below, madda
            continue
        kept.append(char if category[0] in "LN" else " ")
    return " ".join("".join(kept).translate(_LETTERS).split())


def search_text(*names: str) -> str:
    """The stored search column for a person's names: each normalized, distinct, between separators."""
    parts: list[str] = []
    for name in names:
        normalized = normalize(name)
        if normalized and normalized not in parts:
            parts.append(normalized)
    if not parts:
        return ""
    return (SEPARATOR + SEPARATOR.join(parts) + SEPARATOR)[:_MAX_LENGTH]


def participant_search_text(participant) -> str:
    """``Participant.search_name`` from the participant's current names (full name, badge names)."""
    full_name = f"{participant.first_name or ''} {participant.last_name or ''}"
    return search_text(full_name, participant.badge_name, participant.badge_name_ar)


#: The fields ``participant_search_text`` reads: a change of any of them recomputes the column.
NAME_FIELDS = ("first_name", "last_name", "badge_name", "badge_name_ar")
