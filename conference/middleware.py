"""Request middleware: the participant's saved language, and two-factor authentication for staff."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

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


class ConferenceTimeZoneMiddleware:
    """Every date and time of a request is shown and entered in the current conference's time zone.

    Times are stored in UTC (``USE_TZ``); with the conference's zone active, templates, the admin's forms and
    changelists and Django's form fields convert to and from it (an organizer's 23:59 in Cairo is stored as
    20:59 UTC and shown back as 23:59). The current conference comes from the shared cache, so no query while
    it is unchanged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    #: Answered without the conference (and without the database for ``/healthz``).
    SKIPPED_PREFIXES = ("/healthz", "/static/")

    def __call__(self, request):
        from .selectors import current_conference

        conference = None if request.path.startswith(self.SKIPPED_PREFIXES) else current_conference()
        if conference is not None:
            timezone.activate(conference.tz)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def session_passed_mfa(request, user) -> bool:
    """Whether ``user`` passed a second factor (TOTP or a recovery code) in this session.

    allauth records each authentication step on the session: its MFA stage at login and its MFA re-authentication
    both add a record with method ``"mfa"``. A password alone, or Django's ``login()`` (the test client's
    ``force_login``), records none.
    """
    from allauth.account.authentication import get_authentication_records

    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def _wants_json(request) -> bool:
    """A fetch caller of a JSON endpoint (the desk's scan API posts JSON), which cannot follow a redirect to a page."""
    accept = request.headers.get("Accept", "")
    return (
        request.content_type == "application/json"
        or accept.split(",", 1)[0].strip().startswith("application/json")
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
    )


class StaffTwoFactorMiddleware:
    """Outside DEBUG, organizers and on-site staff must have passed TOTP in this session before any staff page.

    A staff member without TOTP is sent to set it up. One who has TOTP but whose session did not pass it (a
    password alone, a session from before TOTP was set up) is sent to allauth's MFA re-authentication, and reaches
    nothing else meanwhile, not even the account pages (where TOTP could be switched off with the password); JSON
    callers get 403 with an error instead of a redirect.
    """

    OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/")
    #: Where staff without TOTP may go (to set it up).
    EXEMPT_PREFIXES = ("/accounts/", *OPEN_PREFIXES)
    #: The pages a session that still owes its second factor may open, besides ``OPEN_PREFIXES``.
    VERIFY_PATHS = ("mfa_reauthenticate", "account_logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.ACCORD_REQUIRE_STAFF_MFA:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.is_staff:
                answer = self._two_factor_answer(request, user)
                if answer is not None:
                    return answer
        return self.get_response(request)

    def _two_factor_answer(self, request, user):
        from allauth.mfa.utils import is_mfa_enabled

        if is_mfa_enabled(user, ["totp"]):
            if session_passed_mfa(request, user):
                return None
            if request.path.startswith(self.OPEN_PREFIXES) or request.path in {
                reverse(name) for name in self.VERIFY_PATHS
            }:
                return None
            if _wants_json(request):
                return JsonResponse({"error": _("Log in again.")}, status=403)
            return redirect_to_login(request.get_full_path(), login_url=reverse("mfa_reauthenticate"))
        if request.path.startswith(self.EXEMPT_PREFIXES):
            return None
        if _wants_json(request):
            return JsonResponse({"error": _("Log in again.")}, status=403)
        return redirect(reverse("mfa_activate_totp"))
