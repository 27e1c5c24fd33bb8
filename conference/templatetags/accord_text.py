"""Template helpers for text in the page's language: ``{{ values|join_list }}`` and ``{% join_list a b %}`` join
with the active language's list separator (the Arabic comma in Arabic), leaving out empty values;
``{{ values|join_clauses }}`` with its clause separator (the Arabic semicolon «؛» in Arabic)."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html_join

from conference.lists import clause_separator, list_separator

register = template.Library()


def _join(values, autoescape: bool, separator: str | None = None) -> str:
    values = [value for value in values if value not in (None, "")]
    separator = list_separator() if separator is None else separator
    if not autoescape:
        return separator.join(str(value) for value in values)
    return format_html_join(conditional_escape(separator), "{}", ((value,) for value in values))


@register.filter(name="join_list", needs_autoescape=True)
def join_list_filter(values, autoescape=True):
    return _join(values or [], autoescape)


@register.simple_tag(name="join_list", takes_context=True)
def join_list_tag(context, *values):
    return _join(values, context.autoescape)


@register.filter(name="join_clauses", needs_autoescape=True)
def join_clauses_filter(values, autoescape=True):
    return _join(values or [], autoescape, clause_separator())
