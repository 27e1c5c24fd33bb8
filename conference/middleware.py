"""Request middleware: the participant's saved language, and two-factor authentication for staff."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation


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
            language = (
                user.participations.order_by("-created_at").values_list("preferred_language", flat=True).first()
            )
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
