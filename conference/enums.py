from django.db import models
from django.utils.translation import gettext_lazy as _


class LanguageCode(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class DelegationKind(models.TextChoices):
    MEMBER_STATE = "member_state", _("Member state")
    EU_EXPERT = "eu_expert", _("EU expert delegation")
    UN = "un", _("UN / UNODC")
    REGIONAL_BODY = "regional_body", _("Regional or international body")
    OBSERVER = "observer", _("Observer")
    HOST = "host", _("Host / organizer")


class PartnerRole(models.TextChoices):
    HOST = "host", _("Host")
    FUNDER = "funder", _("Funder")
    PARTNER = "partner", _("Partner")


class BadgeFormat(models.TextChoices):
    A6 = "a6", _("A6 portrait")
    CR80 = "cr80", _("CR80 card")


class EmailKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    DECISION_APPROVED = "decision_approved", _("Registration approved")
    DECISION_REJECTED = "decision_rejected", _("Registration not approved")
    DECISION_CANCELLED = "decision_cancelled", _("Registration cancelled")
    VISA_LETTER = "visa_letter", _("Visa support letter")
    WAITLIST_PROMOTION = "waitlist_promotion", _("Promotion from a session waiting list")
