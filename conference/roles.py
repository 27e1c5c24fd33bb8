"""Who the signed-in person is, for the header and the navigation: the name to greet them with and whether they
manage a delegation (a focal point gets "My delegation").

Kept on the session for ``ROLES_SECONDS`` (looked up at login, then again when stale), so pages do not query it
on every request; a focal point added or removed meanwhile shows within that time.
"""

from __future__ import annotations

import time

from django.utils.functional import SimpleLazyObject

from .models import Delegation

ROLES_SECONDS = 300
SESSION_ROLES_KEY = "accord_roles"


def user_display(user) -> str:
    """The person's name as registered (their latest participation), else the account's name, else the e-mail;
    never the username allauth generated (``ACCOUNT_USER_DISPLAY``)."""
    participation = (
        user.participations.order_by("-created_at").values("first_name", "last_name").first()
        if getattr(user, "pk", None) else None
    )
    if participation:
        name = " ".join(part for part in (participation["first_name"], participation["last_name"]) if part)
        if name:
            return name
    return user.get_full_name() or user.email or user.get_username()


def remember_roles(request, user) -> dict:
    """Look the person's name and focal-point role up and keep them on the session."""
    roles = {"name": user_display(user), "focal_point": Delegation.objects.filter(focal_points=user).exists()}
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_ROLES_KEY] = [user.pk, roles, int(time.time()) + ROLES_SECONDS]
    return roles


def user_roles(request, user) -> dict:
    session = getattr(request, "session", None)
    if session is not None:
        cached = session.get(SESSION_ROLES_KEY)
        if isinstance(cached, list) and len(cached) == 3 and cached[0] == user.pk and cached[2] > time.time():
            return cached[1]
    return remember_roles(request, user)


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    if request is not None:
        remember_roles(request, user)


def roles(request) -> dict:
    """Context processor: ``accord_user.name`` and ``accord_user.focal_point`` for a signed-in person, read only
    when a template uses them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"accord_user": SimpleLazyObject(lambda: user_roles(request, user))}
