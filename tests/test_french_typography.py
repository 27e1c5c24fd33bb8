"""French typography in the French catalog: a no-break space (narrow U+202F, or U+00A0) before : ; ? ! and inside
« », never an ordinary space and never nothing.

`french_spacing_problems(text)` checks any text (a msgstr, a rendered page's visible text, a PDF's extracted text)
and is meant to be reused on rendered French pages and PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

FRENCH_CATALOGS = sorted((Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES").glob("*.po"))

NO_BREAK_SPACES = "\u202f\u00a0"
HIGH_PUNCTUATION = ":;?!"

# What is not French prose and keeps its own punctuation: URLs and e-mail addresses, times such as 14:30, Python
# and str.format placeholders, HTML tags (with their CSS and attributes), character references, and brace-delimited
# code such as the JSON example {"delegate": 3}.
_NOT_PROSE = re.compile(
    r"""
      (?:https?|ftp|mailto|tel|webcal):\S+     # URLs
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+             # e-mail addresses
    | \b\d{1,2}:\d{2}(?::\d{2})?\b             # times 14:30, 09:05:00
    | %\([A-Za-z_]\w*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]   # %(name)s, %(mb).1f
    | %[-#0 +]*\d*(?:\.\d+)?[sdifr]            # %s, %d
    | <[^<>]*>                                 # HTML tags, with their style attributes
    | &\#?\w+;                                 # character references
    | \{[^{}]*\}                               # {0}, {name}, {"delegate": 3}
    """,
    re.VERBOSE,
)


def _mask(text: str) -> str:
    """The text with every non-prose span replaced by letters of the same length (tags by nothing visible), so
    positions keep their meaning and no masked colon or question mark is checked."""

    def replace(match: re.Match) -> str:
        span = match.group(0)
        if span.startswith("<"):
            return "\x01" * len(span)  # a tag is invisible: the character before it counts
        return "x" * len(span)

    return _NOT_PROSE.sub(replace, text)


def _previous_visible(masked: str, index: int) -> str | None:
    index -= 1
    while index >= 0 and masked[index] == "\x01":
        index -= 1
    return masked[index] if index >= 0 else None


def _next_visible(masked: str, index: int) -> str | None:
    index += 1
    while index < len(masked) and masked[index] == "\x01":
        index += 1
    return masked[index] if index < len(masked) else None


def french_spacing_problems(text: str) -> list[str]:
    """Each place in `text` where : ; ? ! is not preceded by a no-break space, or « is not followed / » not
    preceded by one. An empty list means the text is correct. A ? or ! right after another ? or ! ("?!") and a
    sign at the very start of the text are not reported."""
    masked = _mask(text)
    problems = []
    for index, char in enumerate(masked):
        if char in HIGH_PUNCTUATION:
            before = _previous_visible(masked, index)
            if before is None or (char in "?!" and before in "?!"):
                continue
            if before not in NO_BREAK_SPACES:
                kind = "an ordinary space" if before.isspace() else "no space"
                problems.append(f"{kind} before {char!r} at {index}: …{text[max(0, index - 25):index + 10]}…")
        elif char == "«":
            after = _next_visible(masked, index)
            if after is not None and after not in NO_BREAK_SPACES:
                problems.append(f"no no-break space after '«' at {index}: …{text[index:index + 25]}…")
        elif char == "»":
            before = _previous_visible(masked, index)
            if before is not None and before not in NO_BREAK_SPACES:
                problems.append(f"no no-break space before '»' at {index}: …{text[max(0, index - 25):index + 1]}…")
    return problems


def _translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


# --- the helper itself --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Motif\u202f: %(reason)s",
    "Pourquoi souhaitez-vous participer\u202f?",
    "Fichier refusé\u202f; rien n'a été enregistré.",
    "la réunion «\u202f%(conference_name)s\u202f»",
    "la catégorie «\u00a0%(category)s\u00a0»",
    "Voir https://accord.example.org/fr/me/?day=2 à 14:30, 09:05:00",
    'par exemple {"delegate": 3}',
    "Délégation\u202f: <bdi>%(delegation_name)s</bdi>",
    "<strong>Nom</strong>\u202f: <span style=\"color: red\">X</span>",
    "Écrivez à accord@example.org ou mailto:accord@example.org",
    "Vraiment\u202f?!",
])
def test_french_spacing_accepts(text):
    assert french_spacing_problems(text) == []


@pytest.mark.parametrize(("text", "count"), [
    ("Motif : %(reason)s", 1),
    ("Motif: %(reason)s", 1),
    ("Mot de passe oublié ?", 1),
    ("Mot de passe oublié?", 1),
    ("le lot ; relancer ! ", 2),
    ("la réunion « %(conference_name)s »", 2),
    ("la réunion «%(conference_name)s»", 2),
    ("<span class=\"role\">Présidence</span>: <bdi>Amina</bdi>", 1),
    ("Interprétation : arabe, français", 1),
])
def test_french_spacing_finds(text, count):
    assert len(french_spacing_problems(text)) == count, french_spacing_problems(text)


# --- the catalog --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", FRENCH_CATALOGS, ids=lambda path: path.name)
def test_french_catalog_spacing(path):
    problems = {}
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        for text in _translations(entry):
            found = french_spacing_problems(text)
            if found:
                problems[entry.msgid] = found
    assert problems == {}, f"{len(problems)} French entries with wrong spacing: {problems}"


def test_french_catalogs_exist():
    assert FRENCH_CATALOGS, "locale/fr/LC_MESSAGES/*.po not found"
