"""Checks of a bilateral meeting's slot, shared by the admin form and the organizers' scheduling service."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_app.models import Session
from sessions_app.validation import Problem

from .enums import BilateralStatus
from .models import BilateralMeeting


def bilateral_problems(meeting) -> list[Problem]:
    """A bilateral meeting's slot: order, conference dates, and its room free of sessions and other meetings."""
    problems: list[Problem] = []
    if not meeting.conference_id:
        return problems
    for field in ("requesting", "invited"):
        delegation = getattr(meeting, field, None) if getattr(meeting, f"{field}_id") else None
        if delegation is not None and delegation.conference_id != meeting.conference_id:
            problems.append((field, _("This delegation belongs to another conference.")))
    if meeting.requesting_id and meeting.requesting_id == meeting.invited_id:
        problems.append(("invited", _("A bilateral meeting needs two different delegations.")))
    if meeting.starts_at is None or meeting.ends_at is None:
        return problems
    if meeting.ends_at <= meeting.starts_at:
        problems.append(("ends_at", _("The meeting must end after it starts.")))
        return problems
    conference = meeting.conference
    tz = conference.tz
    if (
        timezone.localtime(meeting.starts_at, tz).date() < conference.start_date
        or timezone.localtime(meeting.ends_at, tz).date() > conference.end_date
    ):
        problems.append(("starts_at", _("The meeting must take place within the conference dates.")))
    if meeting.room_id:
        session = Session.objects.filter(
            room_id=meeting.room_id, starts_at__lt=meeting.ends_at, ends_at__gt=meeting.starts_at
        ).first()
        other = (
            BilateralMeeting.objects.filter(
                room_id=meeting.room_id, starts_at__lt=meeting.ends_at, ends_at__gt=meeting.starts_at
            )
            .exclude(pk=meeting.pk)
            .filter(status=BilateralStatus.ACCEPTED)
            .first()
        )
        if session is not None or other is not None:
            problems.append(("room", _("%(room)s is already booked at that time.") % {"room": meeting.room.name}))
    if meeting.status == BilateralStatus.ACCEPTED and meeting.requesting_id and meeting.invited_id:
        ids = [meeting.requesting_id, meeting.invited_id]
        busy = (
            BilateralMeeting.objects.filter(status=BilateralStatus.ACCEPTED, starts_at__lt=meeting.ends_at,
                                            ends_at__gt=meeting.starts_at)
            .filter(Q(requesting_id__in=ids) | Q(invited_id__in=ids))
            .exclude(pk=meeting.pk)
            .exists()
        )
        if busy:
            problems.append(("starts_at", _("One of the delegations already has a meeting at that time.")))
    return problems
