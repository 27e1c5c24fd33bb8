"""The API's secrets: device tokens, enrollment codes and integration tokens.

A token is ``<kind>_<43 characters of base64url>``: 32 random bytes. Only its SHA-256 is stored, with its first
``PREFIX_LENGTH`` characters in clear to find the row (the prefix is not secret: it is shown in the admin); the
stored digest is compared in constant time. SHA-256 suffices (no slow hash): the secret is random, not a password.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

#: Characters of a token kept in clear (the kind, the underscore and 8 random characters): finds the row.
PREFIX_LENGTH = 12
RANDOM_BYTES = 32


@dataclass(frozen=True)
class NewToken:
    """A freshly made token: ``token`` is shown once, ``prefix`` and ``digest`` are stored."""

    token: str
    prefix: str
    digest: str


def hash_token(token: str) -> str:
    """The hex SHA-256 of ``token``: what the database keeps."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_prefix(token: str) -> str:
    return token[:PREFIX_LENGTH]


def new_token(kind: str) -> NewToken:
    """A new random token of ``kind`` (3 lowercase letters, e.g. ``dev``, ``enr``, ``int``)."""
    if len(kind) != 3 or not kind.isalpha() or not kind.islower():
        raise ValueError("kind must be 3 lowercase letters")
    token = f"{kind}_{secrets.token_urlsafe(RANDOM_BYTES)}"
    return NewToken(token=token, prefix=token_prefix(token), digest=hash_token(token))


def token_matches(token: str, digest: str) -> bool:
    """Whether ``token`` hashes to the stored ``digest`` (constant-time comparison)."""
    return hmac.compare_digest(hash_token(token), digest)


def looks_like(token: str, kind: str) -> bool:
    """A cheap shape check before any query: the kind, and a length no random token exceeds."""
    return token.startswith(f"{kind}_") and PREFIX_LENGTH < len(token) <= 80


def bearer_token(request) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
