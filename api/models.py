"""The API's records: check-in devices, their enrollment codes and tokens.

``HashedToken`` is the one shape of a stored secret (``api/tokens.py``): the clear prefix that finds the row, the
SHA-256 digest, the last use, the expiry and the revocation; the integration tokens share it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HashedToken(models.Model):
    """A bearer secret kept as its digest: shown once when made, never again."""

    prefix = models.CharField(_("prefix"), max_length=16, unique=True, help_text=_("The token's first characters, to recognise it"))
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


# The integration tokens (api/integration/models.py), a HashedToken too: imported here for Django to find them.
from .integration.models import IntegrationToken  # noqa: E402,F401
