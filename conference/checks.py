"""System checks run by every ``manage.py`` command and at start-up."""

from __future__ import annotations

from django.core import checks


@checks.register(checks.Tags.compatibility)
def check_harfbuzz_subset(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """PDFs need libharfbuzz-subset0: without it WeasyPrint silently renders about 5x slower."""
    from django.conf import settings

    from .pdf import HARFBUZZ_SUBSET_MESSAGE, harfbuzz_subset_available

    if harfbuzz_subset_available():
        return []
    hint = "Install the Debian/Ubuntu package libharfbuzz-subset0 (make syslibs does it)."
    if settings.DEBUG:
        # The embedded default still serves pages (make run on a machine where apt-get is not ours to run);
        # rendering a PDF raises the same message.
        return [checks.Warning(HARFBUZZ_SUBSET_MESSAGE, hint=hint, id="accord.W001")]
    return [checks.Error(HARFBUZZ_SUBSET_MESSAGE, hint=hint, id="accord.E001")]
