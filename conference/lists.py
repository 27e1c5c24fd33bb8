"""Lists of values joined the way the active language writes them: ", " in English and French, "، " (the Arabic
comma) in Arabic. The separator is the catalog's ``pgettext("list separator", ", ")``, so a new language brings
its own; templates use the ``join_list`` filter and tag (``{% load accord_text %}``). Clauses (several error
messages in one cell) are joined with ``pgettext("clause separator", "; ")``: "؛ " in Arabic, " ; " with a narrow
no-break space in French (``join_clauses``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import pgettext


def list_separator() -> str:
    return pgettext("list separator", ", ")


def join_list(values: Iterable) -> str:
    """``values`` (empty ones left out) joined with the active language's list separator."""
    return list_separator().join(str(value) for value in values if value not in (None, ""))


def clause_separator() -> str:
    return pgettext("clause separator", "; ")


def join_clauses(values: Iterable) -> str:
    """``values`` (empty ones left out) joined with the active language's clause separator (a semicolon)."""
    return clause_separator().join(str(value) for value in values if value not in (None, ""))
