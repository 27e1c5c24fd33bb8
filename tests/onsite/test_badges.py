"""Badges: rendering (pages, names, Arabic, QR), the desk's cached single badge, reprints, batches."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image

from conference.services import AccordError
from onsite.enums import BatchStatus
from onsite.models import Badge, BadgeBatch, BadgePage, BadgePrint
from onsite.rendering import render_badges_html
from onsite.services import badges as badge_services
from onsite.services.badges import (
    badge_batch_run,
    badge_batch_start,
    badge_code,
    badge_data,
    badge_ensure,
    badge_pdf_for_desk,
    badge_prerender,
    badge_revoke,
    render_badges,
    token_from_code,
)
from registration.enums import ParticipantStatus
from tests.factories import ConferenceFactory, DelegationFactory, ParticipantFactory, StaffFactory
from tests.onsite.factories import approved_with_badge

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parents[2]


def pages_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def decode_qr(content: bytes, tmp_path: Path, page: int = 1) -> list[str]:
    pdf_path = tmp_path / "badge.pdf"
    pdf_path.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", str(page), "-l", str(page), str(pdf_path), str(tmp_path / "page")],
        check=True,
    )
    png = sorted(tmp_path.glob("page*.png"))[0]
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_render_badges_one_page_per_badge_with_names():
    conference = ConferenceFactory(name="Inter-regional Conference on Trafficking in Persons")
    people = [
        approved_with_badge(conference=conference, first_name="Amina", last_name="Haddad", badge_name_ar="أمينة حداد"),
        approved_with_badge(conference=conference, first_name="Jean", last_name="Dupont", preferred_language="fr"),
        approved_with_badge(conference=conference, first_name="Li", last_name="Wei", category="speaker"),
    ]

    content = render_badges(people)

    texts = pages_text(content)
    assert len(texts) == 3
    assert "Amina Haddad" in texts[0]
    assert "أمينة حداد" in texts[0].splitlines()
    assert "Jean Dupont" in texts[1]
    assert "juillet" in texts[1] and "Égypte" in texts[1]  # dates and country in the participant's language
    assert "SPEAKER" in texts[2]  # the colour band's legend (upper case by CSS)
    assert all("Inter-regional Conference" in text for text in texts)


def test_render_badges_html_in_names_prints_as_text():
    name = '<img src="file:///etc/passwd"> url(http://127.0.0.1:9/x)'
    person = approved_with_badge(badge_name=name)

    content = render_badges([person])

    assert "".join(name.split()) in "".join(pages_text(content)[0].split())  # (a long name wraps)
    assert b"root:x" not in content
    assert pypdf.PdfReader(io.BytesIO(content)).attachments == {}


@pytest.mark.parametrize("badge_format", ["a6", "cr80"])
def test_render_badges_qr_decodes_to_signed_token(tmp_path, badge_format):
    if not shutil.which("zbarimg") or not shutil.which("pdftoppm"):
        pytest.fail("zbar-tools and poppler-utils are required (apt-get install zbar-tools poppler-utils)")
    person = approved_with_badge(conference=ConferenceFactory(badge_format=badge_format))
    badge = Badge.objects.get(participant=person)

    decoded = decode_qr(render_badges([person]), tmp_path)

    assert decoded == [badge_code(badge)]
    assert token_from_code(decoded[0]) == badge.token
    assert decoded[0].split(":")[0] == badge.token  # random token + signature: no id, no personal data
    assert len(badge.token) >= 40 and person.email not in decoded[0] and person.public_id not in decoded[0]


def test_render_badges_cr80_and_sheet_layouts():
    conference = ConferenceFactory(badge_format="cr80")
    people = [approved_with_badge(conference=conference) for _ in range(3)]
    single = pypdf.PdfReader(io.BytesIO(render_badges(people)))
    box = single.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4, 1), round(float(box.height) / 72 * 25.4, 1)) == (85.6, 54.0)

    a6 = [approved_with_badge() for _ in range(5)]
    sheet = pypdf.PdfReader(io.BytesIO(render_badges(a6, layout="sheet")))
    assert len(sheet.pages) == 2  # four A6 on each A4
    box = sheet.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)


def test_render_badges_long_name_shrinks():
    short = badge_data(approved_with_badge(badge_name="Ana Li"))
    long = badge_data(approved_with_badge(badge_name="Maria-Fernanda de los Ángeles Rodríguez-Villanueva y Castellanos"))
    assert short["name_class"] == "size-xl"
    assert long["name_class"] == "size-xs"


def test_render_badges_photo_embedded_as_data_uri(tmp_path):
    person = approved_with_badge()
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (10, 120, 200)).save(buffer, "JPEG")
    person.photo.save("x.jpg", ContentFile(buffer.getvalue()), save=True)

    data = badge_data(person)
    html = render_badges_html([data])

    assert "data:image/jpeg;base64," in html
    assert "file:" not in html
    reader = pypdf.PdfReader(io.BytesIO(render_badges([data])))
    assert len(reader.pages[0].images) == 3  # photo, flag, QR


def test_render_badges_chunks_keep_order():
    conference = ConferenceFactory()
    people = [approved_with_badge(conference=conference, badge_name=f"Person {i:02d}") for i in range(7)]
    data = [badge_data(p) for p in people]

    content = render_badges(data, chunk_size=3)

    texts = pages_text(content)
    assert len(texts) == 7
    assert [f"Person {i:02d}" in text for i, text in enumerate(texts)] == [True] * 7


def test_badge_ensure_non_approved_refused():
    person = ParticipantFactory(status=ParticipantStatus.SUBMITTED)
    with pytest.raises(AccordError):
        badge_ensure(person)
    with pytest.raises(AccordError):
        badge_pdf_for_desk(person, actor=StaffFactory())
    assert not Badge.objects.filter(participant=person).exists()


def test_badge_pdf_for_desk_prints_then_reprint_needs_reason():
    staff = StaffFactory()
    person = approved_with_badge(badge_name="Desk Person")

    first = badge_pdf_for_desk(person, actor=staff)
    assert "Desk Person" in pages_text(first)[0]
    with pytest.raises(AccordError):
        badge_pdf_for_desk(person, actor=staff)
    badge_pdf_for_desk(person, actor=staff, reprint_reason="Coffee spilled")

    badge = Badge.objects.get(participant=person)
    assert badge.printed_count == 2
    prints = list(BadgePrint.objects.filter(badge=badge).order_by("printed_at"))
    assert [(p.is_reprint, p.reason, p.printed_by) for p in prints] == [(False, "", staff), (True, "Coffee spilled", staff)]


def test_badge_prerender_page_follows_changes():
    person = approved_with_badge(badge_name="Before")
    badge = badge_prerender(person)
    page = BadgePage.objects.get(badge=badge)
    first_name, fingerprint = page.pdf.name, page.fingerprint
    assert page.badge_format == "a6"
    badge_prerender(person)
    assert BadgePage.objects.get(badge=badge).pdf.name == first_name  # unchanged data: the page is reused

    person.badge_name = "After"
    person.save()
    badge_prerender(person)

    page = BadgePage.objects.get(badge=badge)
    assert page.fingerprint != fingerprint
    with page.pdf.open("rb") as handle:
        assert "After" in pages_text(handle.read())[0]
    assert not page.pdf.storage.exists(first_name)  # the stale page's file is gone


def test_badge_prerender_task_queued_on_revoke(django_capture_on_commit_callbacks):
    staff = StaffFactory()
    person = approved_with_badge()
    old_token = Badge.objects.get(participant=person).token

    with django_capture_on_commit_callbacks(execute=True):
        badge = badge_revoke(person, actor=staff, reason="lost")

    badge.refresh_from_db()
    assert badge.token != old_token
    page = BadgePage.objects.get(badge=badge)  # re-rendered by the task after commit, with the new token
    assert page.fingerprint == badge_services.badge_fingerprint(badge_data(person, badge=badge))
    assert badge.revoked_tokens.get().token == old_token


def test_badge_batch_stores_file_and_prints(django_capture_on_commit_callbacks):
    staff = StaffFactory()
    conference = ConferenceFactory()
    delegation = DelegationFactory(conference=conference, code="EGY")
    people = [approved_with_badge(conference=conference, delegation=delegation) for _ in range(3)]
    approved_with_badge(conference=conference)  # another delegation
    ParticipantFactory(conference=conference, delegation=delegation, status=ParticipantStatus.CANCELLED)

    with django_capture_on_commit_callbacks(execute=True):
        batch = badge_batch_start(conference, actor=staff, delegation=delegation)

    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.done, batch.requested_by) == (BatchStatus.DONE, 3, 3, staff)
    assert batch.finished_at is not None
    with batch.file.open("rb") as handle:
        assert len(pypdf.PdfReader(handle).pages) == 3
    assert sorted(BadgePrint.objects.filter(batch=batch).values_list("badge__participant", flat=True)) == sorted(
        p.pk for p in people
    )


def test_badge_batch_selection_with_non_approved_refused():
    staff = StaffFactory()
    conference = ConferenceFactory()
    ok = approved_with_badge(conference=conference)
    rejected = ParticipantFactory(conference=conference, status=ParticipantStatus.REJECTED)

    with pytest.raises(AccordError):
        badge_batch_start(conference, actor=staff, participant_ids=[ok.pk, rejected.pk])
    assert BadgeBatch.objects.count() == 0


def test_badge_batch_failure_is_rerunnable(monkeypatch):
    staff = StaffFactory()
    conference = ConferenceFactory()
    approved_with_badge(conference=conference)
    batch = BadgeBatch.objects.create(conference=conference, requested_by=staff, total=1)

    def broken(*args, **kwargs):  # the renderer is outside the batch logic under test: a crash in WeasyPrint
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(badge_services, "render_badge_pages", broken)
    batch = badge_batch_run(batch)
    assert (batch.status, batch.error, bool(batch.file)) == (BatchStatus.FAILED, "renderer crashed", False)
    assert BadgePrint.objects.count() == 0

    monkeypatch.undo()
    batch = badge_batch_run(batch)
    assert batch.status == BatchStatus.DONE and batch.file


def test_render_badges_command_writes_pdf(tmp_path):
    conference = ConferenceFactory(slug="cmdconf")
    delegation = DelegationFactory(conference=conference, code="FRA", country="FR")
    approved_with_badge(conference=conference, delegation=delegation, badge_name="Command Person")
    approved_with_badge(conference=conference)
    out = tmp_path / "badges.pdf"

    call_command("render_badges", "--out", str(out), "--conference", "cmdconf", "--delegation", "FRA")

    texts = pages_text(out.read_bytes())
    assert len(texts) == 1 and "Command Person" in texts[0]


def test_participant_approve_prerenders_badge_for_desk(django_capture_on_commit_callbacks):
    import time

    from registration.services.participants import participant_approve, participant_update

    staff = StaffFactory()
    person = ParticipantFactory(status=ParticipantStatus.SUBMITTED, badge_name="Pre Rendered")

    with django_capture_on_commit_callbacks(execute=True):
        participant_approve(person, actor=staff)
    badge = Badge.objects.get(participant=person)
    cached_name = BadgePage.objects.get(badge=badge).pdf.name

    person.refresh_from_db()
    start = time.perf_counter()
    content = badge_pdf_for_desk(person, actor=staff)  # warm: served from the pre-rendered file
    elapsed = time.perf_counter() - start
    assert BadgePage.objects.get(badge=badge).pdf.name == cached_name  # nothing re-rendered
    assert "Pre Rendered" in pages_text(content)[0]
    start = time.perf_counter()
    badge_pdf_for_desk(person, actor=staff, reprint_reason="Spelling")
    print(f"warm desk badge: {elapsed * 1000:.0f} ms, reprint {(time.perf_counter() - start) * 1000:.0f} ms")

    with django_capture_on_commit_callbacks(execute=True):
        participant_update(person, actor=staff, badge_name="Renamed")
    page = BadgePage.objects.get(badge=badge)
    assert page.pdf.name != cached_name
    with page.pdf.open("rb") as handle:
        assert "Renamed" in pages_text(handle.read())[0]


def test_badge_batch_chunk_failing_fails_batch_visibly(settings, monkeypatch):
    settings.ACCORD_BADGE_CHUNK_SIZE = 2
    conference = ConferenceFactory()
    for _ in range(3):
        approved_with_badge(conference=conference)
    batch = BadgeBatch.objects.create(conference=conference, requested_by=StaffFactory(), total=3)
    real = badge_services.render_badge_pages
    calls = []

    def second_chunk_crashes(items, **kwargs):  # WeasyPrint crashing on the second chunk
        calls.append(len(items))
        if len(calls) == 2:
            raise RuntimeError("renderer crashed")
        return real(items, **kwargs)

    monkeypatch.setattr(badge_services, "render_badge_pages", second_chunk_crashes)
    batch = badge_batch_run(batch)

    assert (batch.status, batch.error, bool(batch.file)) == (BatchStatus.FAILED, "renderer crashed", False)
    assert calls == [2, 1] and BadgePage.objects.count() == 2  # the first chunk's pages are kept for the re-run
    assert BadgePrint.objects.count() == 0


def test_badge_batch_query_count_constant():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = StaffFactory()

    def run(count):
        conference = ConferenceFactory()
        for _ in range(count):
            approved_with_badge(conference=conference)
        queries = []
        for _ in ("cold", "pre-rendered"):
            batch = BadgeBatch.objects.create(conference=conference, requested_by=staff, total=count)
            with CaptureQueriesContext(connection) as captured:
                batch = badge_batch_run(batch)
            assert batch.status == BatchStatus.DONE
            assert BadgePrint.objects.filter(batch=batch).count() == count
            queries.append(len(captured))
        return queries

    assert run(1) == run(6)
