"""Tasks of the travel logistics: render and store one manifest or driver sheet PDF (queued by
``services_travel.travel_pdf_request``). Thin: an id in, one service call."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="logistics.render_travel_pdf", soft_time_limit=300, time_limit=400)
def render_travel_pdf_task(*, pdf_id: int) -> str:
    """Render and store the travel PDF ``pdf_id`` (nothing to do when it is rendered or gone)."""
    from .models import TravelPdf
    from .services_travel import travel_pdf_render

    pdf = TravelPdf.objects.filter(pk=pdf_id).first()
    if pdf is None:
        return "missing"
    return travel_pdf_render(pdf).status
