"""Authentication backends that read the logged-in user's row from the shared cache (``conference.caching``).

Django loads the user from the database on every request of a logged-in user; the desk's scan API and the
registration form are the busiest such requests. The row is kept in the cache for ``caching.CACHE_SECONDS`` and
dropped as soon as the user is saved or deleted (password, staff status, active flag), so a changed password
still ends other sessions on their next request and a deactivated account is refused at once.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from . import caching


class CachedUserMixin:
    def get_user(self, user_id):
        return caching.cached(caching.user_key(user_id), lambda: super(CachedUserMixin, self).get_user(user_id))


class ModelBackend(CachedUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(CachedUserMixin, AllauthBackend):
    pass
