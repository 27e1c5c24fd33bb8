"""Validators shared by the apps' models: text that ends up in an e-mail header, a list or a badge.

``validate_single_line`` is put on the model fields (``validators=[validate_single_line]``), so the admin, the
forms built from the models and the services that call ``clean_fields`` all refuse the same values.
``single_line_problem`` runs it for services that receive plain keyword values instead of a model form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Bidirectional embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069): they reorder the text
# shown after them, so a name could display as something else in the admin list or on a badge.
BIDI_CONTROLS = frozenset(chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def _refused(character: str) -> bool:
    code = ord(character)
    # C0 (line breaks and tabs included), DEL, C1.
    return code < 0x20 or 0x7F <= code <= 0x9F or character in BIDI_CONTROLS


def validate_single_line(value: Any) -> None:
    """Refuse line breaks, tabs and other control characters (C0, DEL, C1) and bidirectional overrides."""
    if not isinstance(value, str):
        return
    bad = next((character for character in value if _refused(character)), None)
    if bad is not None:
        raise ValidationError(
            _("Write this on one line, without control or text-direction characters (found U+%(code)s)."),
            code="single_line",
            params={"code": f"{ord(bad):04X}"},
        )


def single_line_problem(model: type[models.Model], values: Mapping[str, Any]) -> str:
    """Why ``model``'s single-line fields refuse some of ``values`` ("label: message", joined), or "" if they don't.

    For services that take field values as keywords and do not run ``full_clean``: names that are not fields of
    ``model``, or fields without ``validate_single_line``, are not checked.
    """
    problems = []
    for name, value in values.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if validate_single_line not in getattr(field, "validators", ()):
            continue
        try:
            validate_single_line(value)
        except ValidationError as error:
            problems.append(f"{field.verbose_name}: {' '.join(error.messages)}")
    return " ".join(problems)
