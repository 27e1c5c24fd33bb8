import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from sessions_app import services
from sessions_app.models import AgendaFile
from sessions_app.rendering import render_agenda
from tests.factories import DelegationFactory, ParticipantFactory, SessionRoleFactory

from .conftest import cairo

pytestmark = pytest.mark.django_db

ARABIC_TITLE = "مكافحة الاتجار بالأشخاص"


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def programme(conference, make_session):
    opening = make_session(title="Opening ceremony", title_fr="Cérémonie d'ouverture", title_ar="حفل الافتتاح",
                           kind="opening", starts_at=cairo(10, 9), ends_at=cairo(10, 10, 30))
    panel = make_session(title="Countering trafficking in persons", title_fr="Lutte contre la traite des personnes",
                         title_ar=ARABIC_TITLE, kind="panel", starts_at=cairo(11, 14, 15), ends_at=cairo(11, 16),
                         interpretation_languages=["ar", "fr"])
    SessionRoleFactory(session=panel, role="moderator", participant=ParticipantFactory(
        conference=conference, badge_name="Sara Lindqvist",
        delegation=DelegationFactory(conference=conference, country="SE")))
    return opening, panel


def test_render_agenda_english(conference, programme):
    pdf = render_agenda(conference, "en")
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert "Opening ceremony" in text and "Countering trafficking in persons" in text
    assert "09:00–10:30" in text and "14:15–16:00" in text
    assert "Monday 10 July 2023" in text and "Tuesday 11 July 2023" in text
    assert "Moderator:" in text and "Sara Lindqvist" in text and "Sweden" in text
    assert "Hall A" in text and "PANEL DISCUSSION" in text  # kinds print in capitals
    assert PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4


def test_render_agenda_french(conference, programme):
    text = _text(render_agenda(conference, "fr"))
    assert "Lutte contre la traite des personnes" in text
    assert "Cérémonie d'ouverture" in text
    assert "Salle A" in text
    assert "14:15–16:00" in text


def test_render_agenda_arabic_title_extracts(conference, programme):
    pdf = render_agenda(conference, "ar")
    text = _text(pdf)
    assert ARABIC_TITLE in text
    assert "حفل الافتتاح" in text
    assert "14:15–16:00" in text


def test_agenda_file_refresh_stores_and_skips_when_unchanged(conference, programme):
    first = services.agenda_file_refresh(conference, "fr")
    assert first.file.read().startswith(b"%PDF")
    rendered_at = first.rendered_at
    again = services.agenda_file_refresh(conference, "fr")
    assert again.rendered_at == rendered_at and again.file.name == first.file.name
    opening, _panel = programme
    opening.title_fr = "Ouverture solennelle"
    opening.save()
    changed = services.agenda_file_refresh(conference, "fr")
    assert changed.fingerprint != first.fingerprint
    assert "Ouverture solennelle" in _text(changed.file.open("rb").read())
    assert AgendaFile.objects.count() == 1


def test_session_save_rerenders_agenda_on_commit(conference, programme, django_capture_on_commit_callbacks):
    opening, _panel = programme
    opening.title = "Opening plenary"
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(opening, actor=None)
    stored = AgendaFile.objects.get(conference=conference, language="en")
    assert "Opening plenary" in _text(stored.file.open("rb").read())
    assert set(AgendaFile.objects.values_list("language", flat=True)) == {"en", "fr", "ar"}


def test_agenda_pdf_view_serves_stored_file_without_rendering(client, conference, programme,
                                                              django_assert_max_num_queries):
    services.agenda_file_refresh(conference, "en")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("sessions_app:agenda_pdf", args=["en"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert "Opening ceremony" in _text(body)


def test_agenda_pdf_view_stale_file_served_and_refresh_queued(client, conference, programme,
                                                              django_capture_on_commit_callbacks):
    services.agenda_file_refresh(conference, "en")
    opening, _panel = programme
    opening.title = "Renamed opening"
    opening.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(reverse("sessions_app:agenda_pdf", args=["en"]))
    assert response.status_code == 200
    assert "Opening ceremony" in _text(b"".join(response.streaming_content))  # the stale one, immediately
    assert len(callbacks) == 1
    callbacks[0]()  # the worker's turn (eager here)
    response = client.get(reverse("sessions_app:agenda_pdf", args=["en"]))
    assert "Renamed opening" in _text(b"".join(response.streaming_content))


def test_agenda_pdf_view_missing_file_is_503_and_queues(client, conference, programme,
                                                       django_capture_on_commit_callbacks):
    from django.core.cache import cache

    cache.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(reverse("sessions_app:agenda_pdf", args=["ar"]))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "being prepared" in response.content.decode()
    assert not AgendaFile.objects.exists()  # nothing rendered in the request
    assert len(callbacks) == 1
    callbacks[0]()
    assert AgendaFile.objects.filter(language="ar").exists()
    assert client.get(reverse("sessions_app:agenda_pdf", args=["de"])).status_code == 404


def test_render_agenda_command_writes_pdf(conference, programme, tmp_path):
    out = tmp_path / "agenda.pdf"
    call_command("render_agenda", "--lang", "fr", "--out", str(out), "--conference", conference.slug)
    assert "Lutte contre la traite des personnes" in _text(out.read_bytes())
