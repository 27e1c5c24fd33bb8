"""Extension points that the programme offers to the apps above it (sessions_app imports none of them).

Personal agenda items: an app registers a provider in its ``AppConfig.ready()``; the personal agenda page and the
personal iCal feed show what every provider gives for the participant, beside their sessions. A provider is a
callable ``provider(participant, language) -> Iterable[AgendaItem]`` and must read in a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from registration.models import Participant


@dataclass(frozen=True)
class AgendaItem:
    """One appointment of a participant that is not a session of the programme (a bilateral meeting...)."""

    uid: str  # stable and unique across providers, e.g. "bilateral-12"
    kind_label: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    updated_at: datetime.datetime
    location: str = ""
    description: str = ""
    url: str = ""  # a path on this site


AgendaProvider = Callable[[Participant, str], Iterable[AgendaItem]]

_agenda_providers: list[AgendaProvider] = []


def register_agenda_provider(provider: AgendaProvider) -> None:
    """Add ``provider`` to every personal agenda and feed (registering the same one twice keeps one)."""
    if provider not in _agenda_providers:
        _agenda_providers.append(provider)


def personal_agenda_items(participant: Participant, language: str) -> list[AgendaItem]:
    """What the registered providers give for ``participant``, in time order."""
    items: list[AgendaItem] = []
    for provider in _agenda_providers:
        items.extend(provider(participant, language))
    return sorted(items, key=lambda item: (item.starts_at, item.uid))


# --- Badge look-up ------------------------------------------------------------------------------------
# The badges and their check-in tokens belong to ``onsite``, which fills this point in its ``ready()``; an app
# beside onsite (``cooperation``'s contact exchange, which may not import it) asks here which participant a
# scanned badge code names. The resolver answers None for a forged, garbled or revoked code.

BadgeResolver = Callable[[str], "int | None"]

_badge_resolvers: list[BadgeResolver] = []


def register_badge_resolver(resolver: BadgeResolver) -> None:
    if resolver not in _badge_resolvers:
        _badge_resolvers.append(resolver)


def participant_id_for_badge_code(code: str) -> int | None:
    """The id of the participant whose current (unrevoked) badge carries ``code``, or None."""
    for resolver in _badge_resolvers:
        participant_id = resolver(code)
        if participant_id is not None:
            return participant_id
    return None
