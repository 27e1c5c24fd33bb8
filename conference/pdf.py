"""The one place that turns HTML into PDF (WeasyPrint), shared by badges, the agenda and letters.

* **Safe URL fetcher**: a document may load only files that live under our own static directories
  (``settings.STATICFILES_DIRS``), resolved by path, and ``data:`` images (PNG, JPEG, SVG) that our code
  generates (QR codes, re-encoded photos). Everything else -- ``http(s)://``, ``file://`` outside the static
  directories, other ``data:`` types, ``ftp:`` ... -- raises, so WeasyPrint fetches nothing (``@import``,
  ``<link rel=attachment>``, ``<img src=file:///etc/passwd>``, ``url(http://127.0.0.1/)`` alike). Embedded file
  attachments are dropped as well.
* **Fonts ship with the project** (``static/fonts/``, OFL): ``static/pdf/fonts.css`` declares them and is part of
  every render; one module-level :class:`~weasyprint.text.fonts.FontConfiguration` is shared by all renders in
  the process, which keeps memory flat and saves loading the fonts again.
* **HarfBuzz subsetting**: without the system library ``libharfbuzz-subset.so.0`` WeasyPrint silently falls
  back to fontTools, about 5x slower. The first render (and the system check in ``conference/checks.py``) fails
  loudly instead.

The renderers are pure: HTML in, bytes (or a :class:`weasyprint.Document`) out, no database access.
"""

from __future__ import annotations

import atexit
import base64
import binascii
import ctypes
import ctypes.util
import logging
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

HARFBUZZ_SUBSET_SONAME = "libharfbuzz-subset.so.0"
HARFBUZZ_SUBSET_MESSAGE = (
    "PDF rendering needs the system library libharfbuzz-subset.so.0 (Debian/Ubuntu package "
    "'libharfbuzz-subset0': apt-get install libharfbuzz-subset0); without it WeasyPrint silently renders "
    "about 5x slower."
)
#: ``data:`` URLs a document may contain: images our own code generates.
ALLOWED_DATA_TYPES = frozenset({"image/png", "image/jpeg", "image/svg+xml"})
#: Stylesheet included in every render (relative to the static directory).
FONTS_CSS = "pdf/fonts.css"
MINIMAL_UA_CSS = "pdf/ua-minimal.css"

_lock = threading.Lock()
_font_config = None
_css_cache: dict[tuple[str, float], object] = {}
_harfbuzz_checked = False


class UnsafeURLError(ValueError):
    """A document asked for a resource outside our static files: refused, nothing fetched."""


def harfbuzz_subset_available() -> bool:
    """Whether the HarfBuzz subsetter can be loaded (what WeasyPrint needs for its fast path)."""
    candidates = [HARFBUZZ_SUBSET_SONAME]
    found = ctypes.util.find_library("harfbuzz-subset")
    if found:
        candidates.insert(0, found)
    for name in candidates:
        try:
            ctypes.CDLL(name)
        except OSError:
            continue
        return True
    return False


def ensure_harfbuzz_subset() -> None:
    """Raise :class:`ImproperlyConfigured` naming the package when the subsetter is missing."""
    global _harfbuzz_checked
    if _harfbuzz_checked:
        return
    if not harfbuzz_subset_available():
        raise ImproperlyConfigured(HARFBUZZ_SUBSET_MESSAGE)
    _harfbuzz_checked = True


def static_roots() -> list[Path]:
    """Our own static directories, resolved: the only places a PDF may load files from."""
    return [Path(directory).resolve() for directory in settings.STATICFILES_DIRS]


def static_path(relative: str) -> Path:
    """The file ``relative`` (e.g. ``pdf/badge.css``) inside our static directories, or raise."""
    for root in static_roots():
        candidate = (root / relative).resolve()
        if candidate.is_file() and candidate.is_relative_to(root):
            return candidate
    raise UnsafeURLError(f"not one of our static files: {relative}")


