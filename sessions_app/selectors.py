"""Reads of the programme: sessions with their rooms and people, personal agendas, the programme fingerprint.

Every function here runs a fixed number of queries whatever the number of sessions.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone, translation

from conference import languages as language_registry
from conference.models import Conference
from registration.models import Participant

from .enums import SignupStatus
from .models import PersonalFeed, Room, Session, SessionRole, SessionSignup
from .validation import local_to_utc


def conference_days(conference: Conference) -> list[datetime.date]:
    day, days = conference.start_date, []
    while day <= conference.end_date:
        days.append(day)
        day += datetime.timedelta(days=1)
    return days


def day_bounds(conference: Conference, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The UTC instants where the local ``day`` starts and the next one starts (midnight always exists in
    the conference zone for our purposes: a skipped midnight falls back to the fold-0 reading)."""
    tz = conference.tz

    def start(d: datetime.date) -> datetime.datetime:
        try:
            return local_to_utc(d, datetime.time(0, 0), tz)
        except ValueError:
            return datetime.datetime.combine(d, datetime.time(0, 0), tzinfo=tz).astimezone(datetime.UTC)

    return start(day), start(day + datetime.timedelta(days=1))


def roles_prefetch() -> Prefetch:
    return Prefetch(
        "roles",
        queryset=SessionRole.objects.select_related("participant__delegation").order_by("order", "id"),
    )


def programme_sessions(conference: Conference, *, public_only: bool = True) -> QuerySet[Session]:
    """The conference's sessions with room and people (two queries when evaluated)."""
    queryset = Session.objects.filter(conference=conference).select_related("room").prefetch_related(roles_prefetch())
    if public_only:
        queryset = queryset.filter(is_public=True)
    return queryset.order_by("starts_at", "room__order", "room__name", "id")


def effective_languages(session: Session) -> list[str]:
    """Interpretation languages of a session: its own, else those its room offers."""
    if session.interpretation_languages:
        return list(session.interpretation_languages)
    if session.room_id and session.room.interpretation_languages:
        return list(session.room.interpretation_languages)
    return []


def day_sessions(
    conference: Conference,
    day: datetime.date,
    *,
    kind: str | None = None,
    room_id: int | None = None,
    language: str | None = None,
) -> list[Session]:
    """Public sessions starting on the local ``day``, optionally filtered (two queries)."""
    start, end = day_bounds(conference, day)
    queryset = programme_sessions(conference).filter(starts_at__gte=start, starts_at__lt=end)
    if kind:
        queryset = queryset.filter(kind=kind)
    if room_id:
        queryset = queryset.filter(room_id=room_id)
    sessions = list(queryset)
    if language:
        # JSON containment is not portable to SQLite (embedded mode): filter the already loaded rows.
        sessions = [session for session in sessions if language in effective_languages(session)]
    return sessions


def conference_rooms(conference: Conference) -> list[Room]:
    return list(Room.objects.filter(conference=conference).order_by("order", "name"))


def public_session(conference: Conference | None, session_id: int) -> Session:
    """A public session of ``conference`` with its room and people; 404 when missing, hidden or foreign."""
    if conference is None:
        raise Http404
    session = programme_sessions(conference).filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


@dataclass(frozen=True)
class ProgrammeEntry:
    """One line of a personal programme: a session open to all or one of the participant's own."""

    session: Session
    title: str
    signup: SessionSignup | None = None
    role_labels: tuple[str, ...] = ()

    @property
    def is_mine(self) -> bool:
        return self.signup is not None or bool(self.role_labels)


