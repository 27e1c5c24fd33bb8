"""The one language registry: ``settings.LANGUAGES``, with Django's own bidi and local names.

Every list of the languages Accord speaks (form choices, the agenda PDFs, e-mail and letter directions, code
checks) asks here instead of keeping its own tuple. ``conference.enums.LanguageCode`` stays the model choices
class; a test checks that it names the same codes.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language_info


def codes() -> list[str]:
    """The language codes, in the order of ``settings.LANGUAGES``."""
    return [code for code, _name in settings.LANGUAGES]


def languages() -> list[tuple[str, str]]:
    """``(code, name)`` pairs for form choices; the names are translated lazily into the page's language."""
    return list(settings.LANGUAGES)


def is_known(code: str | None) -> bool:
    return code in codes()


def supported(code: str | None, default: str | None = None) -> str:
    """``code`` when Accord speaks it, else ``default`` (the site's ``LANGUAGE_CODE`` unless given)."""
    return code if is_known(code) else (default or settings.LANGUAGE_CODE)


def is_rtl(code: str) -> bool:
    """Whether ``code`` is written right to left (Django's ``bidi``); unknown codes are left to right."""
    return is_known(code) and bool(get_language_info(code)["bidi"])


def direction(code: str) -> str:
    """``"rtl"`` or ``"ltr"``, for a ``dir`` attribute."""
    return "rtl" if is_rtl(code) else "ltr"


def language_name(code: str) -> str:
    """The language's name in the active language ("French", « français », «الفرنسية»); the code when unknown."""
    return str(dict(settings.LANGUAGES).get(code, code))


def code_for_name(value: str) -> str | None:
    """The code of the language ``value`` names: its code, or its name in any of Accord's languages ("French",
    "français", «الفرنسية») or Django's (``name``, ``name_local``); case aside. ``None`` when none matches."""
    from django.utils import translation

    wanted = (value or "").strip().casefold()
    if not wanted:
        return None
    for code in codes():
        info = get_language_info(code)
        names = {code, info["name"].casefold(), info["name_local"].casefold()}
        for language in codes():
            with translation.override(language):
                names.add(language_name(code).casefold())
        if wanted in names:
            return code
    return None
