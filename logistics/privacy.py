"""Logistics' personal fields in the privacy registry (see ``privacy/registry.py``).

The travel document is declared by label: it is moving here from ``registration`` (ARCHITECTURE.md, "Not yet
moved"); until then the label names no model and declares nothing (``registration/privacy.py`` declares it).
"""

from __future__ import annotations

from privacy.enums import RetentionKind as K
from privacy.registry import register

register(
    "logistics.TravelDocument",
    conference="participant__conference",
    participant="participant",
    delete=K.SENSITIVE,
    purge={K.SENSITIVE: ["participant", "passport_number", "passport_expiry", "issuing_country", "purged_at",
                         "updated_at"]},
)
