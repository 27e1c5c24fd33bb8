"""Shared pieces of the headless Chromium tests (Playwright): launch arguments, the allauth login, axe-core."""

from pathlib import Path

#: Debian's Chromium, headless in a container, without the background traffic a desktop browser makes.
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: The password tests' factories give every account.
PASSWORD = "correct-horse-battery"


def log_in(page, base_url: str, email: str, next_path: str, *, landing: str | None = None) -> None:
    """Log ``email`` in through allauth's login form and wait for ``landing`` (a URL glob; ``**next_path``)."""
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.account-form button[type=submit]").click()
    page.wait_for_url(landing or f"**{next_path}")


#: axe-core, vendored from npm (README): loaded into a page with ``context.add_init_script(path=str(AXE))``.
AXE = Path(__file__).resolve().parent / "assets" / "axe-core" / "axe.min.js"

_AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id} (${v.impact}) ${v.nodes.map(n => n.target.join(" ")).slice(0, 3)}`);
}"""


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as it is now, one line each: rule, impact and the first elements."""
    return list(page.evaluate(_AXE_RUN))
