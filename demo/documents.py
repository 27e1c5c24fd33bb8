"""The demo's official documents: a provisional edition of the List of Participants in each working language,
dated the day before the meeting (queued for the worker; rendered by it).

Idempotent: the service reuses an edition whose rows have not changed, so a second run adds nothing."""

from __future__ import annotations

import datetime
from collections import Counter

from onsite.documents import services
from onsite.documents.models import ListEditionKind


def seed_documents(conference) -> Counter:
    created: Counter = Counter()
    edition_date = conference.start_date - datetime.timedelta(days=1)
    for language in ("ar", "fr", "en"):
        _item, reused = services.participant_list_request(
            conference, language=language, edition=ListEditionKind.PROVISIONAL, edition_date=edition_date
        )
        if not reused:
            created["provisional lists of participants"] += 1
    return created
