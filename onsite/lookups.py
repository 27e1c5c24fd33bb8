"""What onsite answers through the extension points of the apps below it (``sessions_app.extensions``)."""

from __future__ import annotations

from .models import Badge


def participant_id_for_badge_code(code: str) -> int | None:
    """The participant whose current badge carries the signed ``code``; None when forged, garbled or revoked
    (a revoked badge's token is no longer any badge's token)."""
    from .services.badges import token_from_code

    token = token_from_code(code)
    if token is None:
        return None
    return Badge.objects.filter(token=token).values_list("participant_id", flat=True).first()
