"""Pre-rendered badge pages: the desk prints the stored page, a batch merges the stored pages and a sheet imposes
them (pikepdf), byte for byte the same page content; only missing or stale pages are rendered again."""

import io

import pikepdf
import pypdf
import pytest

from onsite.enums import BatchStatus
from onsite.models import BadgePage
from onsite.services.badges import badge_batch_start, badge_pdf_for_desk, badge_prerender, batch_file_write
from tests.factories import ConferenceFactory, DelegationFactory, StaffFactory
from tests.onsite.factories import approved_with_badge

pytestmark = pytest.mark.django_db
MM = 72 / 25.4


def content_bytes(page: pikepdf.Page) -> bytes:
    """The page's content stream, decoded (one stream: WeasyPrint writes one a page)."""
    contents = page.obj.Contents
    assert isinstance(contents, pikepdf.Stream)
    return contents.read_bytes()


def stored_content(page: BadgePage) -> bytes:
    with page.pdf.open("rb") as handle:
        with pikepdf.open(io.BytesIO(handle.read())) as pdf:
            assert len(pdf.pages) == 1
            return content_bytes(pdf.pages[0])


def batch_pdf(batch) -> bytes:
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE, batch.error
    with batch.file.open("rb") as handle:
        return handle.read()


@pytest.mark.parametrize("merge_in_process", [500, 2], ids=["merged-in-process", "merged-in-a-child"])
def test_badge_same_page_at_desk_in_batch_and_on_sheet(django_capture_on_commit_callbacks, settings,
                                                       merge_in_process):
    settings.ACCORD_BADGE_MERGE_IN_PROCESS = merge_in_process  # 2: the batch of 5 goes to python -m onsite.pdfpages
    staff = StaffFactory()
    conference = ConferenceFactory()
    delegation = DelegationFactory(conference=conference, code="EGY")
    names = ["Amina Haddad", "Jean Dupont", "Li Wei", "Olena Kowalczyk", "Kwame Mensah"]
    people = [
        approved_with_badge(conference=conference, delegation=delegation, badge_name=name, last_name=f"{i}")
        for i, name in enumerate(names)
    ]
    for person in people:
        badge_prerender(person)
    pages = {page.badge.participant_id: page for page in BadgePage.objects.select_related("badge")}
    expected = [stored_content(pages[person.pk]) for person in people]
    rendered_at = {pk: page.rendered_at for pk, page in pages.items()}

    # The desk: the stored file itself.
    desk = badge_pdf_for_desk(people[0], actor=staff)
    with pages[people[0].pk].pdf.open("rb") as handle:
        assert desk == handle.read()

    # A batch: the stored pages merged, in print order, nothing rendered again.
    with django_capture_on_commit_callbacks(execute=True):
        single = badge_batch_start(conference, actor=staff, delegation=delegation)
    merged = batch_pdf(single)
    with pikepdf.open(io.BytesIO(merged)) as pdf:
        assert [content_bytes(page) for page in pdf.pages] == expected
    texts = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(merged)).pages]
    assert [name in text for name, text in zip(names, texts, strict=True)] == [True] * 5
    assert {page.badge.participant_id: page.rendered_at for page in BadgePage.objects.select_related("badge")} == (
        rendered_at
    )

    # Sheets: four A6 on each A4, each badge a Form XObject whose stream is the stored page's content.
    with django_capture_on_commit_callbacks(execute=True):
        sheet = badge_batch_start(conference, actor=staff, delegation=delegation, layout="sheet")
    imposed = batch_pdf(sheet)
    with pikepdf.open(io.BytesIO(imposed)) as pdf:
        assert len(pdf.pages) == 2
        assert [round(float(v) / MM) for v in pdf.pages[0].mediabox] == [0, 0, 210, 297]
        forms, placements = [], []
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if operator == pikepdf.Operator("cm"):
                    placements.append(tuple(round(float(v) / MM, 1) for v in operands[4:]))
                if operator == pikepdf.Operator("Do"):
                    forms.append(page.Resources.XObject[operands[0]])
            assert b"[3 3] 0 d" in content_bytes(page)  # the dashed cut lines
        assert [form.read_bytes() for form in forms] == expected
        assert all(form.Subtype == "/Form" for form in forms)
        # Unscaled, at the cells' lower-left corners (mm): top row, then bottom row; then the next sheet.
        assert placements == [(0.0, 148.5), (105.0, 148.5), (0.0, 0.5), (105.0, 0.5), (0.0, 148.5)]
    sheet_texts = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(imposed)).pages]
    assert all(name in sheet_texts[0] for name in names[:4]) and names[4] in sheet_texts[1]


