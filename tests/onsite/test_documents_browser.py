"""Headless Chromium with axe-core over the certificates' new pages, in English and Arabic (right to left): the
public verification page for a valid code and the refusal page for a revoked or unknown one."""

import datetime

import pytest
from django.conf import settings as django_settings

from onsite.documents import services
from tests.browser import AXE, LAUNCH_ARGS, axe_violations
from tests.factories import ConferenceFactory, ParticipantFactory


@pytest.mark.browser
def test_verification_pages_have_no_axe_violation(live_server, transactional_db, chromium_path, monkeypatch):
    if not AXE.exists():
        pytest.skip("axe-core is not vendored in tests/assets")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    conference = ConferenceFactory(name_ar="الاجتماع الإقليمي")
    checked_in = datetime.datetime(2023, 7, 10, 8, 0, tzinfo=datetime.UTC)
    valid = services.certificate_issue(ParticipantFactory(conference=conference, checked_in_at=checked_in))
    revoked = services.certificate_issue(ParticipantFactory(conference=conference, checked_in_at=checked_in))
    services.certificate_revoke(revoked, reason="Duplicate")
    pages = [(f"/certificates/verify/{valid.code}/", 200), (f"/certificates/verify/{revoked.code}/", 410),
             ("/certificates/verify/FORGED0000000000/", 404)]
    found = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            for language in ("en", "ar"):
                context = browser.new_context(locale=language)
                context.add_init_script(path=str(AXE))
                context.add_cookies([{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language,
                                      "url": live_server.url}])
                page = context.new_page()
                for path, status in pages:
                    response = page.goto(f"{live_server.url}{path}")
                    assert response.status == status, path
                    if language == "ar":
                        assert page.get_attribute("html", "dir") == "rtl", path
                    violations = axe_violations(page)
                    found += [f"{language} {path}: {v}" for v in violations]
                context.close()
        finally:
            browser.close()
    assert found == []
