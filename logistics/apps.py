from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "logistics"
    verbose_name = _("Logistics")

    def ready(self) -> None:
        from registration.signals import participant_approved

        # forms: the travel and visa steps join the registration form; exports: the travel columns join its lists;
        # dashboard: the arrivals chart joins the organizers' dashboard.
        from . import dashboard, exports, forms, receivers

        participant_approved.connect(receivers.on_participant_approved, dispatch_uid="logistics_participant_approved")
        del dashboard, exports, forms
