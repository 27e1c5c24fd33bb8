"""The registry's entries for ``conference``'s models (``conference`` imports no other app, so they are declared
here) and for the privacy app's own (see ``privacy/registry.py``)."""

from __future__ import annotations

from conference.models import AuditLog, Conference, Delegation, EmailText, OutgoingEmail, Partner

from .enums import RetentionKind as K
from .models import (
    ConsentChange,
    DeletionRequest,
    NoticeAcceptance,
    PrivacyNotice,
    PurgeRecord,
    ReadLog,
    RetentionPolicy,
)
from .registry import register

register(
    Conference,
    conference="pk",
    keep={
        ("slug", "name", "name_fr", "name_ar", "short_name", "description", "description_fr", "description_ar",
         "start_date", "end_date", "time_zone", "venue", "venue_fr", "venue_ar", "city", "city_fr", "city_ar",
         "country", "languages", "registration_opens_at", "registration_closes_at", "registration_locked",
         "focal_points_may_approve", "badge_format", "created_at", "updated_at"): "the conference itself",
        "contact_email": "the secretariat's address, not a person's",
        ("visa_signatory_name", "visa_signatory_name_fr", "visa_signatory_name_ar", "visa_signatory_title",
         "visa_signatory_title_fr", "visa_signatory_title_ar"): "the official who signs the visa letters, in their "
        "public capacity; not a participant",
    },
)
register(
    Partner,
    conference="conference",
    keep={("conference", "role", "name", "name_fr", "name_ar", "order"): "an institution, not a person"},
)
register(
    # By label: the titles table may not be in every checkout yet.
    "conference.Honorific",
    conference="conference",
    keep={("conference", "code", "en", "en_male", "en_female", "fr", "fr_male", "fr_female", "ar", "ar_male",
           "ar_female"): "the titles people are addressed by: names no person"},
)
register(
    Delegation,
    conference="conference",
    purge={K.REST: ["focal_points", "nomination_letter", "nomination_letter_uploaded_at", "notes"]},
    keep={
        ("conference", "code", "kind", "country", "organization", "organization_fr", "organization_ar",
         "seat_quota", "category_quotas", "nominable_categories", "created_at", "updated_at"):
            "a delegation is a state or a body, counted in the aggregates",
        "head": "points at a participant row, which is purged on its own",
    },
)
register(
    AuditLog,
    conference="conference",
    purge={K.REST: ["object_repr", "changes"]},
    keep={
        ("conference", "action", "content_type", "object_id", "created_at"): "what was done when: names nobody",
        "actor": "the account accountable for the change",
    },
)
register(
    EmailText,
    conference="conference",
    keep={("conference", "kind", "subject", "subject_fr", "subject_ar", "message", "message_fr", "message_ar"):
          "the organizers' texts: name no participant"},
)
register(
    OutgoingEmail,
    conference=None,
    keep={
        ("template", "to", "subject", "language", "status", "attempts", "last_error", "created_at", "sent_at",
         "failed_at"): "an account's e-mails, not one conference's: the account's own, kept while it exists",
        ("text", "html"): "emptied once the e-mail is sent (a reset link is a credential)",
    },
    hidden=["text", "html"],
)

register(
    ReadLog,
    conference="conference",
    participant="participant",
    delete=K.REST,
    purge={K.REST: ["conference", "participant", "reader", "reader_name", "kind", "what", "where", "read_at"]},
)
register(
    RetentionPolicy,
    conference="conference",
    keep={("conference", "sensitive_days", "photos_days", "travel_hotel_days", "contacts_directory_days",
           "rest_days", "automatic_purge", "updated_at"): "the conference's rules"},
)
register(
    PurgeRecord,
    conference="conference",
    keep={("conference", "kind", "rule", "count", "files", "details", "aggregates", "deletion_request", "actor",
           "created_at"): "the record of what was purged: counts and field names, no values"},
)
register(
    PrivacyNotice,
    conference="conference",
    keep={("conference", "version", "text", "text_fr", "text_ar", "published_at", "created_by", "created_at"):
          "the notice participants accepted"},
)
register(
    NoticeAcceptance,
    conference="participant__conference",
    participant="participant",
    keep={("participant", "notice", "accepted_at"): "proof of consent"},
)
register(
    ConsentChange,
    conference="participant__conference",
    participant="participant",
    keep={("participant", "topic", "old_value", "new_value", "actor", "changed_at"): "proof of consent"},
)
register(
    DeletionRequest,
    conference="conference",
    participant="participant",
    purge={K.REST: ["message"]},
    keep={
        ("participant", "conference", "status", "reason", "decided_by", "decided_at", "notified_at", "created_at"):
            "the record of the request and of its answer",
        ("notify_email", "notify_language"): "where the answer goes: emptied by the task that sends it",
    },
)
