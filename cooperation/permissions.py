"""Who may do what in cooperation: one function per rule, checked where the objects are fetched."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from conference.models import Conference, Delegation


def is_organizer(user) -> bool:
    """Organizers are the staff accounts: they see and schedule every meeting."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)


def delegations_acted_for(user, conference: Conference) -> QuerySet[Delegation]:
    """The delegations of ``conference`` for which ``user`` may request and answer meetings: those they are a
    focal point of, or whose head of delegation they are."""
    if not getattr(user, "is_authenticated", False):
        return Delegation.objects.none()
    return (
        Delegation.objects.filter(conference=conference)
        .filter(Q(focal_points=user) | Q(head__user=user))
        .distinct()
        .order_by("code")
    )


def meeting_visibility(user, conference: Conference) -> Q | None:
    """The filter of the meetings ``user`` may see (None: every meeting of the conference, for organizers).

    A meeting and its subject are visible to the two delegations (their focal points, heads and attending
    members) and to the organizers, to nobody else.
    """
    if is_organizer(user):
        return None
    ids = list(delegations_acted_for(user, conference).values_list("pk", flat=True))
    return Q(requesting_id__in=ids) | Q(invited_id__in=ids) | Q(attendees__participant__user=user)