def test_badge_batch_renders_only_missing_and_stale_pages(django_capture_on_commit_callbacks):
    staff = StaffFactory()
    conference = ConferenceFactory()
    fresh, stale, missing = (approved_with_badge(conference=conference, last_name=name) for name in "ABC")
    badge_prerender(fresh)
    badge_prerender(stale)
    before = {page.badge.participant_id: page for page in BadgePage.objects.select_related("badge")}
    stale.badge_name = "Changed Name"
    stale.save()

    with django_capture_on_commit_callbacks(execute=True):
        batch = badge_batch_start(conference, actor=staff)

    texts = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(batch_pdf(batch))).pages]
    assert len(texts) == 3 and "Changed Name" in texts[1]
    after = {page.badge.participant_id: page for page in BadgePage.objects.select_related("badge")}
    assert after[fresh.pk].pdf.name == before[fresh.pk].pdf.name  # reused
    assert after[stale.pk].pdf.name != before[stale.pk].pdf.name  # rendered again
    assert missing.pk in after
    batch.refresh_from_db()
    assert (batch.chunks, batch.chunks_done, batch.done, batch.total) == (1, 1, 3, 3)
    assert [part["rendered"] for part in batch.parts] == [2]


def test_batch_file_write_in_a_child_process_and_its_failure(settings, tmp_path):
    """Over ``ACCORD_BADGE_MERGE_IN_PROCESS`` pages the merge runs in a child process: the same pages; a child
    that fails (a page file gone) raises with qpdf's reason, and nothing is left to pass for the batch's file."""
    settings.ACCORD_BADGE_MERGE_IN_PROCESS = 2
    conference = ConferenceFactory()
    people = [approved_with_badge(conference=conference, badge_name=f"Person {i}") for i in range(3)]
    pages = [BadgePage.objects.get(badge=badge_prerender(person)) for person in people]
    paths = [page.pdf.path for page in pages]

    out = tmp_path / "merged.pdf"
    assert batch_file_write(paths[:2], str(out)) == "process"
    assert batch_file_write(paths, str(out)) == "child"
    with pikepdf.open(out) as pdf:
        assert [content_bytes(page) for page in pdf.pages] == [stored_content(page) for page in pages]
    assert batch_file_write(paths, str(tmp_path / "sheet.pdf"), layout="sheet") == "child"
    with pikepdf.open(tmp_path / "sheet.pdf") as pdf:
        assert len(pdf.pages) == 1 and len(pdf.pages[0].Resources.XObject) == 3

    gone = tmp_path / "failed.pdf"
    with pytest.raises(RuntimeError, match=r"merging 3 badges failed: .*missing\.pdf"):
        batch_file_write([*paths[:2], str(tmp_path / "missing.pdf")], str(gone))
    assert not gone.exists() or gone.stat().st_size == 0


def test_worker_process_init_warms_the_badge_renderer_up(settings, caplog):
    """A new Celery pool process lays out one sample badge a format (connected to worker_process_init); off by
    setting, nothing is rendered."""
    from celery.signals import worker_process_init

    from onsite.receivers import on_worker_process_init

    settings.ACCORD_PDF_WARMUP = True
    with caplog.at_level("INFO", logger="onsite.receivers"):
        answers = worker_process_init.send(sender=None)
    assert (on_worker_process_init, True) in answers
    assert "badge renderer warmed up: 2 sample pages" in caplog.text
    settings.ACCORD_PDF_WARMUP = False
    assert on_worker_process_init() is False
