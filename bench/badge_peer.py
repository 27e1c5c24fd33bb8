"""The peers' way of drawing a badge, for bench/badges.py only: reportlab (pretix's badge plugin and Indico's badge
designer both draw with it), on the same data Accord prints (``onsite.services.badges.badge_data`` dicts).

A fair, real drawing of the same A6 badge: the conference line wrapped to the width, dates and city, the printed
title, the name (its size chosen by length as Accord does), the Arabic name shaped with arabic-reshaper and put in
visual order with python-bidi, the delegation with its flag, the QR code of the signed check-in token (reportlab's
code as a PNG made by segno, as Accord's), and the category band in its colour. One document, one page a badge, the same TrueType fonts
(subset and embedded by reportlab).
"""

from __future__ import annotations

import io
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MM = 72 / 25.4
A6 = (105 * MM, 148 * MM)
BANDS = {
    "head": "#8b1a1a", "delegate": "#1f4e9c", "expert": "#2e7d32", "speaker": "#e65100", "unodc": "#009edb",
    "organizer": "#6a1b9a", "interpreter": "#6d4c41", "media": "#f9c200", "security": "#111111",
    "support": "#607d8b",
}
NAME_SIZES = {"size-xl": 26, "size-l": 21, "size-m": 17, "size-s": 14, "size-xs": 12}
DELEGATION_SIZES = {"delegation-l": 12, "delegation-m": 10.5, "delegation-s": 9.5, "delegation-xs": 8.5}
_fonts_ready = False


def _register_fonts() -> None:
    global _fonts_ready
    if _fonts_ready:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    fonts = ROOT / "static" / "fonts"
    pdfmetrics.registerFont(TTFont("Sans", str(fonts / "noto-sans" / "NotoSans-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("Sans-Bold", str(fonts / "noto-sans" / "NotoSans-Bold.ttf")))
    pdfmetrics.registerFont(TTFont("Arabic", str(fonts / "amiri" / "Amiri-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("Arabic-Bold", str(fonts / "amiri" / "Amiri-Bold.ttf")))
    _fonts_ready = True


def _arabic(text: str) -> str:
    """Arabic letters joined (presentation forms) and in visual order, as reportlab draws left to right."""
    import arabic_reshaper
    from bidi.algorithm import get_display

    return get_display(arabic_reshaper.reshape(text))


def _has_arabic(text: str) -> bool:
    return any("\u0600" <= char <= "\u06ff" for char in text)


def _centred_lines(canvas, lines, font: str, size: float, top: float, leading: float) -> float:
    width = A6[0]
    y = top
    for line in lines:
        canvas.setFont(font, size)
        canvas.drawCentredString(width / 2, y, line)
        y -= leading
    return y


def draw_badge(canvas, badge: dict, flags: dict) -> None:
    """One A6 badge on the canvas's current page."""
    from reportlab.lib.colors import HexColor, white
    from reportlab.lib.utils import simpleSplit

    width, height = A6
    rtl = badge.get("dir") == "rtl"
    latin_or_arabic = "Arabic-Bold" if rtl else "Sans-Bold"
    # Conference line: wrapped to the width, at most three lines.
    text = _arabic(badge["conference_name"]) if rtl else badge["conference_name"]
    lines = simpleSplit(text, latin_or_arabic, 10.5, width - 14 * MM)[:3]
    y = _centred_lines(canvas, lines, latin_or_arabic, 10.5, height - 10 * MM, 12.6)
    meta = f"{badge['dates']} · {badge['city']}" if badge.get("city") else badge["dates"]
    canvas.setFillColor(HexColor("#444444"))
    _centred_lines(canvas, [_arabic(meta) if rtl else meta], "Arabic" if rtl else "Sans", 8, y - 1 * MM, 10)
    canvas.setStrokeColor(HexColor("#c8c8c8"))
    canvas.setLineWidth(0.4 * MM)
    canvas.line(7 * MM, height - 26 * MM, width - 7 * MM, height - 26 * MM)
    canvas.setFillColor(HexColor("#111111"))
    y = height - 33 * MM
    if badge.get("honorific"):
        honorific = badge["honorific"]
        arabic = _has_arabic(honorific)
        y = _centred_lines(canvas, [_arabic(honorific) if arabic else honorific], "Arabic" if arabic else "Sans",
                           10, y, 13)
    size = NAME_SIZES.get(badge["name_class"], 12)
    name_lines = simpleSplit(badge["name"], "Sans-Bold", size, width - 14 * MM)
    y = _centred_lines(canvas, name_lines, "Sans-Bold", size, y - size * 0.6, size * 1.15)
    if badge.get("name_ar"):
        size_ar = NAME_SIZES.get(badge["name_ar_class"], 12)
        y = _centred_lines(canvas, [_arabic(badge["name_ar"])], "Arabic-Bold", size_ar, y - size_ar * 0.3,
                           size_ar * 1.3)
    delegation = badge.get("delegation") or ""
    if delegation:
        size_d = DELEGATION_SIZES.get(badge.get("delegation_class", ""), 11)
        arabic = _has_arabic(delegation)
        font = "Arabic" if arabic else "Sans"
        shown = _arabic(delegation) if arabic else delegation
        lines = simpleSplit(shown, font, size_d, width - 20 * MM)
        flag = flags.get(badge.get("flag") or "")
        text_width = canvas.stringWidth(lines[0], font, size_d) if lines else 0
        y -= 2.5 * MM
        if flag is not None:
            x = (width - text_width - 6.6 * MM) / 2
            canvas.drawImage(flag, x, y - 0.4 * MM, 5.1 * MM, 3.5 * MM)
            canvas.setFont(font, size_d)
            canvas.drawString(x + 6.6 * MM, y, lines[0])
            _centred_lines(canvas, lines[1:], font, size_d, y - size_d * 1.25, size_d * 1.25)
        else:
            _centred_lines(canvas, lines, font, size_d, y, size_d * 1.25)
    # QR code of the signed token: 30 mm, centred above the band. segno with a fixed mask, as Accord's renderer
    # makes it (reportlab's own QR widget spends over a second a badge on the mask search and one shape a module).
    import segno
    from reportlab.lib.utils import ImageReader

    png = io.BytesIO()
    segno.make_qr(badge["code"], error="m", mask=4).save(png, kind="png", scale=1, border=0)
    png.seek(0)
    canvas.drawImage(ImageReader(png), (width - 30 * MM) / 2, 19 * MM, 30 * MM, 30 * MM)
    # Category band.
    colour = BANDS.get(badge["category"], "#607d8b")
    canvas.setFillColor(HexColor(colour))
    canvas.rect(0, 0, width, 16 * MM, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#111111") if badge["category"] == "media" else white)
    label = badge["category_label"].upper()
    arabic = _has_arabic(label)
    canvas.setFont("Arabic-Bold" if arabic else "Sans-Bold", 13)
    canvas.drawCentredString(width / 2, 6 * MM, _arabic(label) if arabic else label)


def render_peer(items: list[dict]) -> bytes:
    """All ``items`` as one PDF, one A6 badge a page, drawn with reportlab."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    _register_fonts()
    flags: dict[str, ImageReader] = {}
    for item in items:
        path = item.get("flag") or ""
        if path and path not in flags:
            file = ROOT / "static" / path
            flags[path] = ImageReader(str(file)) if file.is_file() else None
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A6, pageCompression=1)
    canvas.setTitle("Badges")
    for item in items:
        draw_badge(canvas, item, flags)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
