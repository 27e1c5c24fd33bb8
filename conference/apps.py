from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferenceConfig(AppConfig):
    name = "conference"
    verbose_name = _("Conference")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers the system checks)
        from .middleware import on_user_logged_in

        # The saved language is looked up once at login and kept on the session (PreferredLanguageMiddleware).
        user_logged_in.connect(on_user_logged_in, dispatch_uid="accord_saved_language")
