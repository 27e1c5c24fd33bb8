"""Country flags as images (``static/pdf/flags/<code>.png``): badges and the desk show a picture, never an emoji
flag that the printer's or the desk machine's fonts may lack."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def flag_path(country_code: str) -> str:
    """The static path of a country's flag (``pdf/flags/<code>.png``), or "" when there is none."""
    code = (country_code or "").lower()
    if len(code) == 2 and code.isascii() and code.isalpha():
        if (Path(settings.STATICFILES_DIRS[0]) / "pdf" / "flags" / f"{code}.png").is_file():
            return f"pdf/flags/{code}.png"
    return ""
