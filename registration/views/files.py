"""Serving stored personal files (photos, letters, badge PDFs) through views, never from MEDIA_URL."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def private_file_response(
    file: FieldFile,
    *,
    content_type: str,
    filename: str | None = None,
    cache_control: str | None = "private, no-store",
) -> FileResponse:
    """The stored file as a response (an attachment when ``filename`` is given); 404 when it is missing."""
    if not file:
        raise Http404("No file.")
    try:
        handle = file.open("rb")
    except OSError:  # FileNotFoundError included: the row outlived its file
        raise Http404("No file.") from None
    response = FileResponse(
        handle, content_type=content_type, as_attachment=filename is not None, filename=filename or ""
    )
    if cache_control:
        response["Cache-Control"] = cache_control
    return response
