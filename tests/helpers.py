"""Small helpers shared by tests."""

from __future__ import annotations


def warm_caches(client=None) -> None:
    """Look up what the first request looks up and later requests find in the shared cache (``conference.caching``):
    the conference the pages show and, for a logged-in test client, its user. Query-count tests call this so that
    their first and later captures compare alike."""
    from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, load_backend

    from conference.selectors import current_conference
    from sessions_app.selectors import programme_conference

    current_conference()
    programme_conference()
    if client is not None:
        session = client.session
        if SESSION_KEY in session:
            load_backend(session[BACKEND_SESSION_KEY]).get_user(session[SESSION_KEY])
