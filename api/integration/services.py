"""Writes of the integration tokens: made (the token shown once) and revoked, each with its audit entry.

The audit entries name the token by its row and prefix, never the secret.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.models import Conference, Delegation
from conference.services import AccordError, audit_record

from ..tokens import new_token
from .enums import IntegrationScope
from .models import IntegrationToken

#: Token kind of ``api.tokens.new_token``: ``int_…``.
TOKEN_KIND = "int"
#: The expiry given when none is asked for, and the longest one allowed.
DEFAULT_LIFETIME = datetime.timedelta(days=90)
MAX_LIFETIME = datetime.timedelta(days=366)


@dataclass(frozen=True)
class CreatedToken:
    """The stored row, and the token itself: shown once to the organizer who made it, never kept."""

    row: IntegrationToken
    token: str


def integration_token_create(
    *,
    conference: Conference,
    user,
    name: str,
    scopes: list[str],
    delegation: Delegation | None = None,
    expires_at: datetime.datetime | None = None,
    actor,
) -> CreatedToken:
    """Make a token for ``user``: an organizer's (active staff; ``delegation`` None) or a focal point's
    (``delegation`` of ``conference`` whose focal points include ``user``). Refused (``AccordError``) otherwise, for
    an empty or unknown scope, or an expiry in the past or more than a year away. Audited."""
    now = timezone.now()
    scopes = sorted({str(scope) for scope in scopes})
    if not scopes or any(scope not in IntegrationScope.values for scope in scopes):
        raise AccordError(_("Choose at least one of the scopes offered."))
    if not getattr(user, "is_active", False):
        raise AccordError(_("The account is deactivated."))
    if delegation is None:
        if not user.is_staff:
            raise AccordError(
                _("An organizer's token needs a staff account; for a focal point, choose its delegation.")
            )
    else:
        if delegation.conference_id != conference.pk:
            raise AccordError(_("The delegation belongs to another conference."))
        if not delegation.focal_points.filter(pk=user.pk).exists():
            raise AccordError(_("The account is not a focal point of this delegation."))
    if expires_at is None:
        expires_at = now + DEFAULT_LIFETIME
    if expires_at <= now:
        raise AccordError(_("The expiry must be in the future."))
    if expires_at > now + MAX_LIFETIME:
        raise AccordError(_("A token lasts at most a year."))
    secret = new_token(TOKEN_KIND)
    with transaction.atomic():
        row = IntegrationToken.objects.create(
            conference=conference, user=user, delegation=delegation, name=name.strip(), scopes=scopes,
            prefix=secret.prefix, digest=secret.digest, expires_at=expires_at, created_by=actor,
        )
        audit_record(
            actor=actor, action="integration_token.create", target=row, conference=conference,
            changes={
                "user": [None, user.get_username()],
                "delegation": [None, delegation.code if delegation else None],
                "scopes": [None, scopes],
                "expires_at": [None, expires_at.isoformat()],
                "prefix": [None, row.prefix],
            },
        )
    return CreatedToken(row=row, token=secret.token)


def integration_token_revoke(token: IntegrationToken, *, actor) -> bool:
    """Revoke ``token`` at once (its next call answers 401). Returns False when it was revoked already (nothing
    written). Audited."""
    with transaction.atomic():
        row = IntegrationToken.objects.select_for_update().get(pk=token.pk)
        if row.revoked_at is not None:
            token.revoked_at = row.revoked_at
            return False
        row.revoked_at = timezone.now()
        row.revoked_by = actor if getattr(actor, "pk", None) else None
        row.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor, action="integration_token.revoke", target=row, conference=row.conference,
            changes={"revoked_at": [None, row.revoked_at.isoformat()]},
        )
    token.revoked_at, token.revoked_by = row.revoked_at, row.revoked_by
    return True
