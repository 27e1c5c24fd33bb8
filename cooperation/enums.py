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


class ContactStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("contact exchange status", "Waiting for confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("contact exchange status", "Exchanged")
    DECLINED = "declined", pgettext_lazy("contact exchange status", "Declined")


class FollowUpKind(models.TextChoices):
    CONTACT_POINTS = "contact_points", _("Contact points exchanged")
    MLA_REQUEST = "mla_request", _("Mutual legal assistance request to follow")
    EXTRADITION_REQUEST = "extradition_request", _("Extradition request to follow")
    JOINT_INVESTIGATION = "joint_investigation", _("Joint investigation")
    INFORMATION_EXCHANGE = "information_exchange", _("Information exchange")
    TRAINING = "training", _("Training")


class FollowUpStatus(models.TextChoices):
    NOT_REPORTED = "not_reported", _("Not reported yet")
    NO_FURTHER_CONTACT = "no_further_contact", _("No further contact")
    IN_PROGRESS = "in_progress", _("In progress")
    REQUEST_SENT = "request_sent", _("Request sent")
    COOPERATION_AGREED = "cooperation_agreed", _("Cooperation agreed")
