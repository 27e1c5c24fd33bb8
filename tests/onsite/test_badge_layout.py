"""Badge layout (issue 24 item 5): on A6 and CR80, with a photo, 60-character names in Latin and Arabic script,
long delegation names and right-to-left badges, the conference line, names, delegation with flag, photo, QR code
and category band never overlap and never leave the page.

The check reads the laid-out boxes from the rendered PDF (pdfplumber: the position of every glyph, image and
filled rectangle), because WeasyPrint's public API gives a page's size, links and anchors but not its boxes."""

from __future__ import annotations

import io
import itertools
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from django.core.files.base import ContentFile
from PIL import Image

from conference.enums import BadgeFormat, DelegationKind
from conference.pdf import render_document, write_pdf
from onsite.rendering import STYLESHEETS, render_badges_document, render_badges_html
from onsite.services.badges import badge_data
from registration.enums import ParticipantCategory
from tests.factories import ConferenceFactory, DelegationFactory
from tests.onsite.factories import approved_with_badge

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

LATIN_60 = "Maximilian-Alexander Konstantinopoulos de la Vega-Hohenstein"
ARABIC_60 = "عبد الرحمن بن محمد بن عبد العزيز آل عبد اللطيف القحطاني الهاشمي"
LONG_ORGANIZATION = (
    "United Nations Office on Drugs and Crime, Regional Office for the Middle East and North Africa, Cairo"
)
CONFERENCE = "Inter-regional Conference on Judicial Cooperation against Trafficking in Persons in Africa"
TOLERANCE = 0.6  # points: glyph boxes of adjacent lines may touch by rounding


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), (210, 190, 170)).save(buffer, "JPEG")
    return buffer.getvalue()


def _worst_cases(badge_format: str) -> list[dict]:
    assert len(LATIN_60) == 60 and len(ARABIC_60) >= 60
    conference = ConferenceFactory(
        slug=f"layout-{badge_format}", name=CONFERENCE, name_ar="المؤتمر الأقاليمي للتعاون القضائي في مكافحة الاتجار بالأشخاص في أفريقيا",
        city="Cairo", city_ar="القاهرة", badge_format=badge_format,
    )
    uk = DelegationFactory(conference=conference, code="GBR", country="GB")
    unodc = DelegationFactory(conference=conference, code="UNODC-MENA", country="", kind=DelegationKind.UN,
                              organization=LONG_ORGANIZATION, organization_ar="مكتب الأمم المتحدة المعني بالمخدرات والجريمة، المكتب الإقليمي للشرق الأوسط وشمال أفريقيا، القاهرة")
    people = [
        # photo, both names at their longest, the longest country name with its flag
        dict(delegation=uk, badge_name=LATIN_60, badge_name_ar=ARABIC_60, photo=True, title="counsellor",
             gender="female", category=ParticipantCategory.HEAD_OF_DELEGATION),
        # photo, long organization name, no Arabic name
        dict(delegation=unodc, badge_name=LATIN_60, badge_name_ar="", photo=True,
             category=ParticipantCategory.UNODC_STAFF),
        # no photo: the QR code moves to the centre
        dict(delegation=uk, badge_name=LATIN_60, badge_name_ar=ARABIC_60, photo=False, category=ParticipantCategory.MEDIA),
        # a right-to-left badge (Arabic preferred language): Arabic conference and delegation names
        dict(delegation=unodc, badge_name=LATIN_60, badge_name_ar=ARABIC_60, photo=True, preferred_language="ar",
             title="he", category=ParticipantCategory.INTERPRETER),
        # a short name at the largest size
        dict(delegation=uk, badge_name="Li Na", badge_name_ar="لي نا", photo=True, category=ParticipantCategory.DELEGATE),
    ]
    items = []
    for spec in people:
        photo = spec.pop("photo")
        person = approved_with_badge(conference=conference, **spec)
        if photo:
            person.photo.save("p.jpg", ContentFile(_photo()), save=True)
        person.refresh_from_db()
        items.append(badge_data(person))
    return items


