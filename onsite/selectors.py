"""Reads for the on-site desk: search, one participant's badge history, batches, arrivals."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from conference import languages
from conference.models import Conference, Delegation
from registration.enums import ParticipantCategory, ParticipantStatus
from registration.models import Participant
from registration.selectors import participants_search
from sessions_app.models import Session

from .models import BadgeBatch, BadgePrint

SEARCH_LIMIT = 50


def desk_search(conference: Conference, query: str) -> QuerySet[Participant]:
    """Participants matching ``query`` by name (Latin or Arabic, accent- and form-insensitive, ranked: exact
    matches first; ``registration.selectors.participants_search``), delegation code/name, country or e-mail."""
    query = (query or "").strip()[:100]
    queryset = Participant.objects.filter(conference=conference).select_related("delegation", "badge", "checked_in_by")
    if not query:
        return queryset.none()
    countries = _country_codes(query)
    return participants_search(
        queryset,
        query,
        # The delegations as a subquery of this conference's own (a few dozen rows), not a join on which the
        # filter runs: the join would read every delegation of every conference of the year (EXPLAIN at 200).
        word_also=lambda word: Q(email__icontains=word) | Q(
            delegation__in=Delegation.objects.filter(conference=conference).filter(
                Q(code__iexact=word)
                | Q(organization__icontains=word)
                | Q(organization_fr__icontains=word)
                | Q(organization_ar__icontains=word)
            ).values("pk")
        ),
        also=Q(delegation__country__in=countries) if countries else None,
    )


def _country_codes(query: str) -> list[str]:
    """ISO codes of countries whose name (in English, French or Arabic) contains ``query``."""
    from django.utils import translation
    from django_countries import countries

    needle = query.casefold()
    codes = set()
    for language in languages.codes():
        with translation.override(language):
            codes.update(code for code, name in countries if needle in str(name).casefold())
    return sorted(codes)


def get_desk_participant(conference: Conference, public_id: str) -> Participant:
    """One participant of ``conference`` for the desk page (404 when unknown or of another conference)."""
    participant = (
        Participant.objects.select_related("conference", "delegation", "badge", "checked_in_by")
        .filter(conference=conference, public_id=public_id)
        .first()
    )
    if participant is None:
        raise Http404
    return participant


def badge_prints(participant: Participant) -> QuerySet[BadgePrint]:
    return BadgePrint.objects.filter(badge__participant=participant).select_related("printed_by").order_by("-printed_at")


def conference_batches(conference: Conference) -> QuerySet[BadgeBatch]:
    return (
        BadgeBatch.objects.filter(conference=conference)
        .select_related("requested_by", "delegation")
        .order_by("-created_at")
    )


def get_batch_for(conference: Conference, batch_id: int) -> BadgeBatch:
    batch = conference_batches(conference).filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    return batch


def arrivals(conference: Conference) -> dict:
    """Checked-in versus approved, by delegation and by category, in two aggregate queries."""
    approved = Q(participants__status=ParticipantStatus.APPROVED)
    arrived = approved & Q(participants__checked_in_at__isnull=False)
    delegations = [
        {"code": d.code, "name": d.display_name(), "approved": d.approved, "checked_in": d.checked_in}
        for d in Delegation.objects.filter(conference=conference)
        .annotate(approved=Count("participants", filter=approved), checked_in=Count("participants", filter=arrived))
        .filter(approved__gt=0)
        .order_by("code")
    ]
    by_category = {
        row["category"]: row
        for row in Participant.objects.filter(conference=conference, status=ParticipantStatus.APPROVED)
        .order_by()
        .values("category")
        .annotate(approved=Count("id"), checked_in=Count("id", filter=Q(checked_in_at__isnull=False)))
    }
    categories = [
        {
            "code": value,
            "name": str(label),
            "approved": by_category.get(value, {}).get("approved", 0),
            "checked_in": by_category.get(value, {}).get("checked_in", 0),
        }
        for value, label in ParticipantCategory.choices
        if value in by_category
    ]
    return {
        "approved": sum(row["approved"] for row in categories),
        "checked_in": sum(row["checked_in"] for row in categories),
        "delegations": delegations,
        "categories": categories,
    }


def door_sessions(conference: Conference):
    """The programme's sessions, for the attendance scan at a room's door."""
    return Session.objects.filter(conference=conference).select_related("room").order_by("starts_at", "pk")
