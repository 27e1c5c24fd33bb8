"""The api app's personal fields in the privacy registry (see ``privacy/registry.py``).

Devices and their tokens name no participant; a device's scans do (its answer holds the name shown), and go with
the participant's other records of the rest kind. The integration tokens' declarations go below (their module).
"""

from __future__ import annotations

from privacy.enums import RetentionKind as K
from privacy.registry import register

from .models import Device, DeviceEnrollment, DeviceScan, DeviceToken

register(
    Device,
    conference="conference",
    keep={
        ("conference", "name", "at_desk", "at_airport", "at_hotel", "doors", "shows_details", "shows_photos",
         "created_at", "updated_at"): "the device's settings; name no participant",
        "user": "the device's own account (no person): the actor of its scans",
        "created_by": "the organizer accountable for the device",
    },
)
register(
    DeviceEnrollment,
    conference="device__conference",
    keep={
        ("device", "prefix", "digest", "created_at", "expires_at", "last_used_at", "revoked_at", "used_at"):
            "a one-time code's digest and dates; names nobody",
        "created_by": "the organizer who showed the code",
    },
    hidden=["digest"],
)
register(
    DeviceToken,
    conference="device__conference",
    keep={
        ("device", "enrollment", "prefix", "digest", "created_at", "expires_at", "last_used_at", "revoked_at",
         "label"): "a device's token digest, its label and dates; name no participant",
        "revoked_by": "the organizer accountable for the revocation",
    },
    hidden=["digest"],
)
register(
    DeviceScan,
    conference="device__conference",
    participant="participant",
    delete=K.REST,
    purge={K.REST: ["device", "nonce", "point", "session", "participant", "result", "scanned_at", "received_at",
                    "answer"]},
)

from .integration import privacy as integration_privacy  # noqa: E402,F401 - the integration tokens
