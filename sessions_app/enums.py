from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionKind(models.TextChoices):
    OPENING = "opening", _("Opening")
    PLENARY = "plenary", _("Plenary")
    PRESENTATION = "presentation", _("Presentation")
    THEMATIC = "thematic", _("Thematic session")
    PANEL = "panel", _("Panel discussion")
    WORKING_GROUP = "working_group", _("Working group")
    BREAK = "break", _("Break")
    SIDE_EVENT = "side_event", _("Side event")
    CLOSING = "closing", _("Closing")


class RoleKind(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MODERATOR = "moderator", _("Moderator")
    SPEAKER = "speaker", _("Speaker")
    PANELIST = "panelist", _("Panelist")
    RAPPORTEUR = "rapporteur", _("Rapporteur")


class SignupStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waiting list")
