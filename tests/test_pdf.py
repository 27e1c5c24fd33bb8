"""The shared PDF core: safe URL fetcher, shipped fonts, HarfBuzz start-up check."""

from __future__ import annotations

import base64
import ctypes
import ctypes.util
import http.server
import io
import threading

import pypdf
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import engines

from conference import checks as conference_checks
from conference import pdf

MALICIOUS_NAMES = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    "<style>@import url(http://127.0.0.1:9/x.css);</style>",
    '<span style="background: url(http://127.0.0.1:9/y.png)">x</span>',
]


@pytest.fixture
def http_trap():
    """A tiny HTTP server on 127.0.0.1 that counts the requests it receives."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"p { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_attachments(data: bytes) -> dict:
    return dict(pypdf.PdfReader(io.BytesIO(data)).attachments)


def outside_static(fetcher) -> list[str]:
    return [url for url in fetcher.requested if url not in fetcher.refused]


@pytest.mark.parametrize("name", MALICIOUS_NAMES)
def test_render_pdf_escaped_markup_prints_as_text(name):
    template = engines["django"].from_string("<html><body><p>{{ name }}</p></body></html>")
    fetcher = pdf.url_fetcher()

    data = pdf.render_pdf(template.render({"name": name}), fetcher=fetcher)

    assert pdf_text(data).strip() == name
    assert fetcher.requested == []
    assert pdf_attachments(data) == {}


def test_render_pdf_raw_markup_fetches_nothing(http_trap):
    base, hits = http_trap
    html = f"""<html><head>
      <link rel="attachment" href="file:///etc/passwd" title="passwd">
      <link rel="stylesheet" href="{base}/link.css">
      <style>@import url({base}/import.css); body {{ background: url({base}/bg.png) }}</style>
    </head><body>
      <p>Visible</p>
      <img src="file:///etc/passwd"><img src="{base}/img.png"><img src="../../../../etc/hostname">
      <a rel="attachment" href="file:///etc/passwd">a</a>
      <span style="background-image: url({base}/inline.png)">b</span>
      <img src="data:text/html;base64,PGgxPng8L2gxPg==">
    </body></html>"""
    fetcher = pdf.url_fetcher()

    data = pdf.render_pdf(html, fetcher=fetcher)

    assert hits == []
    assert outside_static(fetcher) == []
    assert {f"{base}/link.css", f"{base}/import.css", f"{base}/bg.png", f"{base}/img.png",
            f"{base}/inline.png", "file:///etc/passwd", "file:///etc/hostname"} <= set(fetcher.refused)
    assert pdf_attachments(data) == {}
    assert "Visible" in pdf_text(data)
    assert b"root:" not in data


def test_fetcher_refuses_traversal_out_of_static():
    fetcher = pdf.url_fetcher()
    static_root = pdf.static_roots()[0]
    for url in (
        f"{static_root.as_uri()}/../conference/settings.py",
        f"{static_root.as_uri()}/%2e%2e/conference/settings.py",
        "file://evil.example.org/etc/passwd",
        "ftp://127.0.0.1/x",
        "https://127.0.0.1/x",
        "data:text/css,p{}",
    ):
        with pytest.raises(pdf.UnsafeURLError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 6


def test_fetcher_serves_static_files_and_own_images():
    fetcher = pdf.url_fetcher()
    css = fetcher.fetch(pdf.static_path("pdf/fonts.css").as_uri())
    assert css.content_type == "text/css"
    assert b"@font-face" in css.read()
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()
    image = fetcher.fetch(f"data:image/png;base64,{png}")
    assert image.content_type == "image/png"
    assert image.read() == b"\x89PNG\r\n\x1a\n"
    assert fetcher.refused == []


def test_render_pdf_arabic_extracts_exactly():
    names = ["جبر", "محمد عبد الله", "فاطمة الزهراء"]
    html = "<html><body>" + "".join(f'<p dir="rtl" lang="ar">{n}</p>' for n in names) + "</body></html>"

    data = pdf.render_pdf(html)

    lines = [line.strip() for line in pdf_text(data).splitlines() if line.strip()]
    assert lines == names


def test_render_pdf_embeds_shipped_fonts():
    data = pdf.render_pdf('<html><body><p>Latin</p><p lang="ar" dir="rtl">عربي</p></body></html>')

    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert any(font.endswith("+Accord-Sans") for font in fonts)
    assert any(font.endswith("+Accord-Arabic") for font in fonts)


def test_render_document_merges_pages():
    first = pdf.render_document("<p>One</p>")
    second = pdf.render_document("<p>Two</p>")
    merged = first.copy([*first.pages, *second.pages])

    data = pdf.write_pdf(merged)

    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 2
    assert pdf_text(data).split() == ["One", "Two"]


@pytest.fixture
def no_harfbuzz_subset(monkeypatch):
    """The system library is missing (ctypes cannot find or load it)."""
    real_cdll = ctypes.CDLL

    def cdll(name, *args, **kwargs):
        if "harfbuzz-subset" in str(name):
            raise OSError(f"{name}: cannot open shared object file")
        return real_cdll(name, *args, **kwargs)

    monkeypatch.setattr(ctypes, "CDLL", cdll)
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    monkeypatch.setattr(pdf, "_harfbuzz_checked", False)


def test_system_check_missing_harfbuzz_subset_names_package(no_harfbuzz_subset, settings):
    settings.DEBUG = False
    errors = conference_checks.check_harfbuzz_subset()

    assert [error.id for error in errors] == ["accord.E001"]
    assert "libharfbuzz-subset0" in errors[0].msg


def test_system_check_missing_harfbuzz_subset_warns_in_embedded_mode(no_harfbuzz_subset, settings):
    settings.DEBUG = True
    messages = conference_checks.check_harfbuzz_subset()

    assert [message.id for message in messages] == ["accord.W001"]
    assert "libharfbuzz-subset0" in messages[0].msg


def test_render_pdf_missing_harfbuzz_subset_fails_loudly(no_harfbuzz_subset):
    with pytest.raises(ImproperlyConfigured, match="libharfbuzz-subset0"):
        pdf.render_pdf("<p>x</p>")


def test_system_check_harfbuzz_subset_present():
    assert conference_checks.check_harfbuzz_subset() == []
