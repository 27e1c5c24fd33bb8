from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Cooperation")

    def ready(self) -> None:
        from sessions_app.extensions import register_agenda_provider

        from .selectors import agenda_items

        # Accepted bilateral meetings appear in their attendees' personal agendas and iCal feeds.
        register_agenda_provider(agenda_items)
