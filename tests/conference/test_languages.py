"""The one language registry (conference/languages.py): settings.LANGUAGES and Django's bidi, asked everywhere."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from conference import languages
from conference.enums import LanguageCode
from conference.models import Conference, default_languages
from registration.emails import build_email
from registration.imports import _language
from sessions_app.forms import AgendaFilterForm, RoomAdminForm
from sessions_app.rendering import agenda_html
from tests.factories import ConferenceFactory


def test_language_code_choices_name_the_languages_of_settings():
    assert sorted(LanguageCode.values) == sorted(code for code, _name in settings.LANGUAGES)
    assert sorted(languages.codes()) == sorted(LanguageCode.values)
    for code, label in LanguageCode.choices:
        assert str(label) == languages.language_name(code)


def test_right_to_left_comes_from_django_bidi():
    assert [code for code in languages.codes() if languages.is_rtl(code)] == ["ar"]
    assert languages.direction("ar") == "rtl"
    assert languages.direction("fr") == "ltr"
    assert languages.direction("he") == "ltr"  # not one of Accord's languages: no guess
    assert languages.supported("de") == settings.LANGUAGE_CODE
    assert languages.supported("fr") == "fr"


def test_language_names_follow_the_active_language():
    with translation.override("fr"):
        assert languages.language_name("ar") == "Arabe"
    with translation.override("ar"):
        assert languages.language_name("fr") == "الفرنسية"
    assert languages.language_name("xx") == "xx"


@pytest.mark.parametrize(
    ("value", "code"),
    [("fr", "fr"), ("French", "fr"), ("français", "fr"), ("Anglais", "en"), ("arabe", "ar"), ("العربية", "ar"),
     ("عربي", "ar"), ("", "en"), ("klingon", None)],
)
def test_import_language_column_reads_codes_and_names(value, code):
    assert _language(value) == code


def test_new_conference_speaks_every_language_and_refuses_unknown_codes(db):
    assert default_languages() == languages.codes()
    conference = ConferenceFactory.build(slug="x", languages=["fr", "xx"])
    with pytest.raises(Exception) as raised:
        conference.clean()
    assert "xx" in str(raised.value)
    assert Conference._meta.get_field("languages").default() == ["en", "fr", "ar"]


def test_forms_offer_the_registry_languages(db):
    assert [code for code, _name in RoomAdminForm().fields["interpretation_languages"].choices] == languages.codes()
    form = AgendaFilterForm(rooms=[], language="en")
    assert [code for code, _name in form.fields["lang"].choices] == ["", *languages.codes()]


def test_email_and_agenda_direction_from_the_registry(db):
    conference = ConferenceFactory(slug="sharm2023")
    message = build_email("invitation", {"conference": conference, "link": "https://x.test/i/1", "invitation": None},
                          subject="s", to="a@example.org", language="ar")
    html = message.alternatives[0][0]
    assert 'dir="rtl"' in html
    assert 'dir="rtl"' in agenda_html(conference, "ar")
    assert 'dir="rtl"' not in agenda_html(conference, "fr").split("<body", 1)[0]


def test_day_page_links_one_agenda_pdf_per_language(client, settings, db):
    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    ConferenceFactory(slug="sharm2023")
    body = client.get(reverse("sessions_app:day", args=["2023-07-10"])).content.decode()
    for code in languages.codes():
        assert reverse("sessions_app:agenda_pdf", args=[code]) in body
    assert "Agenda (PDF, English)" in body
    assert f'href="{reverse("sessions_app:agenda_pdf", args=["ar"])}" lang="ar" dir="rtl"' in body
    assert f'href="{reverse("sessions_app:agenda_pdf", args=["fr"])}" lang="fr" dir="ltr"' in body
