"""Checks on the programme shared by the admin forms and the services.

Each check returns a list of ``(field, message)`` problems (``field`` may be ``None`` for the whole record); an
empty list means the data is acceptable. The admin turns problems into form errors, the services into an
``AccordError``.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from conference.models import Conference

from .models import Session, SessionRole

Problem = tuple[str | None, str]


class LocalTimeError(ValueError):
    """A wall-clock time that does not exist, or exists twice, in the conference's time zone."""


def local_to_utc(day: datetime.date, time: datetime.time, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
    """Combine a local date and time in ``tz`` into an aware UTC datetime.

    Refuses times skipped by a clock change (spring forward) and times that happen twice (fall back): the two
    ``fold`` readings of such a time have different UTC offsets.
    """
    naive = datetime.datetime.combine(day, time.replace(tzinfo=None))
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        round_trip = first.astimezone(datetime.UTC).astimezone(tz).replace(tzinfo=None)
        shown = f"{day.isoformat()} {time.strftime('%H:%M')}"
        if round_trip != naive:
            raise LocalTimeError(
                _(
                    "%(time)s does not exist in %(zone)s: the clocks skip this hour (daylight saving time "
                    "starts). Choose another time."
                )
                % {"time": shown, "zone": tz.key}
            )
        raise LocalTimeError(
            _(
                "%(time)s happens twice in %(zone)s: the clocks go back this hour (daylight saving time ends). "
                "Choose a time outside that hour."
            )
            % {"time": shown, "zone": tz.key}
        )
    return first.astimezone(datetime.UTC)


def _local(value: datetime.datetime, tz: zoneinfo.ZoneInfo) -> str:
    return timezone.localtime(value, tz).strftime("%Y-%m-%d %H:%M")


def session_problems(session: Session) -> list[Problem]:
    """Everything wrong with a session's times and room: order, conference dates, double-booked room."""
    problems: list[Problem] = []
    conference: Conference | None = getattr(session, "conference", None) if session.conference_id else None
    if session.starts_at is None or session.ends_at is None or conference is None:
        return problems
    tz = conference.tz
    if session.ends_at <= session.starts_at:
        problems.append(("ends_at", _("The session must end after it starts.")))
        return problems
    first_day = timezone.localtime(session.starts_at, tz).date()
    last_moment = timezone.localtime(session.ends_at - datetime.timedelta(microseconds=1), tz).date()
    if first_day < conference.start_date or last_moment > conference.end_date:
        problems.append(
            (
                "starts_at",
                _("The session must take place within the conference dates, %(start)s to %(end)s (%(zone)s).")
                % {
                    "start": formats.date_format(conference.start_date, "Y-m-d"),
                    "end": formats.date_format(conference.end_date, "Y-m-d"),
                    "zone": tz.key,
                },
            )
        )
    if session.room_id:
        room = session.room
        if room.conference_id != session.conference_id:
            problems.append(("room", _("This room belongs to another conference.")))
        clash = (
            Session.objects.filter(
                room_id=session.room_id, starts_at__lt=session.ends_at, ends_at__gt=session.starts_at
            )
            .exclude(pk=session.pk)
            .order_by("starts_at")
            .first()
        )
        if clash is not None:
            problems.append(
                (
                    "room",
                    _("%(room)s is already booked from %(start)s to %(end)s for “%(title)s”.")
                    % {
                        "room": room.name,
                        "start": _local(clash.starts_at, tz),
                        "end": timezone.localtime(clash.ends_at, tz).strftime("%H:%M"),
                        "title": clash.title,
                    },
                )
            )
    return problems


def role_conflicts(session: Session, participant_ids: Iterable[int]) -> list[str]:
    """Messages for people who already hold a role in another session overlapping ``session``."""
    ids = {pk for pk in participant_ids if pk}
    if not ids or session.starts_at is None or session.ends_at is None:
        return []
    tz = session.conference.tz
    clashes = (
        SessionRole.objects.filter(
            participant_id__in=ids,
            session__starts_at__lt=session.ends_at,
            session__ends_at__gt=session.starts_at,
        )
        .exclude(session_id=session.pk)
        .select_related("session", "participant")
        .order_by("participant_id", "session__starts_at")
    )
    messages: list[str] = []
    seen: set[int] = set()
    for role in clashes:
        if role.participant_id in seen:
            continue
        seen.add(role.participant_id)
        messages.append(
            _("%(person)s already has a role in “%(title)s” at the same time (%(start)s–%(end)s).")
            % {
                "person": role.participant.printed_name,
                "title": role.session.title,
                "start": _local(role.session.starts_at, tz),
                "end": timezone.localtime(role.session.ends_at, tz).strftime("%H:%M"),
            }
        )
    return messages
