"""Writes for the core records: every write goes through a function here."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .models import AuditLog, Conference


class AccordError(Exception):
    """The one domain error type: views turn it into a form error or a message."""


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    conference: Conference | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditLog:
    """Append an entry to the audit log (who, when, what changed)."""
    entry = AuditLog(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        conference=conference,
        changes=changes or {},
    )
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target)
        entry.object_id = str(target.pk)
        entry.object_repr = str(target)[:300]
    entry.save()
    return entry


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
