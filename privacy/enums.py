"""Choices of the privacy app: the kinds of personal data a retention rule names, where a read happened."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RetentionKind(models.TextChoices):
    """What a retention rule and a purge step name. Each field of each model is purged by one kind, or kept."""

    SENSITIVE = "sensitive", _("Sensitive data (passport, date of birth, bank details)")
    PHOTOS = "photos", _("Photos")
    TRAVEL_HOTEL = "travel_hotel", _("Travel and hotel")
    CONTACTS_DIRECTORY = "contacts_directory", _("Contacts and directory")
    REST = "rest", _("Everything else")


#: The order purge steps run in when several are due at once (the most sensitive first).
KIND_ORDER = [
    RetentionKind.SENSITIVE,
    RetentionKind.PHOTOS,
    RetentionKind.TRAVEL_HOTEL,
    RetentionKind.CONTACTS_DIRECTORY,
    RetentionKind.REST,
]


class ReadWhere(models.TextChoices):
    """Where personal data was read."""

    ADMIN = "admin", pgettext_lazy("where data was read", "Administration")
    DESK = "desk", pgettext_lazy("where data was read", "Registration desk")
    EXPORT = "export", pgettext_lazy("where data was read", "Export")
    DOWNLOAD = "download", pgettext_lazy("where data was read", "File download")
    PORTAL = "portal", pgettext_lazy("where data was read", "Focal-point portal")


#: How a read-log entry's ``what`` reads on the participant's page (other values are shown as written).
READ_WHAT_LABELS = {
    "travel_document": _("passport data"),
    "photo": pgettext_lazy("read log", "photo"),
    "visa_letter": _("visa support letter"),
    "travel": _("travel and hotel details"),
    "badge": _("badge (with the photo)"),
    "allowance": _("allowance (DSA) lines"),
    "payment_sheet": _("allowance payment sheet"),
    "bank_details": _("bank details"),
}


class DeletionStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("deletion request", "Pending")
    GRANTED = "granted", pgettext_lazy("deletion request", "Granted")
    REFUSED = "refused", pgettext_lazy("deletion request", "Refused")


class ConsentTopic(models.TextChoices):
    PRIVACY_NOTICE = "privacy_notice", _("Privacy notice")
    DIRECTORY = "directory", _("Listed in the participants' directory")
    PHOTOS = "photos", _("Agrees to be photographed")
    CONTACT_EXCHANGE = "contact_exchange", _("Contact exchange")
