"""Cooperation's fields in the privacy registry (see ``privacy/registry.py``).

Most models are declared by label ("cooperation.DirectoryEntry"), as they were while still being written.
"""

from __future__ import annotations

from privacy.enums import RetentionKind as K
from privacy.registry import anonymous_email, register

from .models import BilateralMeeting

MEETINGS = "a meeting between delegations, its slots and rooms: names no person"

register(
    BilateralMeeting,
    conference="conference",
    purge={K.CONTACTS_DIRECTORY: ["invited_participant"]},
    keep={
        ("conference", "requesting", "invited", "topic", "starts_at", "ends_at", "room", "status", "languages",
         "awaiting", "round", "expires_at", "decided_at", "created_at"): MEETINGS,
        "requested_by": "the account accountable for the request",
    },
)
register(
    "cooperation.DirectoryEntry",
    conference="participant__conference",
    participant="participant",
    delete=K.CONTACTS_DIRECTORY,
    purge={K.CONTACTS_DIRECTORY: ["participant", "listed", "share_position", "share_organization", "share_languages",
                                  "share_expertise", "share_email", "share_phone", "expertise", "updated_at"]},
)
register("cooperation.MeetingRoom", conference="conference", keep={("conference", "room"): MEETINGS})
register("cooperation.MeetingSlot", conference="conference", keep={("conference", "starts_at", "ends_at"): MEETINGS})
register(
    "cooperation.MeetingAttendee",
    conference="meeting__conference",
    participant="participant",
    delete=K.CONTACTS_DIRECTORY,
    purge={K.CONTACTS_DIRECTORY: ["meeting", "participant"]},
)
register(
    "cooperation.MeetingProposal",
    conference="meeting__conference",
    keep={("meeting", "slot", "round", "proposed_by"): MEETINGS},
)
register(
    "cooperation.Booking",
    conference="meeting__conference",
    keep={("meeting", "kind", "resource_id", "starts_at", "ends_at"): MEETINGS},
)
register(
    "cooperation.MeetingNotice",
    conference="meeting__conference",
    purge={K.CONTACTS_DIRECTORY: {"email": anonymous_email("meeting-notice"), "last_error": None}},
    keep={("meeting", "event", "round", "language", "sent_at", "failed_at"): "which e-mails were sent; names nobody"},
)
register(
    "cooperation.ContactExchange",
    conference="conference",
    participant=("requester", "recipient"),
    delete=K.CONTACTS_DIRECTORY,
    purge={K.CONTACTS_DIRECTORY: ["conference", "requester", "recipient", "status", "created_at", "answered_at"]},
)
register(
    "cooperation.FollowUp",
    conference="meeting__conference",
    participant="owner",
    purge={K.REST: ["owner", "notes"]},
    keep={
        ("meeting", "kind", "due_date", "status", "created_at", "updated_at", "reminded_3m_at", "reminded_6m_at"):
            "the cooperation register's outcomes, between delegations: names no person once the owner is gone",
        "recorded_by": "the account accountable for the entry",
    },
)
register(
    "cooperation.CooperationSettings",
    conference="conference",
    keep={("conference", "contact_exchange_until"): "the organizers' settings"},
)
