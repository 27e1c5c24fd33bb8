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

        from celery.signals import worker_process_init

        # A new Celery pool process lays out a sample badge before its first task.
        worker_process_init.connect(receivers.on_worker_process_init, dispatch_uid="onsite_pdf_warm_up")

        from sessions_app.extensions import register_badge_resolver

        from .lookups import participant_id_for_badge_code

        # Apps beside onsite (cooperation's contact exchange) learn whose badge a scanned code is, never the token.
        register_badge_resolver(participant_id_for_badge_code)

        from registration.status_panels import StatusPanel, add_status_panel

        from .documents.selectors import certificate_status_panel

        # The participant's status page links their own certificate of attendance once it is issued.
        add_status_panel(StatusPanel(key="certificate", template="onsite/documents/status_certificate.html",
                                     context=certificate_status_panel))
