"""Registration's personal fields in the privacy registry: what each retention kind purges, what is kept and
why; the aggregates a purge keeps; how a user's own participation is found (see ``privacy/registry.py``)."""

from __future__ import annotations

from django.db.models import Count

from privacy.enums import RetentionKind as K
from privacy.registry import (
    anonymous_email,
    register,
    register_aggregate,
    register_participant_lookup,
)

from .enums import ParticipantStatus
from .models import (
    Answer,
    Invitation,
    InvitationSendAttempt,
    Participant,
    ParticipantNotice,
    Question,
    QuestionChoice,
)
from .selectors import own_participant

register(
    Participant,
    conference="conference",
    participant="pk",
    purge={
        K.PHOTOS: ["photo"],
        K.TRAVEL_HOTEL: ["dietary_needs", "accessibility_needs"],
        K.CONTACTS_DIRECTORY: ["phone"],
        K.REST: {
            "email": anonymous_email("participant", "public_id"),
            "user": None, "title": None, "first_name": None, "last_name": None, "badge_name": None,
            "badge_name_ar": None, "gender": None, "position": None, "organization": None, "nationality": None,
            "languages_spoken": None, "status_reason": None, "request_message": None,
            "search_name": None,  # the names again, normalized for search
        },
    },
    keep={
        "conference": "the conference the row belongs to",
        ("delegation", "category", "status", "source"): "counted in the aggregates; names no person once purged",
        "public_id": "a random identifier: names nobody once the rest is purged",
        "preferred_language": "the language of an answer still owed (a deletion request); names nobody",
        ("consent_privacy_at", "consent_directory", "consent_photos"): "proof of what the participant consented to",
        ("form_step", "submitted_at", "decided_at", "endorsed_at", "checked_in_at", "created_at", "updated_at"):
            "workflow dates, counted in the aggregates",
        ("decided_by", "checked_in_by"): "the staff account accountable for the decision or the check-in",
        "endorsed_by": "the focal point accountable for backing the request",
    },
)

register(
    Invitation,
    conference="conference",
    participant="participant",
    purge={
        K.REST: {
            "email": anonymous_email("invitation"), "first_name": None, "last_name": None, "token_nonce": None,
            "last_error": None,
        },
    },
    keep={
        ("conference", "delegation", "category", "language", "as_focal_point", "status", "expires_at", "participant",
         "send_count", "sent_at", "opened_at", "used_at", "revoked_at", "attempts", "send_generation",
         "sent_generation", "token_generation", "created_at"): "the invitation's bookkeeping; names nobody",
        "token_hash": "the hash of a single-use token, useless without the token",
        "inviter": "the staff account accountable for the invitation",
    },
    hidden=["token_hash", "token_nonce"],
)

register(
    InvitationSendAttempt,
    conference="invitation__conference",
    participant="invitation__participant",
    purge={K.REST: ["error"]},
    keep={("invitation", "generation", "started_at", "finished_at", "outcome"): "sending history; names nobody"},
)

register(
    ParticipantNotice,
    conference="participant__conference",
    participant="participant",
    purge={K.REST: ["reason", "last_error"]},
    keep={("participant", "kind", "sent_at", "failed_at", "attempts", "created_at"): "which decisions were sent"},
)


register(
    Answer,
    conference="question__conference",
    participant="participant",
    purge={K.SENSITIVE: ["sensitive_value", "sensitive_file"], K.REST: ["value", "file"]},
    keep={("participant", "question", "updated_at"): "which questions were answered; names nobody once purged"},
)

register(
    Question,
    conference="conference",
    keep={
        ("conference", "kind", "label", "label_fr", "label_ar", "help_text", "help_text_fr", "help_text_ar",
         "required", "order", "step", "in_nomination", "in_request", "categories", "delegation_kinds",
         "depends_on", "depends_value", "min_value", "max_value", "min_date", "max_date", "sensitive", "hidden"):
            "the organizers' form; names nobody",
    },
)

register(
    QuestionChoice,
    conference="question__conference",
    keep={("question", "label", "label_fr", "label_ar", "order", "hidden"): "the organizers' form; names nobody"},
)


def _counts(queryset, field: str) -> dict[str, int]:
    return {str(row[field] or ""): row["n"] for row in queryset.values(field).annotate(n=Count("pk")).order_by(field)}


def participant_counts(conference) -> dict:
    """Counts by delegation, category and gender (approved participants), and how many were checked in."""
    approved = Participant.objects.filter(conference=conference, status=ParticipantStatus.APPROVED)
    return {
        "approved": approved.count(),
        "checked_in": approved.filter(checked_in_at__isnull=False).count(),
        "by_delegation": _counts(approved, "delegation__code"),
        "by_category": _counts(approved, "category"),
        "by_gender": _counts(approved, "gender"),
        "by_status": _counts(Participant.objects.filter(conference=conference), "status"),
    }


def meal_counts(conference) -> dict:
    """Approved participants by dietary need (the meals to order), the need written as the participant gave it
    (trimmed, lower case); "" for no particular need."""
    counts: dict[str, int] = {}
    needs = Participant.objects.filter(conference=conference, status=ParticipantStatus.APPROVED).values_list(
        "dietary_needs", flat=True
    )
    for need in needs:
        key = (need or "").strip().lower()
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


register_aggregate("participants", participant_counts)
register_aggregate("meals", meal_counts)
register_participant_lookup(own_participant)
