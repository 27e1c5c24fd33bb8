"""Request middleware: the participant's saved language, and two-factor authentication for staff."""

from __future__ import annotations

import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

#: The saved language is kept on the session for this long (seconds) before it is looked up again, so that a
#: change made elsewhere (the admin, another device) still applies soon.
SAVED_LANGUAGE_SECONDS = 300
SESSION_LANGUAGE_KEY = "accord_lang"


def remember_saved_language(request, user) -> str:
    """Look the user's saved preferred language up ("" for none) and keep it on the session."""
    language = user.participations.order_by("-created_at").values_list("preferred_language", flat=True).first() or ""
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_LANGUAGE_KEY] = [user.pk, language, int(time.time()) + SAVED_LANGUAGE_SECONDS]
    return language


def _saved_language(request, user) -> str:
    """The user's saved preferred language ("" for none): looked up at login (``user_logged_in``), then again
    every ``SAVED_LANGUAGE_SECONDS`` rather than on every request."""
    session = getattr(request, "session", None)
    if session is not None:
        cached = session.get(SESSION_LANGUAGE_KEY)
        if isinstance(cached, list) and len(cached) == 3 and cached[0] == user.pk and cached[2] > time.time():
            return cached[1]
    return remember_saved_language(request, user)


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    if request is not None:
        remember_saved_language(request, user)


def forget_saved_language(request) -> None:
    """Look the saved language up again on the next request (after the participant changed it)."""
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(SESSION_LANGUAGE_KEY, None)


class PreferredLanguageMiddleware:
    """Once logged in, a participant's saved preferred language applies unless they chose one with the switcher.

    The switcher sets the language cookie; the cookie always wins so that a choice made on the page sticks.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            language = _saved_language(request, user)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """Outside DEBUG, organizers and on-site staff must have TOTP set up before using staff pages."""

    EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.ACCORD_REQUIRE_STAFF_MFA:
            user = getattr(request, "user", None)
            if (
                user is not None
                and user.is_authenticated
                and user.is_staff
                and not request.path.startswith(self.EXEMPT_PREFIXES)
            ):
                from allauth.mfa.utils import is_mfa_enabled

                if not is_mfa_enabled(user, ["totp"]):
                    return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
