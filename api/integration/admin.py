"""The organizers' admin of the integration tokens: made through the service (the token shown once on the page
that answers the form, never stored or sent in a message), listed with their last use, revoked by an action.
Rows are never edited or deleted: a token is revoked, and its row stays as the record of who could read what."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from conference.admin import RefusalAsMessageMixin

from .enums import IntegrationScope
from .models import IntegrationToken
from .services import integration_token_create, integration_token_revoke


class IntegrationTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=IntegrationScope.choices, widget=forms.CheckboxSelectMultiple,
        initial=IntegrationScope.values,
    )

    class Meta:
        model = IntegrationToken
        fields = ["conference", "user", "delegation", "name", "scopes", "expires_at"]
        help_texts = {
            "user": _("An organizer's account (reads the whole conference) or a focal point's (choose its delegation)."),
            "delegation": _("Only for a focal point's token: the one delegation it reads."),
            "name": _("What the token is for, e.g. the system that uses it."),
            "expires_at": _("Empty: in 90 days. At most a year."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:  # the add form (a made token's page shows its values read-only)
            self.fields["user"].queryset = get_user_model().objects.filter(is_active=True).order_by("email")


@admin.register(IntegrationToken)
class IntegrationTokenAdmin(RefusalAsMessageMixin, admin.ModelAdmin):
    form = IntegrationTokenForm
    list_display = ["name", "prefix", "user", "conference", "delegation", "scopes", "created_at", "expires_at",
                    "last_used_at", "revoked_at"]
    list_filter = ["conference", "revoked_at"]
    search_fields = ["name", "prefix", "user__email"]
    list_select_related = ["user", "conference", "delegation"]
    actions = ["revoke_selected"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at", "revoked_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["conference", "user", "delegation", "name", "scopes", "prefix", "created_at", "created_by",
                "expires_at", "last_used_at", "revoked_at", "revoked_by"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["conference", "user", "delegation", "name", "scopes", "expires_at"]
        return self.get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return  # every field is read-only once made: nothing to save
        data = form.cleaned_data
        created = integration_token_create(
            conference=data["conference"], user=data["user"], delegation=data.get("delegation"),
            name=data["name"], scopes=data["scopes"],
            expires_at=data.get("expires_at"), actor=request.user,
        )
        obj.pk = created.row.pk
        obj.prefix = created.row.prefix
        obj._state.adding = False
        request._integration_token = created  # shown by response_add, on this response only

    def save_related(self, request, form, formsets, change) -> None:
        pass  # no relation beyond the row the service wrote

    def log_addition(self, request, obj, message):
        pass  # the service wrote the audit entry

    def response_add(self, request, obj, post_url_continue=None):
        created = request._integration_token
        response = TemplateResponse(request, "admin/api/integrationtoken/created.html", {
            **self.admin_site.each_context(request), "opts": self.opts, "title": _("Token created"),
            "row": created.row, "token": created.token,
        })
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        revoked = sum(integration_token_revoke(token, actor=request.user) for token in queryset)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked) % {"count": revoked},
            messages.SUCCESS,
        )
