"""Small helpers shared by tests."""

from __future__ import annotations


def warm_conference_cache() -> None:
    """Look up the conference the pages show, as the first request does; later requests find it in the cache
    (``conference.caching``). Query-count tests call this so that their first and later captures compare alike."""
    from conference.selectors import current_conference
    from sessions_app.selectors import programme_conference

    current_conference()
    programme_conference()
