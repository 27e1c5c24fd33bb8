"""The Content-Security-Policy header carries only sources a browser accepts."""

import re

import pytest
from django.test import Client

from tests.factories import ConferenceFactory

pytestmark = pytest.mark.django_db

KEYWORDS = {"'self'", "'none'", "'unsafe-inline'", "'strict-dynamic'", "'report-sample'"}


def _directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {name: sources for name, *sources in (part.split() for part in policy.split(";") if part.strip())}


def test_csp_quoted_sources_are_keywords_or_real_nonces(settings):
    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    ConferenceFactory(slug="sharm2023")
    for url in ["/", "/accounts/login/", "/programme/"]:
        directives = _directives(Client().get(url, follow=True))
        quoted = [source for sources in directives.values() for source in sources if source.startswith("'")]
        bad = [s for s in quoted if s not in KEYWORDS and not re.fullmatch(r"'nonce-[A-Za-z0-9+/=_-]{16,}'", s)]
        assert bad == [], (url, bad)
        assert "'nonce'" not in directives["script-src"]
        assert directives["script-src"][0] == "'self'"


def test_favicon_address_leads_to_the_static_icon_not_a_404(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, "/static/favicon.svg")
    assert open(finders.find("favicon.svg"), encoding="utf-8").read().startswith("<svg")
