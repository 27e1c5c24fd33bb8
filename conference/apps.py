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

        from django.db.models.signals import post_delete, post_save

        from . import receivers
        from .models import Conference

        # The cached current conference is dropped when a conference is saved or deleted (receivers.py).
        post_save.connect(receivers.on_conference_change, sender=Conference, dispatch_uid="conference_current_save")
        post_delete.connect(receivers.on_conference_change, sender=Conference, dispatch_uid="conference_current_delete")
