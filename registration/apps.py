from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = _("Registration")

    def ready(self) -> None:
        from . import (
            forms,  # the form's own steps (form_steps.py) are added when forms.py is imported
            questions_exports,  # the answers' columns in the participant lists
        )

        del forms, questions_exports
