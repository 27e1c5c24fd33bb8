"""Reads across relations for the registration pages (select_related / prefetch, constant query counts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Lower, TruncDate
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from conference.models import Conference, Delegation
from conference.selectors import delegations_by_name

from .dashboard import dashboard_extra_charts
from .enums import Gender, ParticipantCategory, ParticipantStatus, RequestKind
from .models import Participant
from .search import SEPARATOR, normalize

# Members that hold a seat: everybody not cancelled or rejected (see seat_holders).
SEAT_FREEING_STATUSES = (ParticipantStatus.CANCELLED, ParticipantStatus.REJECTED)
PENDING_REQUEST = Q(source=RequestKind.OPEN_REQUEST, status=ParticipantStatus.SUBMITTED)


#: Words of a query that count (the rest is ignored), and its longest length.
SEARCH_WORDS = 5
SEARCH_LENGTH = 100


def participants_search(
    queryset: QuerySet[Participant],
    query: str,
    *,
    word_also: Callable[[str], Q] | None = None,
    also: Q | None = None,
    ranked: bool = True,
) -> QuerySet[Participant]:
    """``queryset`` narrowed to the participants whose names hold every word of ``query``, accent- and
    form-insensitive (both sides through ``registration.search.normalize``: "Aicha" finds "Aïcha", "احمد" finds
    "أحمد", "El-Sayed" finds "El Sayed"), where ``word_also(word)`` may match a word otherwise (e-mail,
    delegation) and ``also`` the whole query; ranked: ``search_rank`` 0 when a whole name is the query, 1 when a
    name starts with it, 2 when a word does, 3 otherwise; then (PostgreSQL) trigram similarity, then the name.

    On PostgreSQL ``search_name LIKE '%word%'`` is answered by the trigram index (migration 0018); elsewhere the
    same ``LIKE`` reads the rows. An empty query matches nobody. ``ranked=False``: filtered only, order kept.
    """
    query = (query or "").strip()[:SEARCH_LENGTH]
    whole = normalize(query)
    if not whole and not (word_also and query):
        return queryset.none()
    condition = Q()
    for word in query.split()[:SEARCH_WORDS]:
        normalized = normalize(word)
        matches = Q(search_name__contains=normalized) if normalized else Q(pk__in=[])
        condition &= matches | word_also(word) if word_also else matches
    if also is not None:
        condition |= also
    queryset = queryset.filter(condition)
    if not ranked:
        return queryset
    rank = Case(
        When(search_name__contains=f"{SEPARATOR}{whole}{SEPARATOR}", then=Value(0)),
        When(search_name__contains=f"{SEPARATOR}{whole}", then=Value(1)),
        When(search_name__contains=f" {whole}", then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    ) if whole else Value(3, output_field=IntegerField())
    ordering = ["search_rank", "last_name", "first_name", "pk"]
    queryset = queryset.annotate(search_rank=rank)
    if whole and connections[queryset.db].vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        queryset = queryset.annotate(search_similarity=TrigramSimilarity("search_name", whole))
        ordering.insert(1, "-search_similarity")
    return queryset.order_by(*ordering)


def get_staff_participant(conference: Conference, public_id: str) -> Participant:
    """One participant of ``conference`` for a staff page (404 when unknown or of another conference)."""
    participant = (
        Participant.objects.select_related("conference", "delegation")
        .filter(conference=conference, public_id=public_id)
        .first()
    )
    if participant is None:
        raise Http404
    return participant


def own_participant(user, conference: Conference | None) -> Participant | None:
    """The user's own participation in ``conference``, the same on every page (registration status and steps,
    open requests, my agenda and sign-ups, travel): the one linked to the account, else the one registered under
    one of the account's *verified* allauth e-mail addresses (and not linked to another account). An address that
    is not verified never finds a participant: anybody can add any address to an account. ``None`` for anonymous
    users, no conference, or no participation. One query when linked, two otherwise.
    """
    if conference is None or not getattr(user, "is_authenticated", False):
        return None
    from allauth.account.models import EmailAddress

    participants = Participant.objects.select_related("delegation").filter(conference=conference).order_by("pk")
    # The participation linked to the account first: the common case, one query.
    participant = participants.filter(user=user).first()
    if participant is None:
        # The verified addresses are a subquery (matched lower-cased, as the unique index stores them).
        verified = EmailAddress.objects.filter(user=user, verified=True).annotate(lowered=Lower("email"))
        participant = (
            participants.alias(email_lower=Lower("email"))
            .filter(user__isnull=True, email_lower__in=Subquery(verified.values("lowered")))
            .first()
        )
    if participant is not None:
        participant.conference = conference  # no query when the pages read it
    return participant


def delegation_members(delegation: Delegation) -> QuerySet[Participant]:
    """Every member of the delegation, for the portal list (one query, whatever the number of rows)."""
    return (
        Participant.objects.filter(delegation=delegation)
        .select_related("user")
        .order_by("status", "last_name", "first_name", "pk")
    )


def delegation_open_requests(delegation: Delegation) -> QuerySet[Participant]:
    """Open requests to join the delegation that wait for a decision."""
    return delegation_members(delegation).filter(PENDING_REQUEST)


def seat_holders(delegation: Delegation) -> QuerySet[Participant]:
    """Members holding a seat: not cancelled or rejected, and not an open request still waiting for a decision
    (a stranger's request must not fill the delegation's quota; accepting it checks the quota)."""
    return Participant.objects.filter(delegation=delegation).exclude(
        Q(status__in=SEAT_FREEING_STATUSES) | PENDING_REQUEST
    )


def is_pending_request(participant: Participant) -> bool:
    return participant.source == RequestKind.OPEN_REQUEST and participant.status == ParticipantStatus.SUBMITTED


@dataclass(frozen=True)
class QuotaLine:
    category: str
    label: str
    used: int
    limit: int | None

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)


@dataclass(frozen=True)
class Quota:
    used: int
    limit: int
    lines: list[QuotaLine]

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)


def delegation_quota(delegation: Delegation) -> Quota:
    """Seats used and remaining, overall and per category (one query)."""
    counts = dict(
        seat_holders(delegation).order_by().values_list("category").annotate(n=Count("pk")).values_list(
            "category", "n"
        )
    )
    limits = {key: int(value) for key, value in (delegation.category_quotas or {}).items()}
    lines = []
    for value, label in ParticipantCategory.choices:
        used = counts.get(value, 0)
        limit = limits.get(value)
        if used or limit is not None:
            lines.append(QuotaLine(category=value, label=str(label), used=used, limit=limit))
    return Quota(used=sum(counts.values()), limit=delegation.seat_quota, lines=lines)


def conference_delegations(conference: Conference) -> list[Delegation]:
    """Delegations a person may ask to join, for the open-request form: by their name in the active language."""
    return delegations_by_name(Delegation.objects.filter(conference=conference))


def dashboard_charts(conference: Conference, counts: dict) -> dict:
    """What the dashboard's charts draw, as plain JSON-able data (the page also prints each as a table).

    ``counts`` is :func:`conference_dashboard`'s answer (its delegations, categories and genders are reused).
    Two aggregate queries: registrations per day (in the conference's time zone) and status, and participants
    per delegation and category, and those of the other apps' charts (``extra``, see registration.dashboard).
    Registrations over time are cumulative per status, day by day.
    """
    participants = Participant.objects.filter(conference=conference).order_by()
    per_day = (
        participants.annotate(day=TruncDate("created_at", tzinfo=conference.tz))
        .values("day", "status")
        .annotate(n=Count("id"))
    )
    added: dict[str, dict[str, int]] = {}
    for row in per_day:
        added.setdefault(row["day"].isoformat(), {})[row["status"]] = row["n"]
    days = sorted(added)
    statuses = []
    for value, label in ParticipantStatus.choices:
        running, series = 0, []
        for day in days:
            running += added[day].get(value, 0)
            series.append(running)
        statuses.append({"value": value, "label": str(label), "counts": series})

    cells = {
        (row["delegation_id"], row["category"]): row["n"]
        for row in participants.values("delegation_id", "category").annotate(n=Count("id"))
    }
    categories = [(value, str(label)) for value, label in ParticipantCategory.choices]
    delegation_rows = [(d.pk, d.code) for d in counts["delegations"]]
    if any(pk is None for pk, _category in cells):
        delegation_rows.append((None, str(_("Without delegation"))))
    return {
        "registrations": {
            "days": days,
            "statuses": statuses,
            "rows": [{"day": day, "counts": [s["counts"][i] for s in statuses]} for i, day in enumerate(days)],
        },
        "delegations": {
            "labels": [code for _pk, code in delegation_rows],
            "categories": [
                {"value": value, "label": label, "counts": [cells.get((pk, value), 0) for pk, _code in delegation_rows]}
                for value, label in categories
            ],
            "rows": [
                {"label": code, "counts": [cells.get((pk, value), 0) for value, _label in categories]}
                for pk, code in delegation_rows
            ],
        },
        "genders": [{"value": row["value"], "label": str(row["label"]), "count": row["count"]} for row in counts["genders"]],
        # the other apps' charts (logistics: arrivals by day), through registration.dashboard's extension point
        "extra": dashboard_extra_charts(conference),
    }


def conference_dashboard(conference: Conference) -> dict:
    """Counts for the organizers' dashboard, in a constant number of aggregate queries.

    Returns totals, and rows per delegation, category, status and gender, each with its label.
    """
    participants = Participant.objects.filter(conference=conference)
    active = ~Q(participants__status__in=SEAT_FREEING_STATUSES)
    delegations = list(
        Delegation.objects.filter(conference=conference)
        .annotate(
            total=Count("participants"),
            approved=Count("participants", filter=Q(participants__status=ParticipantStatus.APPROVED)),
            active=Count("participants", filter=active),
            checked_in=Count("participants", filter=Q(participants__checked_in_at__isnull=False)),
        )
        .order_by("kind", "code")
    )
    totals = participants.aggregate(
        total=Count("id"),
        approved=Count("id", filter=Q(status=ParticipantStatus.APPROVED)),
        checked_in=Count("id", filter=Q(checked_in_at__isnull=False)),
        without_delegation=Count("id", filter=Q(delegation__isnull=True)),
    )

    def grouped(field: str, choices) -> list[dict]:
        found = {
            row[field]: row["n"]
            for row in participants.order_by().values(field).annotate(n=Count("id"))
        }
        rows = [{"value": value, "label": label, "count": found.pop(value, 0)} for value, label in choices]
        rows += [{"value": value, "label": value or "—", "count": n} for value, n in found.items()]
        return rows

    return {
        "totals": totals,
        "delegations": delegations,
        "categories": grouped("category", ParticipantCategory.choices),
        "statuses": grouped("status", ParticipantStatus.choices),
        "genders": grouped("gender", [*Gender.choices, ("", _("Not given"))]),
    }
