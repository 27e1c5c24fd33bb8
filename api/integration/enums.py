"""Choices of the integration API: what a token may read."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IntegrationScope(models.TextChoices):
    """One list of the conference each: a token reads only the lists its scopes name."""

    PARTICIPANTS = "participants", _("Participants")
    DELEGATIONS = "delegations", _("Delegations")
    SESSIONS = "sessions", _("Sessions")
    CHECKINS = "checkins", _("Check-ins")
