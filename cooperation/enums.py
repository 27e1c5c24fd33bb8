from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BilateralStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", pgettext_lazy("bilateral meeting status", "Cancelled")
    EXPIRED = "expired", pgettext_lazy("bilateral meeting status", "Expired")


#: The statuses of a meeting that still holds (or may still hold) time: the others free their slots.
OPEN_STATUSES = (BilateralStatus.REQUESTED, BilateralStatus.ACCEPTED)


class Side(models.TextChoices):
    """Which delegation of a request must answer next."""

    REQUESTING = "requesting", _("Requesting delegation")
    INVITED = "invited", _("Invited delegation")


class Expertise(models.TextChoices):
    PROSECUTION = "prosecution", _("Prosecution")
    FINANCIAL_INVESTIGATION = "financial_investigation", _("Financial investigation")
    VICTIM_PROTECTION = "victim_protection", _("Victim protection")
    BORDER_MANAGEMENT = "border_management", _("Border management")
    MUTUAL_LEGAL_ASSISTANCE = "mutual_legal_assistance", _("Mutual legal assistance")


class BookingKind(models.TextChoices):
    """What a booking row holds for a meeting's time: a delegation, an attending member or a room."""

    DELEGATION = "delegation", _("delegation")
    PARTICIPANT = "participant", _("participant")
    ROOM = "room", _("room")
