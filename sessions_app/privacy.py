"""The programme's personal fields in the privacy registry (see ``privacy/registry.py``)."""

from __future__ import annotations

from django.db.models import Count

from privacy.enums import RetentionKind as K
from privacy.registry import register, register_aggregate

from .models import AgendaFile, PersonalFeed, Room, Session, SessionRole, SessionSignup

PROGRAMME = "the programme: names no person"

register(
    Room,
    conference="conference",
    keep={("conference", "name", "name_fr", "name_ar", "capacity", "interpretation_languages", "order"): PROGRAMME},
)
register(
    Session,
    conference="conference",
    keep={
        ("conference", "kind", "title", "title_fr", "title_ar", "description", "description_fr", "description_ar",
         "starts_at", "ends_at", "room", "capacity", "signup_required", "interpretation_languages", "is_public",
         "created_at", "updated_at"): PROGRAMME,
    },
)
register(
    SessionRole,
    conference="session__conference",
    participant="participant",
    keep={("session", "participant", "role", "order"):
          "the published programme names its chairs and speakers (the participant row itself is purged)"},
)
register(
    SessionSignup,
    conference="session__conference",
    participant="participant",
    delete=K.REST,
    purge={K.REST: ["session", "participant", "status", "created_at", "promoted_at", "promotion_notified_at",
                    "promotion_attempts", "promotion_error", "promotion_failed_at"]},
)
register(
    PersonalFeed,
    conference="participant__conference",
    participant="participant",
    delete=K.REST,
    purge={K.REST: ["participant", "token_hash", "created_at"]},
    hidden=["token_hash"],
)
register(
    AgendaFile,
    conference="conference",
    keep={("conference", "language", "fingerprint", "file", "rendered_at"): PROGRAMME},
)


def signup_counts(conference) -> dict:
    """Sign-ups per session and status (session id: {status: count})."""
    counts: dict[str, dict[str, int]] = {}
    rows = (
        SessionSignup.objects.filter(session__conference=conference).values("session_id", "status")
        .annotate(n=Count("pk")).order_by("session_id", "status")
    )
    for row in rows:
        counts.setdefault(str(row["session_id"]), {})[row["status"]] = row["n"]
    return counts


register_aggregate("signups", signup_counts)
