from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnsiteConfig(AppConfig):
    name = "onsite"
    verbose_name = _("On site")

    def ready(self) -> None:
        from registration.signals import participant_approved, participant_changed

        from . import receivers

        participant_approved.connect(receivers.on_participant_approved, dispatch_uid="onsite_participant_approved")
        participant_changed.connect(receivers.on_participant_changed, dispatch_uid="onsite_participant_changed")

        from sessions_app.extensions import register_badge_resolver

        from .lookups import participant_id_for_badge_code

        # Apps beside onsite (cooperation's contact exchange) learn whose badge a scanned code is, never the token.
        register_badge_resolver(participant_id_for_badge_code)
