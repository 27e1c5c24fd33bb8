"""Integration tokens authenticate as their user (``Authorization: Bearer int_…``); a deactivated account's
token answers 401 like a revoked one."""

from __future__ import annotations

from rest_framework.settings import api_settings

from ..authentication import BearerTokenAuthentication
from ..throttling import TokenRateThrottle
from .models import IntegrationToken
from .services import TOKEN_KIND


class IntegrationTokenAuthentication(BearerTokenAuthentication):
    model = IntegrationToken
    kind = TOKEN_KIND
    select_related = ("user", "conference", "delegation__conference")

    def is_active(self, row) -> bool:
        return row.is_active and row.user.is_active

    def user_for(self, row):
        return row.user


class IntegrationRateThrottle(TokenRateThrottle):
    """``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["integration"]`` calls per token."""

    scope = "integration"
    model = IntegrationToken

    def get_rate(self):
        # Read at each call (DRF's class attribute keeps the rates of import time): a changed setting applies.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
