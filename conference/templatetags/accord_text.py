"""Template helpers for text in the page's language: ``{{ values|join_list }}`` and ``{% join_list a b %}`` join
with the active language's list separator (the Arabic comma in Arabic), leaving out empty values."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from conference.lists import join_list as _join_plain
from conference.lists import list_separator

register = template.Library()


def _join(values, autoescape: bool) -> str:
    values = [value for value in values if value not in (None, "")]
    if not autoescape:
        return _join_plain(values)
    return mark_safe(conditional_escape(list_separator()).join(conditional_escape(value) for value in values))  # noqa: S308 - every part escaped


@register.filter(name="join_list", needs_autoescape=True)
def join_list_filter(values, autoescape=True):
    return _join(values or [], autoescape)


@register.simple_tag(name="join_list", takes_context=True)
def join_list_tag(context, *values):
    return _join(values, context.autoescape)
