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
        from . import roles

        # The greeting's name and the focal-point role are looked up at login and kept on the session (roles.py).
        user_logged_in.connect(roles.on_user_logged_in, dispatch_uid="accord_roles")

        self._label_admin_time_zones()

        from django.db.models.signals import post_delete, post_save

        from . import receivers
        from .models import Conference

        # The cached current conference is dropped when a conference is saved or deleted (receivers.py).
        post_save.connect(receivers.on_conference_change, sender=Conference, dispatch_uid="conference_current_save")
        post_delete.connect(receivers.on_conference_change, sender=Conference, dispatch_uid="conference_current_delete")

    @staticmethod
    def _label_admin_time_zones() -> None:
        """Every admin date-and-time input says its time zone (``widgets.ZonedAdminSplitDateTime``).

        The admin registers its model admins when it is ready, before this app (``INSTALLED_APPS`` order); each
        keeps its ``formfield_overrides`` (Django's defaults merged with its own), where the date-and-time widget
        is replaced unless the model admin chose another.
        """
        from django.apps import apps
        from django.contrib import admin
        from django.contrib.admin.widgets import AdminSplitDateTime
        from django.db import models

        from .widgets import ZonedAdminSplitDateTime

        for model in apps.get_models():
            if not admin.site.is_registered(model):
                continue
            overrides = admin.site.get_model_admin(model).formfield_overrides.setdefault(models.DateTimeField, {})
            if overrides.get("widget", AdminSplitDateTime) is AdminSplitDateTime:
                overrides["widget"] = ZonedAdminSplitDateTime
