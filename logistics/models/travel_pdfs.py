"""The travel PDFs stored for the logistics team: the arrival and departure manifests and each run's driver
sheet, in one language each. Rendered by a task (``tasks_travel``), like the List of Participants' editions:
``fingerprint`` is the hash of what the file prints, so a request that hashes the same reuses the file. The files
are personal data (names, flights, phones): stored under ``travel-pdfs/``, never served from ``MEDIA_URL``, only
through the views that check the logistics permission."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from conference.enums import LanguageCode
from conference.models import Conference

from .transfers import TransferRun


class TravelPdfKind(models.TextChoices):
    ARRIVALS = "inbound", _("Arrivals manifest")
    DEPARTURES = "outbound", _("Departures manifest")
    DRIVER_SHEET = "driver_sheet", _("Driver sheet")


class TravelPdfStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("document", "Queued")
    DONE = "done", pgettext_lazy("document", "Ready")
    FAILED = "failed", pgettext_lazy("document", "Failed")


def travel_pdf_path(instance: TravelPdf, filename: str) -> str:
    return f"travel-pdfs/{instance.conference_id}/{filename}"


class TravelPdf(models.Model):
    """One rendering of a manifest (``kind`` its direction) or of one run's driver sheet, in one language."""

    conference = models.ForeignKey(Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("document"), max_length=20, choices=TravelPdfKind.choices)
    run = models.ForeignKey(
        TransferRun, verbose_name=_("run"), on_delete=models.CASCADE, null=True, blank=True, related_name="pdfs"
    )
    language = models.CharField(_("language"), max_length=5, choices=LanguageCode.choices)
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=20, choices=TravelPdfStatus.choices,
                              default=TravelPdfStatus.QUEUED)
    file = models.FileField(_("file"), upload_to=travel_pdf_path, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)

    class Meta:
        verbose_name = _("travel PDF")
        verbose_name_plural = _("travel PDFs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["conference", "kind", "language", "fingerprint"])]
        constraints = [
            models.CheckConstraint(condition=~Q(status="done") | ~Q(file=""), name="travel_pdf_done_has_file"),
            models.CheckConstraint(condition=Q(kind="driver_sheet", run__isnull=False)
                                   | (~Q(kind="driver_sheet") & Q(run__isnull=True)), name="travel_pdf_run_iff_sheet"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"
