from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The machine interface: check-in devices (enrollment, scans, the offline list) and the read-only integration
    API, under ``/api/v1/``. The top layer beside ``demo``: it calls the other apps' services and selectors, and no
    app imports it."""

    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        # drf-spectacular learns how our bearer tokens authenticate (the schema's security schemes).
        from . import schema  # noqa: F401
