"""The integration tokens in the privacy registry (``privacy/registry.py``): a record of who may read what,
naming an account, not a participant; the digest is a secret."""

from __future__ import annotations

from privacy.registry import register

from .models import IntegrationToken

register(
    IntegrationToken,
    conference="conference",
    keep={
        ("conference", "user", "delegation", "name", "scopes", "prefix", "created_at", "created_by", "expires_at",
         "last_used_at", "revoked_at", "revoked_by"):
            "an access credential's record: whose token reads what, since and until when, and who revoked it",
        "digest": "the stored hash of the token (never shown): checks the token until it is revoked or expires",
    },
    hidden=["digest"],
)
