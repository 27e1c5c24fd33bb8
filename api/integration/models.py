"""Integration tokens: a user account's read-only access to one conference's lists through the API.

An organizer's token (no delegation) reads the conference; a focal point's token reads its one delegation. The
token acts as its user, checked on every call: what the user may no longer see (staff status or a permission
withdrawn, no longer a focal point of the delegation, account deactivated), the token no longer reads either.
Stored as ``api.models.HashedToken``: the clear prefix and the SHA-256 digest, never the token.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from conference.models import Conference, Delegation

from ..models import HashedToken
from .enums import IntegrationScope


def default_scopes() -> list[str]:
    return [str(scope) for scope in IntegrationScope.values]


class IntegrationToken(HashedToken):
    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="integration_tokens"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE,
        related_name="integration_tokens",
    )
    # A focal point's token: the one delegation it reads. Empty for an organizer's token.
    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="integration_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(_("scopes"), default=default_scopes)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("integration token")
        verbose_name_plural = _("integration tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def for_focal_point(self) -> bool:
        return self.delegation_id is not None

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])
