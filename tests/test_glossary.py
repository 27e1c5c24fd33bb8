"""The French and Arabic catalogs follow locale/GLOSSARY.md: no msgstr uses a term the glossary marks as avoided, and
an entry whose msgid is a glossary term uses the glossary's translation."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
GLOSSARY = LOCALE / "GLOSSARY.md"
LANGUAGES = ("fr", "ar")


@dataclass(frozen=True)
class Concept:
    name: str
    english: tuple[str, ...]
    preferred: dict[str, str]
    avoid: dict[str, tuple[str, ...]]


def _terms(cell: str) -> tuple[str, ...]:
    return tuple(term.strip() for term in re.findall(r"`([^`]+)`", cell) if term.strip())


def load_glossary(path: Path = GLOSSARY) -> list[Concept]:
    """The concepts of the glossary's table (the first Markdown table whose header has a "concept" column)."""
    rows = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip().startswith("|")]
    header = [cell.strip().lower() for cell in rows[0].strip("|").split("|")]
    column = {name: index for index, name in enumerate(header)}
    for needed in ("concept", "english", "french", "arabic", "avoid (fr)", "avoid (ar)"):
        assert needed in column, f"GLOSSARY.md: no column {needed!r} in {header}"
    concepts = []
    for row in rows[2:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert len(cells) == len(header), f"GLOSSARY.md: {len(cells)} cells instead of {len(header)} in {row}"
        concepts.append(Concept(
            name=cells[column["concept"]],
            english=_terms(cells[column["english"]]),
            preferred={
                "fr": next(iter(_terms(cells[column["french"]])), ""),
                "ar": next(iter(_terms(cells[column["arabic"]])), ""),
            },
            avoid={"fr": _terms(cells[column["avoid (fr)"]]), "ar": _terms(cells[column["avoid (ar)"]])},
        ))
    return concepts


# --- matching -----------------------------------------------------------------------------------------------------
def _latin_normal(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("\u202f", " ").replace("\u00a0", " ")
    return text.casefold()


def latin_pattern(term: str) -> re.Pattern:
    """A French term as a whole-word, case-insensitive pattern; a final * matches the rest of the word."""
    prefix = term.endswith("*")
    core = _latin_normal(term.rstrip("*"))
    body = r"\s+".join(re.escape(part) for part in core.split())
    start = r"(?<!\w)" if core[:1].isalnum() else ""
    end = r"\w*" if prefix else (r"(?!\w)" if core[-1:].isalnum() else "")
    return re.compile(start + body + end)


def latin_contains(text: str, term: str) -> bool:
    return bool(latin_pattern(term).search(_latin_normal(text)))


_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # short vowels, shadda, sukun, dagger alif, tatweel
_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")
_PROCLITICS = re.compile(r"^(?:[وف]?(?:لل|[بكل]?ال)|[وف]?[بكل]|[وف])")


def _arabic_words(text: str) -> list[str]:
    return _ARABIC_WORD.findall(_ARABIC_MARKS.sub("", unicodedata.normalize("NFC", text)))


def _arabic_stems(word: str) -> set[str]:
    """The word and what remains when a conjunction, preposition or the article is taken off its front (وال،
    بال، لل، ف، ك…), keeping at least two letters: "والخطاب" gives {"والخطاب", "خطاب", …}."""
    stems = {word}
    for length in range(1, 5):
        head = word[:length]
        if len(word) - length >= 2 and _PROCLITICS.fullmatch(head):
            stems.add(word[length:])
    return stems


def _arabic_term_words(term: str) -> list[str]:
    words = _arabic_words(term)
    return [word[2:] if word.startswith("ال") and len(word) > 3 else word for word in words]


def arabic_contains(text: str, term: str, *, suffixes: bool = True) -> bool:
    """Whether the words of `term` occur in a row in `text`, each whatever article or prefix it carries; with
    `suffixes`, the last word may also be the start of a longer word (خطاب → خطابات)."""
    wanted = _arabic_term_words(term)
    if not wanted:
        return False
    words = [_arabic_stems(word) for word in _arabic_words(text)]
    for start in range(len(words) - len(wanted) + 1):
        ok = True
        for offset, target in enumerate(wanted):
            stems = words[start + offset]
            last = offset == len(wanted) - 1
            if not any(stem == target or (suffixes and last and stem.startswith(target)) for stem in stems):
                ok = False
                break
        if ok:
            return True
    return False


def contains(language: str, text: str, term: str) -> bool:
    return arabic_contains(text, term) if language == "ar" else latin_contains(text, term)


# --- catalogs -----------------------------------------------------------------------------------------------------
def catalog_entries(language: str) -> list[polib.POEntry]:
    entries = []
    for path in sorted((LOCALE / language / "LC_MESSAGES").glob("*.po")):
        entries.extend(entry for entry in polib.pofile(str(path)) if not entry.obsolete)
    return entries


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def _strip_code(text: str) -> str:
    """Placeholders and HTML tags are not words."""
    return re.sub(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[sd]|<[^<>]*>|\{[^{}]*\}", " ", text)


# --- the matcher itself -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "term", "expected"), [
    ("Ordre du jour complet (PDF)", "ordre du jour", True),
    ("Programme complet (PDF)", "ordre du jour", False),
    ("Le fichier téléversé a expiré", "téléver*", True),
    ("Importer des invitations", "mail", False),
    ("Colonnes : email, first_name", "e-mail", False),
    ("Un message personnel, affiché en haut de l’e-mail.", "e-mail", True),
    ("n’est pas approuvé·e", "·", True),
    ("Colonne(s) manquante(s)", "(s)", True),
])
def test_latin_matching(text, term, expected):
    assert latin_contains(text, term) is expected


@pytest.mark.parametrize(("text", "term", "expected"), [
    ("معالي", "معالي", True),
    ("إلغاء التسجيلات المحددة (مع ترقية قائمة الانتظار)", "ترقية", True),
    ("ألغِها من قائمة التسجيلات لترقية قائمة الانتظار", "ترقية", True),
    ("صدر خطابا تأشيرة وأرسلا بالبريد", "خطاب", True),
    ("إصدار خطابات التأشيرة", "خطاب", True),
    ("المناسبات الجانبية والحدث الجانبي", "حدث جانبي", True),
    ("مناسبة جانبية", "حدث جانبي", False),
    ("مُعتمَد", "معتمد", True),
    ("ملف جدول الأعمال", "جدول أعمال", True),
    ("برنامجي", "جدول أعمال", False),
    ("سعادة السفير", "معالي", False),
])
def test_arabic_matching(text, term, expected):
    assert arabic_contains(text, term) is expected


# --- the glossary and the catalogs --------------------------------------------------------------------------------
def test_glossary_is_readable():
    concepts = load_glossary()
    assert len(concepts) >= 20
    assert any("ordre du jour" in concept.avoid["fr"] for concept in concepts)
    assert any("ترقية" in concept.avoid["ar"] for concept in concepts)
    assert any("معالي" in concept.avoid["ar"] for concept in concepts)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_uses_no_avoided_term(language):
    concepts = load_glossary()
    found = []
    for entry in catalog_entries(language):
        for text in translations(entry):
            words = _strip_code(text)
            for concept in concepts:
                for term in concept.avoid[language]:
                    if contains(language, words, term):
                        found.append((entry.msgid, term, concept.name, text))
    assert found == [], "\n".join(f"{msgid!r}: {term!r} ({concept}) in {text!r}" for msgid, term, concept, text in found)


def _bare(msgid: str) -> str:
    return msgid.strip().rstrip(":.").strip()


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_translates_glossary_terms_as_the_glossary(language):
    """An entry whose msgid is a glossary term ("Panelist", "Agenda", "H.E.") uses the glossary's translation."""
    by_english = {}
    for concept in load_glossary():
        for english in concept.english:
            if concept.preferred[language]:
                by_english.setdefault(_bare(english), []).append(concept)
    wrong = []
    for entry in catalog_entries(language):
        if entry.msgid_plural:
            continue
        for concept in by_english.get(_bare(entry.msgid), []):
            term = concept.preferred[language]
            if language == "ar":
                ok = arabic_contains(entry.msgstr, term, suffixes=False)
            else:
                ok = latin_contains(entry.msgstr, term) or _latin_normal(entry.msgstr) == _latin_normal(term)
            if not ok:
                wrong.append((entry.msgid, term, entry.msgstr))
    assert wrong == [], "\n".join(f"{msgid!r} should use {term!r}, not {text!r}" for msgid, term, text in wrong)
