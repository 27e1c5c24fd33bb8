"""Shared pieces of the headless Chromium tests (Playwright): launch arguments and the allauth login."""

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
