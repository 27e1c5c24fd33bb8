from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        """Every installed app's ``privacy.py`` declares its models' personal fields in the one registry."""
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("privacy")
