"""The invitation link: landing page, account creation and acceptance. Thin: one service call each."""

from __future__ import annotations

from allauth.account.utils import perform_login
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from conference.middleware import forget_saved_language
from conference.models import localized
from conference.selectors import current_conference
from conference.services import AccordError

from ..permissions import registration_open
from ..services.invitations import (
    InvitationRefused,
    invitation_accept,
    invitation_lookup,
    invitation_mark_opened,
    invitation_signup,
)


class InvitationSignupForm(forms.Form):
    """The password, twice; the e-mail is the invited address and cannot be changed."""

    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            candidate = get_user_model()(username=self.email, email=self.email)
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


def _after_accept_url() -> str:
    for name in ("registration:register", "home"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return "/"


def _refused(request: HttpRequest, exc: InvitationRefused) -> HttpResponse:
    response = render(
        request,
        "registration/invitation_refused.html",
        {"message": str(exc), "reason": exc.reason},
        status=exc.status_code,
    )
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_landing(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the invitation; POST creates the account (or accepts for the logged-in invitee)."""
    try:
        invitation = invitation_lookup(token, conference=current_conference())
    except InvitationRefused as exc:
        return _refused(request, exc)
    # The invitee's language unless they picked one with the switcher.
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and not request.user.is_authenticated:
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = invitation.language
    if request.method == "GET":
        invitation_mark_opened(invitation)

    user = request.user
    logged_in_as_invitee = user.is_authenticated and (user.email or "").strip().lower() == invitation.email
    if user.is_authenticated and not logged_in_as_invitee:
        return _refused(request, InvitationRefused("wrong_user"))

    form = None
    error = ""
    account_exists = False
    # Registration closed: the page says so before any account form, and a POST creates and accepts nothing.
    registration_closed = not registration_open(invitation.conference)
    if registration_closed:
        pass  # the notice only
    elif logged_in_as_invitee:
        if request.method == "POST":
            try:
                invitation_accept(invitation, user=user)
            except AccordError as exc:
                if isinstance(exc, InvitationRefused):
                    return _refused(request, exc)
                error = str(exc)
            else:
                forget_saved_language(request)  # the new participation's language applies at once
                return redirect(_after_accept_url())
    else:
        user_model = get_user_model()
        account_exists = user_model.objects.filter(email__iexact=invitation.email).exists()
        if not account_exists:
            form = InvitationSignupForm(request.POST or None, email=invitation.email)
            if request.method == "POST" and form.is_valid():
                try:
                    new_user, _participant = invitation_signup(invitation, password=form.cleaned_data["password1"])
                except InvitationRefused as exc:
                    return _refused(request, exc)
                except AccordError as exc:
                    error = str(exc)
                else:
                    return perform_login(
                        request, new_user, email_verification="none", redirect_url=_after_accept_url(),
                        email=invitation.email,
                    )

    conference = invitation.conference
    language = translation.get_language()
    context = {
        "invitation": invitation,
        "conference": conference,
        "conference_name": localized(conference, "name", language),
        "conference_venue": localized(conference, "venue", language),
        "conference_city": localized(conference, "city", language),
        "delegation_name": invitation.delegation.display_name(language) if invitation.delegation else "",
        "invitee_name": " ".join(p for p in (invitation.first_name, invitation.last_name) if p),
        "form": form,
        "error": error,
        "logged_in_as_invitee": logged_in_as_invitee,
        "account_exists": account_exists,
        "registration_closed": registration_closed,
        "registration_closed_message": InvitationRefused.MESSAGES["registration_closed"],
        "login_url": f"{reverse('account_login')}?next={request.path}",
    }
    status = 400 if error else 403 if registration_closed and request.method == "POST" else 200
    return render(request, "registration/invitation_landing.html", context, status=status)
