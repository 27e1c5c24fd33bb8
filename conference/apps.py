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
        self._connect_cache_drops()

    @staticmethod
    def _connect_cache_drops() -> None:
        """Drop the shared read caches (``conference.caching``) when what they hold is saved or deleted."""
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from registration.models import Participant
        from sessions_app.models import Room, Session, SessionRole

        from . import caching
        from .models import Conference, Delegation

        receivers = [
            (Conference, caching.on_conference_change),
            (Session, caching.on_programme_change),
            (Room, caching.on_programme_change),
            (Delegation, caching.on_programme_change),
            (SessionRole, caching.on_role_change),
            (Participant, caching.on_participant_change),
            (get_user_model(), caching.on_user_change),
        ]
        for model, receiver in receivers:
            for signal in (post_save, post_delete):
                signal.connect(receiver, sender=model, dispatch_uid=f"accord_cache_{model.__name__}_{id(signal)}")
