from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Conference, EmailText, localized


def current_conference() -> Conference | None:
    """The conference the public pages show: ACCORD_DEFAULT_CONFERENCE, else the first one.

    Read from the database on each call (one query on the unique slug), so a saved conference shows at once
    everywhere; its partners are not prefetched: only the home page shows them, with one query of its own.
    """
    conference = Conference.objects.filter(slug=settings.ACCORD_DEFAULT_CONFERENCE).first()
    if conference is None:
        conference = Conference.objects.first()
    return conference


def conference_dashboard(conference: Conference) -> dict:
    """Counts for the organizers' dashboard, in a constant number of aggregate queries.

    Returns totals, and rows per delegation, category, status and gender, each with its label.
    """
    from django.db.models import Count, Q

    from registration.enums import Gender, ParticipantCategory, ParticipantStatus
    from registration.models import Participant

    from .models import Delegation

    participants = Participant.objects.filter(conference=conference)
    active = ~Q(participants__status__in=[ParticipantStatus.REJECTED, ParticipantStatus.CANCELLED])
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


def conference_email_text(conference: Conference | None, kind: str, language: str) -> tuple[str | None, str]:
    """The organizers' subject (``None`` when empty: keep the default) and message for an e-mail, in
    ``language`` with English fallback; ``(None, "")`` when they wrote none. One query."""
    if conference is None:
        return None, ""
    text = EmailText.objects.filter(conference=conference, kind=kind).first()
    if text is None:
        return None, ""
    subject = " ".join(localized(text, "subject", language).split())
    return subject or None, localized(text, "message", language).strip()
