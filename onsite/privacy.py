"""Onsite's personal fields in the privacy registry (see ``privacy/registry.py``) and the counts a purge keeps."""

from __future__ import annotations

from django.db.models import Count

from privacy.enums import RetentionKind as K
from privacy.registry import register, register_aggregate

from .models import (
    Attendance,
    Badge,
    BadgeBatch,
    BadgePage,
    BadgePrint,
    Certificate,
    CertificateRun,
    CheckIn,
    DocumentSettings,
    ParticipantListEdition,
    RevokedBadgeToken,
)

register(
    Badge,
    conference="participant__conference",
    participant="participant",
    delete=K.REST,
    purge={K.REST: ["participant", "token", "revoked_at", "printed_count", "last_printed_at", "created_at"]},
    hidden=["token"],
)
register(
    BadgePage,
    conference="badge__participant__conference",
    participant="badge__participant",
    delete=K.REST,
    # The page prints the photo and the names.
    purge={K.PHOTOS: ["pdf"], K.REST: ["badge", "badge_format", "fingerprint", "rendered_at"]},
)
register(
    BadgePrint,
    conference="badge__participant__conference",
    participant="badge__participant",
    delete=K.REST,
    purge={K.REST: ["badge", "printed_by", "printed_at", "is_reprint", "reason", "batch"]},
)
register(
    BadgeBatch,
    conference="conference",
    purge={K.PHOTOS: ["file"]},
    keep={
        ("conference", "delegation", "layout", "status", "total", "done", "error", "created_at", "finished_at",
         "heartbeat_at", "chunks", "chunks_done"): "the batch's bookkeeping; names nobody",
        "parts": "which worker rendered how many pages; names nobody",
        "participant_ids": "database ids only, which name nobody once the participants are purged",
        "requested_by": "the staff account accountable for the batch",
    },
)
register(
    CheckIn,
    conference="conference",
    participant="participant",
    delete=K.REST,
    purge={K.REST: ["conference", "participant", "client_id", "result", "scanned_at", "received_at", "scanned_by",
                    "device"]},
)
register(
    RevokedBadgeToken,
    conference="badge__participant__conference",
    participant="badge__participant",
    delete=K.REST,
    purge={K.REST: ["badge", "token", "revoked_at", "revoked_by", "reason"]},
    hidden=["token"],
)
register(
    Attendance,
    conference="session__conference",
    participant="participant",
    delete=K.REST,
    purge={K.REST: ["session", "participant", "client_id", "scanned_at", "scanned_by"]},
)

# The official documents (onsite/documents/).
register(
    DocumentSettings,
    conference="conference",
    purge={K.REST: ["named_cards"]},
    keep={("conference", "kind_order"): "the order of delegation kinds; names nobody"},
)
register(
    ParticipantListEdition,
    conference="conference",
    # The file prints names, positions and (with consent) e-mail addresses.
    purge={K.REST: ["file"]},
    keep={
        ("conference", "document", "edition", "edition_date", "language", "status", "rows", "error", "created_at",
         "rendered_at"): "the edition's bookkeeping; names nobody",
        "fingerprint": "a hash of the printed rows, which names nobody",
        "requested_by": "the staff account accountable for the edition",
    },
)
register(
    Certificate,
    conference="conference",
    participant="participant",
    delete=K.REST,
    purge={K.REST: ["conference", "participant", "code", "language", "days", "fingerprint", "file", "issued_at",
                    "issued_by", "revoked_at", "revoked_reason"]},
    hidden=["code"],
)


register(
    CertificateRun,
    conference="conference",
    keep={
        ("conference", "delegation", "status", "total", "processed", "issued", "refreshed", "skipped",
         "last_participant_id", "error", "created_at", "finished_at", "heartbeat_at"): "the run's bookkeeping; "
        "names nobody",
        "participant_ids": "database ids only, which name nobody once the participants are purged",
        "requested_by": "the staff account accountable for the run",
    },
)


def scan_counts(conference) -> dict:
    """Desk scans by result, and door attendance per session (session id: count)."""
    scans = CheckIn.objects.filter(conference=conference).values("result").annotate(n=Count("pk")).order_by("result")
    attendance = (
        Attendance.objects.filter(session__conference=conference).values("session_id").annotate(n=Count("pk"))
        .order_by("session_id")
    )
    return {
        "scans_by_result": {row["result"]: row["n"] for row in scans},
        "attendance_by_session": {str(row["session_id"]): row["n"] for row in attendance},
    }


register_aggregate("onsite", scan_counts)
