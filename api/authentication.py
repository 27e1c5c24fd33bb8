"""Bearer-token authentication for the API (``Authorization: Bearer <token>``).

``BearerTokenAuthentication`` finds the row by the token's clear prefix, compares the digest in constant time and
refuses a revoked or expired token with the one ``unauthorized`` answer (401, ``api/errors.py``). Subclasses name
their ``model`` (a ``HashedToken``), their token ``kind`` and what ``request.user`` becomes. The last use is saved at
most once a minute per token (one UPDATE, no read).
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from .tokens import bearer_token, looks_like, token_matches, token_prefix

LAST_USE_EVERY = datetime.timedelta(minutes=1)


class BearerTokenAuthentication(BaseAuthentication):
    model = None  #: a concrete ``api.models.HashedToken``
    kind = ""  #: the token kind (``api.tokens.new_token``)
    select_related: tuple[str, ...] = ()

    def authenticate(self, request):
        token = bearer_token(request)
        if token is None or not looks_like(token, self.kind):
            return None  # not ours: another class may know it, else the permission answers 401
        row = self.model.objects.select_related(*self.select_related).filter(prefix=token_prefix(token)).first()
        if row is None or not token_matches(token, row.digest) or not self.is_active(row):
            raise exceptions.AuthenticationFailed()
        self.touch(row)
        return (self.user_for(row), row)

    def is_active(self, row) -> bool:
        return row.is_active

    def user_for(self, row):
        return AnonymousUser()

    def touch(self, row) -> None:
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at >= LAST_USE_EVERY:
            type(row).objects.filter(pk=row.pk).update(last_used_at=now)
            row.last_used_at = now

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class DeviceTokenAuthentication(BearerTokenAuthentication):
    """A check-in device's token (``dev_…``): ``request.user`` is the device's own account, ``request.auth`` the
    ``DeviceToken`` with its device and conference."""

    kind = "dev"
    select_related = ("device__conference", "device__user")

    @property
    def model(self):
        from .models import DeviceToken

        return DeviceToken

    def user_for(self, row):
        return row.device.user