def personal_programme(participant: Participant, signups: list[SessionSignup], roles: list[SessionRole],
                       language: str) -> list[tuple[datetime.date, list[ProgrammeEntry]]]:
    """The whole programme a participant attends, day by day in the conference's zone: every public session
    open to all (no sign-up) and the participant's own sessions (sign-ups, roles), which are marked. One query
    (the sign-ups and roles are the ones the page loaded already)."""
    own = {signup.session_id: signup for signup in signups}
    role_labels: dict[int, list[str]] = {}
    for role in roles:
        role_labels.setdefault(role.session_id, []).append(str(role.get_role_display()))
    sessions = (
        Session.objects.filter(conference_id=participant.conference_id)
        .filter(Q(is_public=True, signup_required=False) | Q(pk__in=set(own) | set(role_labels)))
        .select_related("room")
        .order_by("starts_at", "room__order", "room__name", "id")
    )
    tz = participant.conference.tz
    days: dict[datetime.date, list[ProgrammeEntry]] = {}
    for session in sessions:
        signup = own.get(session.pk)
        if signup is None and session.signup_required and session.pk not in role_labels:
            continue
        entry = ProgrammeEntry(session=session, title=session.localized_title(language), signup=signup,
                               role_labels=tuple(role_labels.get(session.pk, ())))
        days.setdefault(timezone.localtime(session.starts_at, tz).date(), []).append(entry)
    return list(days.items())


@dataclass(frozen=True)
class SeatCounts:
    """A session's sign-ups: confirmed seats, seats left (``None`` without a capacity), people waiting."""

    confirmed: int
    seats_left: int | None
    waiting: int


def session_seat_counts(session: Session) -> SeatCounts:
    """How many seats of ``session`` are taken and left, and how long its waiting list is (one query)."""
    counts = SessionSignup.objects.filter(session=session).aggregate(
        confirmed=Count("id", filter=Q(status=SignupStatus.CONFIRMED)),
        waiting=Count("id", filter=Q(status=SignupStatus.WAITLISTED)),
    )
    seats_left = None if session.capacity is None else max(session.capacity - counts["confirmed"], 0)
    return SeatCounts(confirmed=counts["confirmed"], seats_left=seats_left, waiting=counts["waiting"])


def signups_with_position(participant: Participant) -> list[SessionSignup]:
    """The participant's sign-ups with their session; waitlisted ones get ``position`` (1 = next in line)."""
    ahead = (
        SessionSignup.objects.filter(session_id=OuterRef("session_id"), status=SignupStatus.WAITLISTED)
        .filter(Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), id__lt=OuterRef("id")))
        .order_by()
        .values("session_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    signups = list(
        SessionSignup.objects.filter(participant=participant)
        .select_related("session__room")
        .annotate(ahead=Subquery(ahead))
        .order_by("session__starts_at", "session_id")
    )
    for signup in signups:
        signup.position = (signup.ahead or 0) + 1 if signup.status == SignupStatus.WAITLISTED else None
    return signups


def participant_roles(participant: Participant) -> list[SessionRole]:
    return list(
        SessionRole.objects.filter(participant=participant)
        .select_related("session__room")
        .order_by("session__starts_at", "session_id", "order")
    )


def feed_for_token(token: str) -> PersonalFeed:
    """The personal feed whose token hashes to ``token``'s hash; 404 for anything else."""
    if not token or len(token) > 128:
        raise Http404
    digest = hashlib.sha256(token.encode()).hexdigest()
    feed = PersonalFeed.objects.select_related("participant__conference").filter(token_hash=digest).first()
    if feed is None:
        raise Http404
    return feed


