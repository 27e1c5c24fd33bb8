"""Counts are translated with ngettext, and ambiguous msgids carry a context (issue 23, items 2 and 3).

Reads the real catalogs (locale/*/LC_MESSAGES/django.mo): every message of PLURALS is rendered for n in NUMBERS
in French and Arabic; the number must appear, and the text (number masked) must change exactly where the
language's plural rule changes form:

- French (``plural=(n > 1)``): 0 and 1 take the singular, 2, 3, 11 and 100 the plural;
- Arabic (six forms): 0 zero, 1 one, 2 two, 3 few (n % 100 in 3..10), 11 many (n % 100 in 11..99), 100 other.

CONTEXTS lists the pgettext msgids: each context is translated, and the contexts of one msgid that the
languages tell apart get different translations.
"""

from __future__ import annotations

import re

import pytest
from django.utils import translation

NUMBERS = (0, 1, 2, 3, 11, 100)

#: (msgid, msgid_plural, the placeholder that carries n): the one list of the counted messages of the code.
PLURALS = [
    ("%(count)d more participant skipped.", "%(count)d more participants skipped.", "count"),
    ("%(count)d invitation queued.", "%(count)d invitations queued.", "count"),
    ("%(count)d invitation queued for sending.", "%(count)d invitations queued for sending.", "count"),
    ("%(count)d invitation revoked.", "%(count)d invitations revoked.", "count"),
    ("%(count)d invitation created; the e-mail is on its way.",
     "%(count)d invitations created; the e-mails are on their way.", "count"),
    ("%(count)d invitation created.", "%(count)d invitations created.", "count"),
    ("%(count)d row valid; nothing written (dry run).", "%(count)d rows valid; nothing written (dry run).", "count"),
    ("The delegation's quota of %(quota)d seat is full.", "The delegation's quota of %(quota)d seats is full.",
     "quota"),
    ("Rendering %(count)d badge: follow the progress on the desk's batch page.",
     "Rendering %(count)d badges: follow the progress on the desk's batch page.", "count"),
    ("Batch started: %(count)d badge.", "Batch started: %(count)d badges.", "count"),
    ("Sign-ups cancelled; %(count)d person moved from the waiting list to the confirmed sign-ups.",
     "Sign-ups cancelled; %(count)d people moved from the waiting list to the confirmed sign-ups.", "count"),
    ("The capacity cannot be lower than the %(count)d confirmed sign-up.",
     "The capacity cannot be lower than the %(count)d confirmed sign-ups.", "count"),
    # templates/registration/portal_detail.html, {% blocktranslate trimmed count limit=… %}
    ("%(used)s of %(limit)s seat used, %(remaining)s remaining.",
     "%(used)s of %(limit)s seats used, %(remaining)s remaining.", "limit"),
    ("No meeting room for %(count)d person with this language pair is free, or a delegation or member is already "
     "booked, at: %(slots)s. Propose other slots.",
     "No meeting room for %(count)d people with this language pair is free, or a delegation or member is already "
     "booked, at: %(slots)s. Propose other slots.", "count"),
    # already ngettext before issue 23
    ("%(count)d participant %(verb)s.", "%(count)d participants %(verb)s.", "count"),
]

#: msgid -> the contexts it is used with; the pairs in DISTINCT must read differently in the language.
CONTEXTS = {
    "Used": ("invitation status", "seats"),
    "Cancelled": ("participant status", "bilateral meeting status"),
    "Queued": ("e-mail status", "badge batch status"),
    "Approved": ("participant status", "number of participants"),
}
DISTINCT = {
    "fr": [("Used", "invitation status", "seats"), ("Cancelled", "participant status", "bilateral meeting status")],
    "ar": [("Used", "invitation status", "seats"), ("Cancelled", "participant status", "bilateral meeting status")],
}


def plural_form(language: str, n: int) -> int:
    """The index of the form the catalog's Plural-Forms gives n (the expectation of the tests below)."""
    if language == "fr":
        return 0 if n <= 1 else 1
    if n in (0, 1, 2):
        return n
    if 3 <= n % 100 <= 10:
        return 3
    if 11 <= n % 100 <= 99:
        return 4
    return 5


def _params(msgid: str, counted: str, n: int) -> dict:
    names = re.findall(r"%\(([a-z_]+)\)", msgid)
    return {name: (n if name == counted else {"verb": "VERB"}.get(name, 7)) for name in names}


def _render(language: str, singular: str, plural: str, counted: str, n: int) -> str:
    with translation.override(language):
        return translation.ngettext(singular, plural, n) % _params(singular, counted, n)


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize(("singular", "plural", "counted"), PLURALS, ids=[p[0][:40] for p in PLURALS])
def test_counted_message_has_the_language_plural_forms(language, singular, plural, counted):
    rendered = {n: _render(language, singular, plural, counted, n) for n in NUMBERS}
    english = {n: _render("en", singular, plural, counted, n) for n in NUMBERS}
    for n, text in rendered.items():
        assert re.search(rf"(?<!\d){n}(?!\d)", text), (language, n, text)
        assert text != english[n], f"{singular!r} not translated in {language} (n={n}): {text!r}"
    masked = {n: re.sub(rf"(?<!\d){n}(?!\d)", "N", text) for n, text in rendered.items()}
    for a in NUMBERS:
        for b in NUMBERS:
            if a < b:
                same_form = plural_form(language, a) == plural_form(language, b)
                assert (masked[a] == masked[b]) == same_form, (
                    f"{language}: n={a} and n={b} should {'share' if same_form else 'not share'} a form: "
                    f"{rendered[a]!r} / {rendered[b]!r}"
                )


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_ambiguous_msgids_have_a_translated_context(language):
    with translation.override(language):
        for msgid, contexts in CONTEXTS.items():
            for context in contexts:
                assert translation.pgettext(context, msgid) != msgid, (language, context, msgid)
        for msgid, first, second in DISTINCT[language]:
            assert translation.pgettext(first, msgid) != translation.pgettext(second, msgid), (language, msgid)
