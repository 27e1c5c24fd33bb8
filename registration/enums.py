from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ParticipantCategory(models.TextChoices):
    HEAD_OF_DELEGATION = "head", _("Head of delegation")
    DELEGATE = "delegate", _("Delegate")
    EXPERT = "expert", _("Expert")
    SPEAKER = "speaker", _("Speaker")
    UNODC_STAFF = "unodc", _("UNODC staff")
    ORGANIZER = "organizer", _("Organizer")
    INTERPRETER = "interpreter", _("Interpreter")
    MEDIA = "media", _("Media")
    SECURITY = "security", _("Security")
    SUPPORT = "support", _("Support staff")


class ParticipantStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", pgettext_lazy("participant status", "Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", pgettext_lazy("participant status", "Cancelled")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class Title(models.TextChoices):
    MR = "mr", _("Mr.")
    MS = "ms", _("Ms.")
    DR = "dr", _("Dr.")
    PROF = "prof", _("Prof.")
    HE = "he", _("H.E.")
    JUDGE = "judge", _("Judge")
    COUNSELLOR = "counsellor", _("Counsellor")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Sending failed")
    USED = "used", pgettext_lazy("invitation status", "Used")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class RequestKind(models.TextChoices):
    INVITATION = "invitation", _("By invitation")
    NOMINATION = "nomination", _("Nominated by focal point")
    OPEN_REQUEST = "request", _("Open request")
    ORGANIZER = "organizer", _("Added by organizer")