def programme_fingerprint(conference: Conference, language: str) -> str:
    """A hash of everything the agenda PDF shows: sessions, rooms, people in roles and their delegations, the
    language.

    Three small queries of ids and timestamps; a change to any session, room, role, named person or their
    delegation changes it.
    """
    sessions = list(
        Session.objects.filter(conference=conference, is_public=True)
        .order_by("id")
        .values_list("id", "updated_at")
    )
    rooms = list(
        Room.objects.filter(conference=conference)
        .order_by("id")
        .values_list("id", "name", "name_fr", "name_ar", "interpretation_languages", "order", "capacity")
    )
    roles = list(
        SessionRole.objects.filter(session__conference=conference)
        .order_by("id")
        .values_list(
            "id", "session_id", "role", "order", "participant_id", "participant__updated_at",
            "participant__delegation__updated_at",
        )
    )
    payload = json.dumps(
        {
            "language": language,
            "conference": [conference.pk, conference.updated_at.isoformat() if conference.updated_at else ""],
            "sessions": sessions,
            "rooms": rooms,
            "roles": roles,
        },
        default=str,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


#: Upper bound on how stale a cached fingerprint can be after a write that sends no signal (``QuerySet.update``).
FINGERPRINT_CACHE_SECONDS = 60


def programme_fingerprint_key(conference_id: int, language: str) -> str:
    return f"accord:programme-fingerprint:{conference_id}:{language}"


def programme_fingerprint_keys(conference_id: int) -> list[str]:
    """The shared cache's keys of a conference's fingerprints, one a language."""
    return [programme_fingerprint_key(conference_id, code) for code in language_registry.codes()]


def cached_programme_fingerprint(conference: Conference, language: str) -> str:
    """:func:`programme_fingerprint` for the pages, from the shared cache: no query while nothing changed.

    Saves and deletes of sessions, rooms, roles, their people, delegations and the conference drop it at once
    (``sessions_app.receivers``); a bulk update without signals shows within ``FINGERPRINT_CACHE_SECONDS``.
    """
    key = programme_fingerprint_key(conference.pk, language)
    fingerprint = cache.get(key)
    if fingerprint is None:
        fingerprint = programme_fingerprint(conference, language)
        cache.set(key, fingerprint, FINGERPRINT_CACHE_SECONDS)
    return fingerprint


@dataclass
class PersonInRole:
    role: str
    role_label: str
    name: str
    delegation: str


@dataclass
class SessionCard:
    """What the agenda pages, feeds and the PDF show of a session, in one language."""

    session: Session
    title: str
    description: str
    kind: str
    kind_label: str
    room: str
    languages: list[str]
    language_labels: list[str]
    people: list[PersonInRole] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.session.pk

    @property
    def starts_at(self) -> datetime.datetime:
        return self.session.starts_at

    @property
    def ends_at(self) -> datetime.datetime:
        return self.session.ends_at


def session_card(session: Session, language: str) -> SessionCard:
    """Localize a session loaded by ``programme_sessions`` (room and roles prefetched): no queries."""
    with translation.override(language):
        languages = effective_languages(session)
        people = []
        for role in session.roles.all():
            participant = role.participant
            delegation = (
                participant.delegation.display_name(language) if participant.delegation_id else participant.organization
            )
            people.append(
                PersonInRole(
                    role=role.role,
                    role_label=str(role.get_role_display()),
                    name=participant.printed_name,
                    delegation=delegation,
                )
            )
        return SessionCard(
            session=session,
            title=session.localized_title(language),
            description=session.localized_description(language),
            kind=session.kind,
            kind_label=str(session.get_kind_display()),
            room=session.room.localized_name(language) if session.room_id else "",
            languages=languages,
            language_labels=[language_registry.language_name(code) for code in languages if language_registry.is_known(code)],
            people=people,
        )


#: Upper bound on how stale the cached programme conference can be after a write that sends no signal.
PROGRAMME_CONFERENCE_SECONDS = 60


def programme_conference_key() -> str:
    """The shared cache's key of the programme's conference (it follows ACCORD_DEFAULT_CONFERENCE)."""
    return f"accord:programme-conference:{settings.ACCORD_DEFAULT_CONFERENCE}"


def programme_conference() -> Conference | None:
    """The conference the public programme shows: ACCORD_DEFAULT_CONFERENCE, else the latest one.

    Kept in Django's shared cache (no query while nothing changed); a save or delete of any conference drops it
    at once (``sessions_app.receivers``).
    """
    key = programme_conference_key()
    conference = cache.get(key)
    if conference is None:
        conference = (
            Conference.objects.annotate(
                is_default=Case(When(slug=settings.ACCORD_DEFAULT_CONFERENCE, then=Value(1)), default=Value(0))
            )
            .order_by("-is_default", "-start_date", "-id")
            .first()
        )
        if conference is not None:
            cache.set(key, conference, PROGRAMME_CONFERENCE_SECONDS)
    return conference
