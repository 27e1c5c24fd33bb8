"""Who may see what in the registration pages: one function per rule, checks made where objects are fetched.

Fetch helpers answer 404 for "missing" and "forbidden" alike, so a URL never tells whether another
delegation's object exists.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from conference.models import Conference, Delegation

from .enums import ParticipantStatus
from .form_steps import step_at
from .models import Participant


def focal_delegations(user) -> QuerySet[Delegation]:
    """The delegations this user is a focal point of (none for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return Delegation.objects.none()
    return (
        Delegation.objects.filter(focal_points=user)
        .select_related("conference")
        .order_by("-conference__start_date", "code")
    )


def get_delegation_for(user, code_or_pk, *, conference: Conference | None = None) -> Delegation:
    """The delegation ``code_or_pk`` if ``user`` is one of its focal points, else Http404.

    A code is unique per conference; when the user is a focal point of delegations with the same code in
    several conferences, ``conference`` picks one (default: the most recent).
    """
    queryset = focal_delegations(user)
    if conference is not None:
        queryset = queryset.filter(conference=conference)
    if isinstance(code_or_pk, int):
        queryset = queryset.filter(pk=code_or_pk)
    else:
        queryset = queryset.filter(code=str(code_or_pk))
    delegation = queryset.first()
    if delegation is None:
        raise Http404("No such delegation.")
    return delegation


def get_member_for(user, delegation: Delegation, public_id: str) -> Participant:
    """A member of ``delegation`` (which ``user`` must manage) addressed by its public id, else Http404."""
    if not focal_delegations(user).filter(pk=delegation.pk).exists():
        raise Http404("No such delegation.")
    member = (
        Participant.objects.select_related("conference", "delegation", "user")
        .filter(delegation=delegation, public_id=str(public_id))
        .first()
    )
    if member is None:
        raise Http404("No such participant.")
    return member


def may_download_nomination_letter(user, delegation: Delegation) -> bool:
    """Organizers (staff) and the delegation's own focal points."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    return focal_delegations(user).filter(pk=delegation.pk).exists()


def may_decide(delegation: Delegation) -> bool:
    """Focal points approve or reject only when the conference allows it."""
    return bool(delegation.conference.focal_points_may_approve)



# What a participant may still change -------------------------------------------------------------

# The form's steps are those of form_steps.py; a step marked ``identity`` is frozen once approved.
EDITABLE_STATUSES = {ParticipantStatus.INVITED, ParticipantStatus.SUBMITTED, ParticipantStatus.APPROVED}


def registration_open(conference: Conference) -> bool:
    """Participants may edit until the organizer locks registration or the closing time passes."""
    if conference.registration_locked:
        return False
    if conference.registration_closes_at and timezone.now() >= conference.registration_closes_at:
        return False
    return True


def may_edit_step(participant: Participant, step: int) -> bool:
    """Whether ``participant`` may change the given form step now.

    Invited and submitted participants edit every step. Approved participants may still change their needs,
    travel and consents, but not their identity (names, photo, passport): the badge and the visa letter were
    issued on those, so a change goes through the organizers. Rejected and cancelled participants edit nothing.
    """
    if not registration_open(participant.conference):
        return False
    if participant.status not in EDITABLE_STATUSES:
        return False
    if participant.status == ParticipantStatus.APPROVED:
        form_step = step_at(step)
        if form_step is None or form_step.identity:
            return False
    return True
