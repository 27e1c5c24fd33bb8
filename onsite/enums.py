from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CheckInResult(models.TextChoices):
    OK = "ok", _("Checked in")
    ALREADY = "already", _("Already checked in")
    INVALID = "invalid", _("Invalid code")
    REVOKED = "revoked", _("Badge revoked")
    NOT_APPROVED = "not_approved", _("Not approved")
    OTHER_CONFERENCE = "other_conference", _("Another conference")


class BatchStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("badge batch status", "Queued")
    RUNNING = "running", _("Rendering")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
