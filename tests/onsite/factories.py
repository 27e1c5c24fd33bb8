"""Test data of the onsite app: participants ready for the desk and the doors."""

from onsite.services.badges import badge_ensure
from registration.enums import ParticipantStatus
from tests.factories import ParticipantFactory


def approved_with_badge(**kwargs):
    """An approved participant with a badge issued by the badge service (as approving them does)."""
    participant = ParticipantFactory(status=ParticipantStatus.APPROVED, **kwargs)
    badge_ensure(participant)
    return participant
