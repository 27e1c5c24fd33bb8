"""Writes for the demo: the organizer account that ``make run`` prints."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction


@transaction.atomic
def demo_organizer_ensure(*, email: str, password: str):
    """Create or reset the demo organizer: staff and superuser, with a verified primary e-mail (allauth)."""
    from allauth.account.models import EmailAddress

    User = get_user_model()  # noqa: N806
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(username=email[:150], email=email)
    user.is_staff = True
    user.is_superuser = True
    user.is_active = True
    user.set_password(password)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user
