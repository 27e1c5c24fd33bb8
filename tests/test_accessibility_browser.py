"""Accessibility as a test (issue 24 item 19): axe-core in headless Chromium over the public, participant,
focal-point, desk and dashboard pages in English and Arabic (0 violations of any impact), and keyboard use:
a skip link, a visible focus on every control, the phone menu and a login by keyboard alone. The same loop
checks the design system (item 17): no browser-default control and no page wider than a 390 px phone.

One browser, one live server; the pages are looped in one test. axe-core (tests/assets/axe-core, vendored from
npm) is added to each page by Playwright as an init script, which the page's CSP does not govern, so the pages
keep their real policy. The counts per page are written to test-artifacts/axe-counts.json; screenshots of the
dashboard go beside them."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from logistics.models import TravelPlan
from tests.browser import AXE, LAUNCH_ARGS, PASSWORD
from tests.test_i18n import PAGES, WORLD_SETTINGS, build_world

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
LANGUAGES = ("en", "ar")
#: The pages of issue 24 item 19, by their name in tests/test_i18n.py's list.
CHECKED = {
    "home", "login", "signup", "programme day", "session", "my agenda", "register status", "register status (invited)",
    *(f"register step {n}" for n in range(1, 7)), "portal list", "portal detail", "desk", "desk participant",
    "desk scan", "desk batches", "desk arrivals", "desk search results", "admin dashboard",
}
EXTRA = [("programme", None, lambda w: reverse("sessions_app:index"))]
#: ...and every other public, participant, focal-point and desk page of that list (the admin's pages aside).
OTHERS = {name for name, _who, _url in PAGES if not name.startswith("admin") and name != "logout"}
AXE_PAGES = [page for page in PAGES if page[0] in CHECKED | OTHERS] + EXTRA

#: A control shows where the focus is: an outline or a box shadow of its own.
FOCUS_VISIBLE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
  return {tag: e.tagName, text: (e.innerText || e.value || e.name || "").slice(0, 40), visible: outline || s.boxShadow !== "none"};
}"""


#: Visible buttons, selects and fields still drawn by the browser (appearance other than "none"); check boxes and
#: radio buttons keep the platform's shape in the accent colour, file inputs have a styled button.
DEFAULT_CONTROLS = """() => [...document.querySelectorAll(
    'button, select, textarea, input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file])')]
  .filter(e => e.offsetParent !== null && getComputedStyle(e).appearance !== "none")
  .map(e => e.outerHTML.slice(0, 80))"""


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def _violations(page) -> list[dict]:
    return page.evaluate("""async () => {
      const result = await axe.run(document, {resultTypes: ["violations"]});
      return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}));
    }""")


@pytest.mark.browser
def test_axe_finds_no_violation_on_any_page_in_english_and_arabic(live_server, transactional_db, settings,
                                                                  chromium_path, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    for name, value in WORLD_SETTINGS.items():
        setattr(settings, name, value)
    cache.clear()
    world = build_world()
    TravelPlan.objects.create(participant=world["participant"], arrival_date=datetime.date(2023, 7, 9))  # a chart
    cookies = {who: _session_cookie(user) for who, user in world["users"].items() if user is not None}
    counts: dict[str, dict[str, int]] = {}
    found: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            for language in LANGUAGES:
                for who in {page_who for _, page_who, _ in AXE_PAGES}:
                    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
                    context.add_init_script(path=str(AXE))
                    context.add_cookies([{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language,
                                          "url": live_server.url}])
                    if who is not None:
                        context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookies[who],
                                              "url": live_server.url}])
                    page = context.new_page()
                    page.set_default_timeout(15000)
                    for name, page_who, url_of in AXE_PAGES:
                        if page_who != who:
                            continue
                        response = page.goto(f"{live_server.url}{url_of(world)}", wait_until="load")
                        assert response is not None and response.status == 200, (name, language)
                        if name == "admin dashboard":
                            page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length >= 4")
                            page.screenshot(path=str(ARTIFACTS / f"dashboard-{language}.png"), full_page=True)
                        violations = _violations(page)
                        counts.setdefault(name, {})[language] = len(violations)
                        found += [f"{language} {name}: {v['id']} ({v['impact']}) {v['nodes']}" for v in violations]
                        if not name.startswith("admin"):  # the design system's controls, not the browser's
                            default = page.evaluate(DEFAULT_CONTROLS)
                            found += [f"{language} {name}: browser-default control {c}" for c in default]
                        if not name.startswith("admin"):  # on a phone the page is no wider than the screen
                            page.set_viewport_size({"width": 390, "height": 844})
                            width = page.evaluate("document.documentElement.scrollWidth")
                            if width > 391:
                                found.append(f"{language} {name}: {width} px wide on a 390 px phone")
                            page.set_viewport_size({"width": 1280, "height": 900})
                    context.close()
        finally:
            browser.close()
    (ARTIFACTS / "axe-counts.json").write_text(json.dumps(counts, indent=1, sort_keys=True, ensure_ascii=False))
    assert len(counts) == len(AXE_PAGES)
    assert found == []


@pytest.mark.browser
def test_keyboard_alone_skip_link_visible_focus_phone_menu_and_login(live_server, transactional_db, settings,
                                                                     chromium_path, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    for name, value in WORLD_SETTINGS.items():
        setattr(settings, name, value)
    cache.clear()
    world = build_world()
    participant = world["users"]["participant"]
    participant.set_password(PASSWORD)
    participant.save(update_fields=["password"])

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            for language in LANGUAGES:
                context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
                context.add_init_script(path=str(AXE))
                context.add_cookies([{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language,
                                      "url": live_server.url}])
                page = context.new_page()
                page.set_default_timeout(15000)
                page.goto(f"{live_server.url}/")

                # The first Tab reaches the skip link, shown on focus; Enter moves the focus to the content.
                page.keyboard.press("Tab")
                skip = page.locator(".skip-link")
                expect(skip).to_be_focused()
                assert skip.bounding_box()["y"] >= 0
                page.keyboard.press("Enter")
                expect(page.locator("main#content")).to_be_focused()

                # On a phone the menu folds behind a button that the keyboard opens and Escape closes.
                menu = page.locator("#site-menu")
                expect(menu).to_be_hidden()
                page.locator(".nav-toggle").focus()
                page.keyboard.press("Enter")
                expect(menu).to_be_visible()
                expect(page.locator(".nav-toggle")).to_have_attribute("aria-expanded", "true")
                page.keyboard.press("Escape")
                expect(menu).to_be_hidden()
                expect(page.locator(".nav-toggle")).to_be_focused()

                # Every control of the page shows its focus when reached by Tab.
                page.keyboard.press("Enter")
                seen = []
                for _ in range(25):
                    page.keyboard.press("Tab")
                    state = page.evaluate(FOCUS_VISIBLE)
                    if state is None:
                        break
                    seen.append(state)
                assert len(seen) >= 8
                assert [s for s in seen if not s["visible"]] == []

                # Log in with the keyboard alone: Tab to the fields, type, Enter.
                page.goto(f"{live_server.url}/accounts/login/?next=/register/")
                page.locator("input[name=login]").focus()
                page.keyboard.type(participant.email)
                page.keyboard.press("Tab")
                expect(page.locator("input[name=password]")).to_be_focused()
                page.keyboard.type(PASSWORD)
                page.keyboard.press("Enter")
                page.wait_for_url("**/register/")
                expect(page.locator(".registration-status")).to_be_visible()
                expect(page.locator(".messages .message")).to_be_visible()  # "Successfully signed in as…"
                assert _violations(page) == []  # on a phone, with a message shown
                context.close()
        finally:
            browser.close()
