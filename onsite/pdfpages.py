"""Pure page operations on one-page badge PDFs (pikepdf): merge them into one document, impose them on A4 sheets.

No Django here (nor anything of the project): a batch larger than a worker should hold is merged in a child
process, ``python -m onsite.pdfpages single|sheet FORMAT OUT`` with the pages' paths on standard input, one a
line, so that the worker's memory stays at its ordinary size whatever the batch's (qpdf keeps every page's
objects until it writes: about 0.13 MB a page). See :func:`onsite.services.badges.batch_file_write`.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterable, Sequence

#: The badge formats (``conference.enums.BadgeFormat``'s values).
A6 = "a6"
CR80 = "cr80"
#: A batch's layouts: one badge a page (merged), or A4 sheets (imposed).
LAYOUTS = ("single", "sheet")


def _open_page(source):
    """A pikepdf document from a path (read lazily, from the file) or from bytes."""
    import pikepdf

    return pikepdf.open(io.BytesIO(source) if isinstance(source, bytes | bytearray) else source)


def _save(pdf, out) -> bytes | None:
    if out is None:
        buffer = io.BytesIO()
        pdf.save(buffer)
        return buffer.getvalue()
    pdf.save(out)
    return None


def merge_pages(sources: Iterable, *, out=None) -> bytes | None:
    """Pure: the one-page PDFs ``sources`` (paths or bytes) as one document, pages copied as they are (pikepdf).

    Opened from paths, qpdf reads each page's objects when it writes them: memory holds the page tree, not the
    pages' fonts and images. Writes to ``out`` (a path or a binary file) or returns the bytes.
    """
    import pikepdf

    with contextlib.ExitStack() as opened:  # every document closed at the end, the sources after the save
        merged = opened.enter_context(pikepdf.new())
        for source in sources:
            merged.pages.extend(opened.enter_context(_open_page(source)).pages)
        if not len(merged.pages):
            raise ValueError("no badges to merge")
        return _save(merged, out)


_MM = 72 / 25.4
#: Sheets on A4 portrait: where each badge goes (its lower-left corner, mm from the sheet's lower-left corner), in
#: reading order; the badge's own size; the cut lines. As the HTML sheets did: four A6 (two by two, cut along the
#: middle lines), ten CR80 (two by five, each card outlined).
_SHEETS = {
    A6: {
        "size": (105.0, 148.0),
        "cells": [(0.0, 148.5), (105.0, 148.5), (0.0, 0.5), (105.0, 0.5)],
    },
    CR80: {
        "size": (85.6, 54.0),
        "cells": [(19.4 + 85.6 * col, 297 - 13.5 - 54.0 * (row + 1)) for row in range(5) for col in range(2)],
    },
}


def _crop_marks(badge_format: str) -> bytes:
    """The sheet's own drawing under the badges: dashed cut lines (A6) or card outlines and a centre mark (CR80)."""
    width, height = 210 * _MM, 297 * _MM
    if badge_format == A6:
        x, y = 105 * _MM, 148.5 * _MM
        return (f"q 0 G 0.28 w [3 3] 0 d {x:.2f} 0 m {x:.2f} {height:.2f} l S 0 {y:.2f} m {width:.2f} {y:.2f} l S Q\n"
                .encode())
    card_w, card_h = (value * _MM for value in _SHEETS[badge_format]["size"])
    boxes = " ".join(f"{cx * _MM:.2f} {cy * _MM:.2f} {card_w:.2f} {card_h:.2f} re"
                     for cx, cy in _SHEETS[badge_format]["cells"])
    x = 105 * _MM
    return (f"q 0.6 G 0.28 w [2 2] 0 d {boxes} S Q "
            f"q 0 G 0.57 w {x:.2f} {height - 4 * _MM:.2f} m {x:.2f} {height - 10 * _MM:.2f} l S Q\n").encode()


def impose_sheets(sources: Sequence, *, badge_format: str = A6, out=None) -> bytes | None:
    """Pure: the one-page PDFs ``sources`` (paths or bytes) imposed on A4 sheets with crop marks (pikepdf).

    Each badge page becomes a Form XObject placed at its cell unscaled (``Page.add_overlay``): its content stream
    is the stored page's, byte for byte. Writes to ``out`` or returns the bytes.
    """
    import pikepdf

    layout = _SHEETS.get(badge_format, _SHEETS[A6])
    per_sheet = len(layout["cells"])
    width, height = layout["size"]
    with contextlib.ExitStack() as opened:
        sheets = opened.enter_context(pikepdf.new())
        sheet = None
        for index, source in enumerate(sources):
            if index % per_sheet == 0:
                sheet = sheets.add_blank_page(page_size=(210 * _MM, 297 * _MM))
                sheet.contents_add(pikepdf.Stream(sheets, _crop_marks(badge_format)))
            page_pdf = opened.enter_context(_open_page(source))
            x, y = layout["cells"][index % per_sheet]
            cell = pikepdf.Rectangle(x * _MM, y * _MM, (x + width) * _MM, (y + height) * _MM)
            sheet.add_overlay(page_pdf.pages[0], cell)
        if sheet is None:
            raise ValueError("no badges to impose")
        return _save(sheets, out)


def write(sources: Sequence, out, *, layout: str = "single", badge_format: str = A6) -> None:
    """Merge (``single``) or impose (``sheet``) ``sources`` into ``out`` (a path or a binary file)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    if layout == "sheet":
        impose_sheets(sources, badge_format=badge_format, out=out)
    else:
        merge_pages(sources, out=out)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m onsite.pdfpages single|sheet FORMAT OUT``: the pages' paths on standard input, one a line."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) != 3 or argv[0] not in LAYOUTS or argv[1] not in (A6, CR80):
        print("usage: python -m onsite.pdfpages single|sheet a6|cr80 OUT < paths", file=sys.stderr)
        return 2
    layout, badge_format, out = argv
    sources = [line for line in sys.stdin.read().splitlines() if line]
    write(sources, out, layout=layout, badge_format=badge_format)
    return 0


if __name__ == "__main__":
    sys.exit(main())
