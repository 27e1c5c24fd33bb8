from django.db import models
from django.utils.translation import gettext_lazy as _


class RoomSharing(models.TextChoices):
    SINGLE = "single", _("Single room")
    SHARED = "shared", _("Willing to share")
