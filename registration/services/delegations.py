"""Writes of delegations (a core record of ``conference``, administered with its members here): the admin's
delegation form and delete call these, so the checks and the audit entry are the same for every caller."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conference.models import Delegation
from conference.services import AccordError, audit_record, field_changes

from ..models import Participant

#: What a delegation's audit entry compares (its focal points are recorded apart, as account ids).
DELEGATION_AUDITED_FIELDS = (
    "conference_id", "code", "kind", "country", "organization", "organization_fr", "organization_ar", "head_id",
    "seat_quota", "category_quotas", "nominable_categories", "nomination_letter", "notes",
)


def delegation_problems(delegation: Delegation) -> list[tuple[str | None, str]]:
    """``(field, message)`` for what is wrong with ``delegation``'s head and quotas (the model's ``clean`` checks
    the rest). The admin form shows them by field; :func:`delegation_save` refuses with them."""
    problems: list[tuple[str | None, str]] = []
    if delegation.head_id is not None:
        head_delegation = Participant.objects.filter(pk=delegation.head_id).values_list("delegation_id", flat=True).first()
        if delegation.pk is None or head_delegation != delegation.pk:
            problems.append(("head", _("The head of delegation must be a member of this delegation.")))
    if delegation.seat_quota is not None and delegation.seat_quota < 0:
        problems.append(("seat_quota", _("The seat quota cannot be negative.")))
    quotas = delegation.category_quotas or {}
    if not isinstance(quotas, dict) or any(not isinstance(value, int) or value < 0 for value in quotas.values()):
        problems.append(
            ("category_quotas", _('Give whole, non-negative numbers, for example {"delegate": 3}.'))
        )
    return problems


def delegation_save(delegation: Delegation, *, actor, focal_points=None) -> Delegation:
    """Create or change a delegation and, when given, set its focal points (user accounts).

    Refused (``AccordError``, nothing saved) when the model's checks or :func:`delegation_problems` fail. Audit
    entry ``delegation.created`` / ``delegation.changed`` with the changed fields (old and new) and the focal
    points added and removed.
    """
    with transaction.atomic():
        before = None
        if delegation.pk:
            before = (
                Delegation.objects.select_for_update().filter(pk=delegation.pk).order_by()
                .values(*DELEGATION_AUDITED_FIELDS).first()
            )
        problems = [message for _field, message in delegation_problems(delegation)]
        if problems:
            raise AccordError(" ".join(problems))
        try:
            delegation.full_clean(exclude=["focal_points"])
        except ValidationError as error:
            raise AccordError(" ".join(error.messages)) from error
        delegation.save()
        changes = field_changes(before, delegation, DELEGATION_AUDITED_FIELDS) if before else {"code": delegation.code}
        if focal_points is not None:
            old_ids = set(delegation.focal_points.values_list("pk", flat=True)) if before else set()
            new_ids = {user.pk for user in focal_points}
            if new_ids != old_ids:
                delegation.focal_points.set(list(focal_points))
                changes["focal_points"] = {"added": sorted(new_ids - old_ids), "removed": sorted(old_ids - new_ids)}
        if changes:  # a save that changed nothing is no write to record
            audit_record(
                actor=actor, action="delegation.changed" if before else "delegation.created", target=delegation,
                conference=delegation.conference, changes=changes,
            )
    return delegation


def delegation_delete(delegation: Delegation, *, actor) -> None:
    """Delete a delegation without members (its invitations go with it); refused (``AccordError``, nothing
    deleted) while participants belong to it. Audit entry ``delegation.deleted``."""
    with transaction.atomic():
        locked = (
            Delegation.objects.select_for_update().select_related("conference").filter(pk=delegation.pk)
            .order_by().first()
        )
        if locked is None:
            return
        members = Participant.objects.filter(delegation=locked).count()
        if members:
            raise AccordError(
                ngettext(
                    "%(delegation)s cannot be deleted: %(count)d participant belongs to it.",
                    "%(delegation)s cannot be deleted: %(count)d participants belong to it.",
                    members,
                )
                % {"delegation": locked.display_name(), "count": members}
            )
        audit_record(actor=actor, action="delegation.deleted", target=locked, conference=locked.conference,
                     changes={"code": locked.code})
        locked.delete()
