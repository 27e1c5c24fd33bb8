"""Headless Chromium: every page of the site, in English, French and Arabic, loads without a console error.

A console error is what a newcomer's browser reports when something is wrong that the HTML tests cannot see: an
invalid Content-Security-Policy source (the literal ``'nonce'`` that django-csp 4 does not replace), a script or
style the policy blocks, a missing static file, a script that throws.
"""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

from tests.browser import LAUNCH_ARGS
from tests.test_i18n import PAGES as I18N_PAGES
from tests.test_i18n import WORLD_SETTINGS, build_world

LANGUAGES = ("en", "fr", "ar")
#: The i18n tests' pages, and the role homes.
PAGES = [
    *I18N_PAGES,
    *[(f"my home ({who})", who, lambda w: "/me/") for who in ("participant", "focal", "staff", "lonely")],
    ("programme index", None, lambda w: "/programme/"),
]


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


@pytest.mark.browser
def test_every_page_in_every_language_logs_no_console_error(live_server, transactional_db, settings,
                                                             chromium_path, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    for name, value in WORLD_SETTINGS.items():
        setattr(settings, name, value)
    cache.clear()
    world = build_world()
    cookies = {who: _session_cookie(user) for who, user in world["users"].items() if user is not None}
    errors: list[str] = []
    loaded = 0

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            for language in LANGUAGES:
                for who in {page_who for _, page_who, _ in PAGES}:
                    context = browser.new_context(locale="en-GB")
                    context.add_cookies([{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language,
                                          "url": live_server.url}])
                    if who is not None:
                        context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookies[who],
                                              "url": live_server.url}])
                    page = context.new_page()
                    page.set_default_timeout(15000)
                    current = {"url": ""}
                    page.on("console", lambda message: message.type == "error" and errors.append(
                        f"{language} {current['url']}: {message.text} ({message.location.get('url')})"))
                    page.on("pageerror", lambda error: errors.append(f"{language} {current['url']}: {error}"))
                    for name, page_who, url_of in PAGES:
                        if page_who != who:
                            continue
                        current["url"] = url_of(world)
                        response = page.goto(f"{live_server.url}{current['url']}", wait_until="load")
                        assert response is not None and response.status == 200, (name, language)
                        loaded += 1
                    context.close()
        finally:
            browser.close()
    assert loaded == len(PAGES) * len(LANGUAGES)
    assert errors == []
