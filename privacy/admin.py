"""The organizers' privacy admin: the read log (filters by conference, kind, place, reader, date), retention
policies (refused outside the deployment's floor and ceiling), purge records, privacy notices (published
versions are never edited: a change is a new version), consent changes, deletion requests (grant or refuse).

Every write goes through a service; the logs and records are read-only."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils.translation import gettext

from conference.services import AccordError

from .forms import RetentionPolicyForm
from .models import ConsentChange, DeletionRequest, PrivacyNotice, PurgeRecord, ReadLog, RetentionPolicy
from .services.notices import notice_publish
from .services.purge import retention_policy_set
from .services.requests import deletion_request_grant, deletion_request_refuse


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReadLog)
class ReadLogAdmin(ReadOnlyAdmin):
    list_display = ["read_at", "reader_name", "participant", "kind", "what", "where"]
    list_filter = ["conference", "kind", "where", ("reader", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "read_at"
    search_fields = ["reader_name", "participant__last_name", "participant__first_name", "participant__email", "what"]
    list_select_related = ["participant"]
    show_full_result_count = False


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    form = RetentionPolicyForm
    list_display = ["conference", "sensitive_days", "photos_days", "travel_hotel_days", "contacts_directory_days",
                    "rest_days", "automatic_purge"]
    list_select_related = ["conference"]

    def save_model(self, request, obj, form, change):
        days = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "conference"}
        try:
            saved = retention_policy_set(form.cleaned_data["conference"], actor=request.user, **days)
        except AccordError as error:  # the form's clean ran the same checks: a race at most
            raise PermissionDenied(str(error)) from error
        obj.pk = saved.pk


@admin.register(PurgeRecord)
class PurgeRecordAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "conference", "kind", "count", "files", "rule", "deletion_request"]
    list_filter = ["conference", "kind"]
    readonly_fields = ["conference", "kind", "rule", "count", "files", "details", "aggregates", "deletion_request",
                       "actor", "created_at"]
    list_select_related = ["conference"]

    def has_change_permission(self, request, obj=None) -> bool:
        # The change page shows the details and the aggregates, read-only.
        return obj is not None and request.user.has_perm("privacy.view_purgerecord")


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    list_display = ["conference", "version", "published_at"]
    list_filter = ["conference"]
    fields = ["conference", "text", "text_fr", "text_ar"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else []

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            saved = notice_publish(data["conference"], actor=request.user, text=data["text"],
                                   text_fr=data["text_fr"], text_ar=data["text_ar"])
        except AccordError as error:
            raise PermissionDenied(str(error)) from error
        obj.pk = saved.pk
        obj.version = saved.version


@admin.register(ConsentChange)
class ConsentChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "participant", "topic", "old_value", "new_value", "actor"]
    list_filter = ["participant__conference", "topic"]
    search_fields = ["participant__last_name", "participant__email"]
    list_select_related = ["participant", "actor"]


@admin.register(DeletionRequest)
class DeletionRequestAdmin(admin.ModelAdmin):
    """Answer a request from its page: "Grant" anonymizes the participant (aggregates kept), "Refuse" needs the
    reason typed in the form; both e-mail the participant."""

    list_display = ["created_at", "participant", "conference", "status", "decided_at"]
    list_filter = ["conference", "status"]
    fields = ["participant", "conference", "message", "status", "created_at", "decided_by", "decided_at", "reason"]
    readonly_fields = ["participant", "conference", "message", "status", "created_at", "decided_by", "decided_at"]
    list_select_related = ["participant", "conference"]
    change_form_template = "admin/privacy/deletionrequest/change_form.html"

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != "pending":
            return [*self.readonly_fields, "reason"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        """Nothing is saved by the form: the buttons call the services (see ``response_change``)."""

    def response_change(self, request, obj):
        original = DeletionRequest.objects.get(pk=obj.pk)
        try:
            if "_grant" in request.POST:
                deletion_request_grant(original, actor=request.user)
                self.message_user(request, gettext("The request is granted: the participant's data is anonymized."),
                                  messages.SUCCESS)
            elif "_refuse" in request.POST:
                deletion_request_refuse(original, actor=request.user, reason=request.POST.get("reason", ""))
                self.message_user(request, gettext("The request is refused; the participant is told why."),
                                  messages.SUCCESS)
        except AccordError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)
        return HttpResponseRedirect(request.path)