def base_url() -> str:
    """Relative URLs in templates (``fonts/...``, ``flags/eg.png``) resolve against the first static dir."""
    return static_roots()[0].as_uri() + "/"


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeURLFetcher(URLFetcher):
        """Fetch only our static files and our own ``data:`` images; refuse everything else.

        Built on WeasyPrint 70's ``URLFetcher`` (``weasyprint.urls.fetch`` reads its ``_fail_on_errors``);
        ``fetch`` is replaced completely, so no urllib handler (HTTP, FTP, file) is ever used.
        ``requested`` and ``refused`` list the URLs asked for, for tests and logs.
        """

        def __init__(self):
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=False)
            self.requested: list[str] = []
            self.refused: list[str] = []

        def _refuse(self, url: str, why: str):
            self.refused.append(url)
            logger.warning("PDF renderer refused to fetch %.200s (%s)", url, why)
            raise UnsafeURLError(f"refused to fetch {url[:200]}: {why}")

        def fetch(self, url, headers=None):
            self.requested.append(url)
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme == "data":
                return self._fetch_data(url)
            if scheme == "file":
                return self._fetch_file(url)
            return self._refuse(url, "only our static files may be loaded")

        def _fetch_data(self, url: str):
            header, sep, payload = url[5:].partition(",")
            if not sep:
                return self._refuse(url, "malformed data URL")
            parts = [part.strip().lower() for part in header.split(";")]
            mime_type = parts[0]
            if mime_type not in ALLOWED_DATA_TYPES:
                return self._refuse(url, f"data URL of type {mime_type or 'text/plain'}")
            try:
                body = base64.b64decode(payload, validate=True) if "base64" in parts[1:] else unquote_to_bytes(payload)
            except (binascii.Error, ValueError):
                return self._refuse(url, "malformed data URL")
            return URLFetcherResponse("data:", body=body, headers={"Content-Type": mime_type})

        def _fetch_file(self, url: str):
            parts = urlsplit(url)
            if parts.netloc not in ("", "localhost"):
                return self._refuse(url, "file URL on another host")
            try:
                path = Path(url2pathname(unquote(parts.path))).resolve()
            except (OSError, ValueError):
                return self._refuse(url, "bad path")
            if not any(path.is_relative_to(root) for root in static_roots()) or not path.is_file():
                return self._refuse(url, "outside our static directories")
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            headers = {"Content-Type": mime_type}
            if mime_type == "text/css":
                headers["Content-Type"] = "text/css; charset=utf-8"
            return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers=headers)

    return SafeURLFetcher


_fetcher_cls = None


def url_fetcher():
    """A new safe fetcher (cheap). Its ``requested`` / ``refused`` lists show what a render asked for."""
    global _fetcher_cls
    if _fetcher_cls is None:
        _fetcher_cls = _fetcher_class()
    return _fetcher_cls()


def font_config():
    """The process-wide shared :class:`FontConfiguration` (created on first use, after the HarfBuzz check)."""
    global _font_config
    ensure_harfbuzz_subset()
    if _font_config is None:
        with _lock:
            if _font_config is None:
                from weasyprint.text.fonts import FontConfiguration

                _font_config = FontConfiguration()
                atexit.register(_drop_font_config)
    return _font_config


def _drop_font_config() -> None:
    """Free the shared configuration while its C libraries are still loaded (not at interpreter teardown)."""
    global _font_config
    _css_cache.clear()
    _font_config = None


def stylesheet(relative: str):
    """A parsed :class:`weasyprint.CSS` for one of our static stylesheets, cached by path and mtime."""
    from weasyprint import CSS

    path = static_path(relative)
    key = (str(path), path.stat().st_mtime)
    css = _css_cache.get(key)
    if css is None:
        css = CSS(
            string=path.read_text(encoding="utf-8"),
            base_url=path.as_uri(),
            url_fetcher=url_fetcher(),
            font_config=font_config(),
        )
        _css_cache[key] = css
    return css


def _html_class(minimal_ua: bool):
    from weasyprint import HTML

    if not minimal_ua:
        return HTML
    global _minimal_html_cls
    if _minimal_html_cls is None:

        class MinimalUAHTML(HTML):
            """HTML with our small user-agent stylesheet (``static/pdf/ua-minimal.css``): faster cascades."""

            def _ua_stylesheets(self, forms=False):
                return [stylesheet(MINIMAL_UA_CSS)]

        _minimal_html_cls = MinimalUAHTML
    return _minimal_html_cls


_minimal_html_cls = None


def render_document(
    html: str, *, stylesheets: list[str] | None = None, fetcher=None, minimal_ua: bool = False
):
    """Lay out ``html`` into a :class:`weasyprint.Document` (pages can be merged into a batch).

    ``stylesheets`` are paths inside our static directories (e.g. ``"pdf/badge.css"``); ``static/pdf/fonts.css``
    always comes first. ``fetcher`` is a :func:`url_fetcher` (a new one when omitted). ``minimal_ua`` replaces
    WeasyPrint's HTML5 user-agent stylesheet with ``static/pdf/ua-minimal.css`` (about 25% faster for markup
    we fully control, such as badges; it styles only div/p/img/span-like elements).
    """
    config = font_config()
    sheets = [stylesheet(FONTS_CSS)] + [stylesheet(name) for name in (stylesheets or []) if name != FONTS_CSS]
    document = _html_class(minimal_ua)(string=html, base_url=base_url(), url_fetcher=fetcher or url_fetcher()).render(
        stylesheets=sheets, font_config=config
    )
    # Never embed files in our PDFs, whatever the markup says.
    document.metadata.attachments = []
    return document


def write_pdf(document) -> bytes:
    """Serialize a rendered document (no attachments, ever)."""
    return document.write_pdf(attachments=None)


def render_pdf(html: str, *, stylesheets: list[str] | None = None, fetcher=None) -> bytes:
    """HTML to PDF bytes with our fonts and the safe fetcher. See :func:`render_document`."""
    return write_pdf(render_document(html, stylesheets=stylesheets, fetcher=fetcher))
