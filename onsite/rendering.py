"""The badge renderer, pure: plain dicts in (:func:`onsite.services.badges.badge_data`), HTML or PDF bytes out.

:func:`render_badge_pages` lays a chunk of badges out as one WeasyPrint document and writes each page on its own
(the pre-rendered page the desk prints, a batch merges and a sheet imposes: :mod:`onsite.pdfpages`). No database.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from conference.enums import BadgeFormat

from .pdfpages import LAYOUTS

SHEET_SIZE = {BadgeFormat.A6: 4, BadgeFormat.CR80: 10}
#: Badges rendered per chunk (one WeasyPrint document, one task): bounds a worker's memory
#: (``settings.ACCORD_BADGE_CHUNK_SIZE`` for the batches).
CHUNK_SIZE = 50
STYLESHEETS = ["pdf/badge.css"]


def _qr_uri(code: str, badge_format: str = BadgeFormat.A6) -> str:
    import segno

    # A fixed mask skips segno's best-mask search (most of its time); every mask decodes. The image carries one
    # pixel per module on A6 (30 mm: rasterizers scale it up without smoothing, image-rendering: pixelated) and
    # four on the small CR80 code (19 mm), which some rasterizers would otherwise smooth into a blur.
    scale = 4 if badge_format == BadgeFormat.CR80 else 1
    return segno.make_qr(code, error="m", mask=4).png_data_uri(scale=scale, border=0)


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as a PNG ``data:`` URI, the badges' code path (the certificates' verification link)."""
    return _qr_uri(text, BadgeFormat.CR80)


def _photo_uri(path: str) -> str:
    """The (already re-encoded) photo as a data: URI we create ourselves; only JPEG and PNG bytes."""
    if not path:
        return ""
    try:
        content = Path(path).read_bytes()
    except OSError:
        return ""
    if content.startswith(b"\xff\xd8\xff"):
        mime = "image/jpeg"
    elif content.startswith(b"\x89PNG\r\n\x1a\n"):
        mime = "image/png"
    else:
        return ""
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def render_badges_html(items: Sequence[dict], *, layout: str = "single", badge_format: str | None = None) -> str:
    """The HTML of one document with every badge (plain dicts from :func:`badge_data`)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    badge_format = badge_format or (items[0]["format"] if items else BadgeFormat.A6)
    badges = [
        {
            **item,
            "format": badge_format,
            "qr_uri": _qr_uri(item["code"], badge_format),
            "photo_uri": _photo_uri(item["photo_path"]),
        }
        for item in items
    ]
    per_sheet = SHEET_SIZE.get(badge_format, 4)
    sheets = [badges[i : i + per_sheet] for i in range(0, len(badges), per_sheet)]
    # The document's language (PDF metadata, hyphenation): the badges' one when they share it, else the site's;
    # each badge carries its own lang and dir.
    languages = {item.get("lang") or settings.LANGUAGE_CODE for item in items}
    language = languages.pop() if len(languages) == 1 else settings.LANGUAGE_CODE
    with translation.override(language):
        return render_to_string(
            "pdf/badges.html",
            {"badges": badges, "sheets": sheets, "layout": layout, "badge_format": badge_format,
             "language": language, "direction": "rtl" if translation.get_language_bidi() else "ltr"},
        )


def render_badges_document(items: Sequence[dict], *, layout: str = "single", badge_format: str | None = None):
    """One laid-out WeasyPrint document for ``items`` (see :func:`render_badges`)."""
    from conference.pdf import render_document

    return render_document(
        render_badges_html(items, layout=layout, badge_format=badge_format), stylesheets=STYLESHEETS, minimal_ua=True
    )


def render_badge_pages(items: Sequence[dict], *, badge_format: str | None = None) -> list[bytes]:
    """Pure: one self-contained one-page PDF per badge (dicts from :func:`badge_data`), in order.

    The badges are laid out as one WeasyPrint document (fonts and stylesheets shared: the costly part), then each
    page is written on its own, with the subsets of only the glyphs it uses: a stored page is as small as a badge
    rendered alone, and its content stream is the same. No database.
    """
    from conference.pdf import write_pdf

    if not items:
        return []
    document = render_badges_document(items, layout="single", badge_format=badge_format)
    if len(document.pages) != len(items):  # a badge that overflowed its page would shift every later one
        raise RuntimeError(f"{len(items)} badges laid out on {len(document.pages)} pages")
    return [write_pdf(document.copy([page])) for page in document.pages]


#: What :func:`warm_up` lays out: a Latin and an Arabic name, so that both scripts' fonts are loaded.
_SAMPLE = {
    "format": BadgeFormat.A6, "lang": "en", "dir": "ltr", "conference_name": "Accord", "dates": "1–2 January 2000",
    "city": "Cairo", "name": "Sample Name", "name_class": "size-xl", "name_ar": "اسم", "name_ar_class": "size-xl",
    "honorific": "", "delegation": "Sample", "delegation_class": "delegation-l", "flag": "", "category": "delegate",
    "category_label": "Delegate", "code": "warm-up", "photo_path": "",
}


def warm_up() -> int:
    """Lay out and write one sample badge in each format, so that this process has its fonts, stylesheets and the
    subsetter loaded before its first real badge (a new Celery pool process). Returns the pages written."""
    pages = 0
    for badge_format in SHEET_SIZE:
        pages += len(render_badge_pages([{**_SAMPLE, "format": badge_format}], badge_format=badge_format))
    return pages
