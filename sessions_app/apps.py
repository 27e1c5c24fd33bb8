from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = _("Programme")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from conference.models import Conference, Delegation
        from registration.models import Participant

        from . import receivers
        from .models import Room, Session, SessionRole

        # The cached programme fingerprint is dropped when what the agenda shows changes (receivers.py).
        connections = [
            (Conference, receivers.on_conference_change),
            (Session, receivers.on_programme_change),
            (Room, receivers.on_programme_change),
            (Delegation, receivers.on_programme_change),
            (SessionRole, receivers.on_role_change),
            (Participant, receivers.on_participant_change),
        ]
        for model, receiver in connections:
            for signal in (post_save, post_delete):
                signal.connect(receiver, sender=model, dispatch_uid=f"sessions_app_fingerprint_{model.__name__}_{signal is post_save}")
