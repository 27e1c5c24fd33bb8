"""Protocol order: delegations by kind (the conference's order of kinds), then alphabetically by their name in the
document's language.

* Arabic: the letters in their alphabetical (hijā'ī) order, which is the order of their code points once the
  variants are folded (أ إ آ ٱ → ا, ة → ه, ى → ي, ؤ → و, ئ → ي), the short vowels and tatweel dropped and the
  article "ال" at the start of a word ignored ("الأردن" files under alif, "المغرب" under mīm).
* French (and English): accent- and case-insensitive ("Égypte" between "Dominique" and "Équateur"), the
  apostrophe and hyphen ignored; ties broken by the exact text so the order is total.

Pure functions, no database.
"""

from __future__ import annotations

import re
import unicodedata

from conference.enums import DelegationKind

#: The default order of kinds (member states first, then expert delegations, UN, regional bodies, observers; the
#: host's own team last).
DEFAULT_KIND_ORDER: tuple[str, ...] = (
    DelegationKind.MEMBER_STATE,
    DelegationKind.EU_EXPERT,
    DelegationKind.UN,
    DelegationKind.REGIONAL_BODY,
    DelegationKind.OBSERVER,
    DelegationKind.HOST,
)

_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي", "ء": ""})
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, superscript alif, tatweel
_ARTICLE = re.compile(r"(^|\s)ال(?=\S\S)")
_IGNORED_LATIN = re.compile(r"[\s'’\-.,()]+")


def arabic_key(text: str) -> str:
    folded = _ARABIC_MARKS.sub("", text or "")
    folded = _ARTICLE.sub(r"\1", folded).translate(_ARABIC_FOLD)
    return re.sub(r"\s+", " ", folded).strip()


def latin_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("œ", "oe").replace("æ", "ae")
    return _IGNORED_LATIN.sub(" ", plain).strip()


def name_key(text: str, language: str) -> tuple[str, str]:
    """The sort key of a name in ``language``: (folded, exact)."""
    return (arabic_key(text) if language == "ar" else latin_key(text), text or "")


def kind_rank(kind: str, kind_order) -> int:
    order = list(kind_order or DEFAULT_KIND_ORDER)
    for missing in DEFAULT_KIND_ORDER:  # a kind the conference's list forgot goes after the listed ones
        if missing not in order:
            order.append(missing)
    return order.index(kind) if kind in order else len(order)


def protocol_key(kind: str, name: str, language: str, kind_order=None) -> tuple:
    return (kind_rank(kind, kind_order), *name_key(name, language))
