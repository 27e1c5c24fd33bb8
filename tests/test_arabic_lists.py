"""Lists joined in the page's language (issue 23 item 5): the Arabic comma «،» in Arabic, ", " in English and
French, from the catalog's list separator; and Arabic month names in rendered dates (Django's Arabic locale)."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import pypdf
import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from conference.lists import join_list
from onsite.services.badges import badge_data
from sessions_app.rendering import render_agenda
from tests.factories import ConferenceFactory, RoomFactory, SessionFactory
from tests.onsite.factories import approved_with_badge

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "joined"), [("ar", "أ، ب، ج"), ("fr", "أ, ب, ج"), ("en", "أ, ب, ج")])
def test_join_list_uses_the_language_separator(language, joined):
    with translation.override(language):
        assert join_list(["أ", "", None, "ب", "ج"]) == joined


def test_join_list_filter_and_tag_escape_and_skip_empty_values():
    template = Template('{% load accord_text %}{{ values|join_list }}|{% join_list first "" second %}')
    with translation.override("ar"):
        rendered = template.render(Context({"values": ["<b>", "x"], "first": "a&b", "second": "c"}))
    assert rendered == "&lt;b&gt;، x|a&amp;b، c"


@pytest.fixture
def arabic_programme(settings):
    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    conference = ConferenceFactory(slug="sharm2023", name_ar="المؤتمر الأقاليمي", venue_ar="مركز المؤتمرات",
                                   city_ar="شرم الشيخ")
    room = RoomFactory(conference=conference, name="Hall A", name_ar="القاعة أ", order=1)
    tz = zoneinfo.ZoneInfo("Africa/Cairo")
    SessionFactory(conference=conference, room=room, kind="plenary", title="Plenary", title_ar="الجلسة العامة",
                   starts_at=datetime.datetime(2023, 7, 10, 9, tzinfo=tz),
                   ends_at=datetime.datetime(2023, 7, 10, 10, tzinfo=tz), interpretation_languages=["ar", "fr"])
    return conference


def test_arabic_agenda_pdf_joins_with_the_arabic_comma_and_names_months(arabic_programme):
    reader = pypdf.PdfReader(io.BytesIO(render_agenda(arabic_programme, "ar")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "مركز المؤتمرات، شرم الشيخ" in text
    assert "العربية، الفرنسية" in text
    assert "يوليو" in text and "July" not in text
    assert ", " not in text.replace("Africa/Cairo", "")


def test_arabic_day_page_joins_interpretation_languages_with_the_arabic_comma(client, arabic_programme):
    client.cookies["accord_language"] = "ar"
    html = client.get(reverse("sessions_app:day", args=["2023-07-10"])).content.decode()
    assert '<html lang="ar" dir="rtl"' in html
    assert "الترجمة الشفوية: العربية، الفرنسية" in html
    assert "يوليو" in html


def test_arabic_badge_dates_use_arabic_month_names(conference):
    data = badge_data(approved_with_badge(conference=conference, preferred_language="ar"))
    assert data["dates"] == "10–13 يوليو 2023"


@pytest.mark.parametrize(("language", "joined"), [("ar", "أ؛ ب"), ("fr", "أ\u202f; ب"), ("en", "أ; ب")])
def test_join_clauses_uses_the_language_semicolon(language, joined):
    from conference.lists import join_clauses

    template = Template("{% load accord_text %}{{ values|join_clauses }}")
    with translation.override(language):
        assert join_clauses(["أ", "", "ب"]) == joined
        assert template.render(Context({"values": ["أ", "ب"]})) == joined
