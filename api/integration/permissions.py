"""Who may read what through an integration token, checked on every call where the rows are fetched.

* The token must carry the scope of the list, and its user must still be active.
* An organizer's token (no delegation): its user must be staff and hold the Django permission that shows the
  list in the admin (``SCOPE_PERMISSIONS``); it reads its one conference. There is no finer "manages this
  conference" rule in Accord: every organizer manages every conference, so the token names the one it reads.
* A focal point's token: its user must still be a focal point of the token's delegation; it reads that
  delegation's members and their check-ins, the delegation itself and the public programme.
* Sensitive fields (``privacy.sensitive``): only for an organizer's token whose user holds the class's
  permission (passport data and date of birth: ``logistics.view_traveldocument``; bank details:
  ``privacy.view_bank_details``); never for a focal point's.

Anything outside what the token reads answers 404, like something missing.
"""

from __future__ import annotations

from django.http import Http404
from rest_framework.permissions import BasePermission

from conference.models import Conference
from privacy.sensitive import BANK, PASSPORT, may_see

from .enums import IntegrationScope
from .models import IntegrationToken

SCOPE_PERMISSIONS = {
    IntegrationScope.PARTICIPANTS: "registration.view_participant",
    IntegrationScope.DELEGATIONS: "conference.view_delegation",
    IntegrationScope.SESSIONS: "sessions_app.view_session",
    IntegrationScope.CHECKINS: "onsite.view_checkin",
}


def token_may_read(token: IntegrationToken, scope: str) -> bool:
    """Whether ``token`` may read the list ``scope`` now (one query for a focal point's token; the user's
    permissions, read once a request, for an organizer's)."""
    user = token.user
    if not token.has_scope(scope) or not user.is_active:
        return False
    if token.for_focal_point:
        return token.delegation.focal_points.filter(pk=user.pk).exists()
    return bool(user.is_staff and user.has_perm(SCOPE_PERMISSIONS[scope]))


def token_conference(token: IntegrationToken, code: str) -> Conference:
    """The conference ``code`` if it is the token's, else Http404 (no query: the token's row brought it)."""
    if token.conference.slug != code:
        raise Http404
    return token.conference


def sensitive_classes(token: IntegrationToken) -> frozenset[str]:
    """The classes of sensitive data this token's answers include: none for a focal point's."""
    if token.for_focal_point:
        return frozenset()
    return frozenset(kind for kind in (PASSPORT, BANK) if may_see(token.user, kind))


class ReadsScope(BasePermission):
    """DRF permission of the integration views: an integration token (else 401) that may read the view's
    ``scope`` (else 403)."""

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, IntegrationToken):
            return False
        return token_may_read(token, view.scope)