def _box(obj) -> tuple[float, float, float, float]:
    return (float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"]))


def _intersect(a, b, tolerance=TOLERANCE) -> bool:
    return (min(a[2], b[2]) - max(a[0], b[0]) > tolerance) and (min(a[3], b[3]) - max(a[1], b[1]) > tolerance)


def _inside(inner, outer, tolerance=TOLERANCE) -> bool:
    return (inner[0] >= outer[0] - tolerance and inner[1] >= outer[1] - tolerance
            and inner[2] <= outer[2] + tolerance and inner[3] <= outer[3] + tolerance)


def _check_page(page, item: dict) -> None:
    page_box = (0.0, 0.0, float(page.width), float(page.height))
    chars = [c for c in page.chars if c["text"].strip()]
    images = [_box(i) for i in page.images]
    # the category band: the filled rectangle across the whole width at the bottom
    bands = [_box(r) for r in page.rects if r.get("fill") and r["width"] >= page.width - 1 and r["bottom"] >= page.height - 1]
    assert len(bands) == 1, f"{item['name']}: one category band, got {bands}"
    band = bands[0]
    assert band[3] - band[1] >= (15 if item["format"] == BadgeFormat.A6 else 6.5) * 72 / 25.4 - 1

    qr_size = (30 if item["format"] == BadgeFormat.A6 else 19) * 72 / 25.4
    qrs = [b for b in images if abs((b[2] - b[0]) - qr_size) < 1 and abs((b[3] - b[1]) - qr_size) < 1]
    photos = [b for b in images if (b[3] - b[1]) > (b[2] - b[0]) * 1.2]
    flags = [b for b in images if (b[2] - b[0]) < 20]
    assert len(qrs) == 1
    assert len(photos) == (1 if item["photo_path"] else 0)
    assert len(flags) == (1 if item["flag"] else 0)
    assert len(images) == len(qrs) + len(photos) + len(flags)

    blocks = images + [band]
    for box in blocks:
        assert _inside(box, page_box), f"{item['name']}: {box} leaves the page {page_box}"
    for a, b in itertools.combinations(blocks, 2):
        assert not _intersect(a, b), f"{item['name']}: blocks {a} and {b} intersect"

    band_chars = [c for c in chars if _intersect(_box(c), band, 0)]
    label = "".join(c["text"] for c in band_chars)
    # (Arabic glyphs come out in visual order: compare the letters, not their order)
    assert sorted(label.replace(" ", "")) == sorted(item["category_label"].upper().replace(" ", "")), label
    for c in band_chars:
        assert _inside(_box(c), band), f"band label glyph {c['text']!r} leaves the band"
    text_chars = [c for c in chars if c not in band_chars]
    assert text_chars
    for c in text_chars:
        box = _box(c)
        assert _inside(box, page_box), f"{item['name']}: glyph {c['text']!r} {box} leaves the page"
        assert box[3] <= band[1] + TOLERANCE, f"{item['name']}: glyph {c['text']!r} {box} runs into the band"
        for image in images:
            assert not _intersect(box, image), f"{item['name']}: glyph {c['text']!r} {box} covers an image {image}"
    for a, b in itertools.combinations(text_chars, 2):
        assert not _intersect(_box(a), _box(b)), f"{item['name']}: glyphs {a['text']!r} and {b['text']!r} overlap"

    # Every block is there in full: the whole Latin name, Arabic glyphs when given, the delegation's words.
    latin = "".join(c["text"] for c in text_chars if "Arabic" not in c["fontname"])
    if item["honorific"] and item["lang"] != "ar":
        assert item["honorific"].replace(" ", "") in latin.replace(" ", "")
    assert item["name"].replace(" ", "") in latin.replace(" ", "")
    if item["name_ar"]:
        assert sum("Arabic" in c["fontname"] for c in text_chars) >= len(item["name_ar"].replace(" ", "")) // 2
    if item["lang"] != "ar":
        assert item["delegation"].split()[-1] in latin


@pytest.mark.parametrize("badge_format", [BadgeFormat.A6, BadgeFormat.CR80])
def test_badge_worst_cases_blocks_never_overlap_nor_leave_the_page(badge_format):
    items = _worst_cases(badge_format)
    content = write_pdf(render_badges_document(items, layout="single", badge_format=badge_format))
    ARTIFACTS.mkdir(exist_ok=True)
    pdf_path = ARTIFACTS / f"badge-worst-cases-{badge_format}.pdf"
    pdf_path.write_bytes(content)
    if shutil.which("pdftoppm"):  # the first badge (photo, longest names) as a picture for the note
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf_path),
                        str(ARTIFACTS / f"badge-{badge_format}-photo")], check=True)
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        assert len(pdf.pages) == len(items)
        for page, item in zip(pdf.pages, items, strict=True):
            _check_page(page, item)


def test_badge_layout_check_sees_an_overlap():
    """Control: the same check fails on a badge whose QR code is pushed onto the names."""
    items = _worst_cases(BadgeFormat.A6)[:1]
    html = render_badges_html(items, layout="single", badge_format=BadgeFormat.A6)
    assert html.count('class="qr"') == 1
    html = html.replace('class="qr"', 'class="qr" style="bottom: 85mm"')
    content = write_pdf(render_document(html, stylesheets=STYLESHEETS, minimal_ua=True))
    with pdfplumber.open(io.BytesIO(content)) as pdf, pytest.raises(AssertionError, match="covers an image"):
        _check_page(pdf.pages[0], items[0])
