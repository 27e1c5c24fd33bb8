"""Rate limits per token (DRF throttles in the cache, i.e. Redis): a token's calls are counted under its row,
whatever the address they come from; calls without a token (enrollment) by the client's address.

Rates: ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (``device``, ``integration``, ``enroll``), set by environment
variables in ``conference/settings.py``.
"""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    """Counts per authenticated token row; a subclass sets ``scope`` (and ``model`` to throttle only its kind)."""

    scope = ""
    model = None

    def get_cache_key(self, request, view):
        token = request.auth
        if token is None or (self.model is not None and not isinstance(token, self.model)):
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"{token._meta.label_lower}:{token.pk}"}


class AddressRateThrottle(SimpleRateThrottle):
    """Counts per client address (``REMOTE_ADDR``, or the proxies' count of ``NUM_PROXIES``): calls without a
    token."""

    scope = "enroll"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class DeviceRateThrottle(TokenRateThrottle):
    scope = "device"
