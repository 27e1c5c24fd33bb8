"""The organizers' admin of check-in devices: made and changed through ``api.services.device_save``; an enrollment
code shown once as a QR code (segno) on a page of its own; the tokens listed with their last use and revoked at
once by an action. Tokens and scans are never edited or deleted here."""

from __future__ import annotations

import segno
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from conference.admin import RefusalAsMessageMixin
from sessions_app.models import Session

from .models import Device, DeviceScan, DeviceToken
from .services import device_save, device_token_revoke, enrollment_create


class DeviceForm(forms.ModelForm):
    class Meta:
        model = Device
        fields = ["conference", "name", "at_desk", "doors", "at_airport", "at_hotel", "shows_details", "shows_photos"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doors"].queryset = Session.objects.select_related("conference").order_by("starts_at", "pk")

    def clean(self):
        data = super().clean()
        conference, doors = data.get("conference"), data.get("doors")
        if conference is not None and doors and any(door.conference_id != conference.pk for door in doors):
            self.add_error("doors", _("Choose sessions of the device's conference."))
        return data


class DeviceTokenInline(admin.TabularInline):
    model = DeviceToken
    extra = 0
    can_delete = False
    fields = ["prefix", "label", "created_at", "last_used_at", "revoked_at", "revoked_by"]
    readonly_fields = fields
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Device)
class DeviceAdmin(RefusalAsMessageMixin, admin.ModelAdmin):
    form = DeviceForm
    list_display = ["name", "conference", "points", "active_tokens", "last_used", "created_at"]
    list_filter = ["conference"]
    search_fields = ["name"]
    list_select_related = ["conference"]
    filter_horizontal = ["doors"]
    readonly_fields = ["enrollment", "created_at", "created_by"]
    inlines = [DeviceTokenInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            active_token_count=Count("tokens", filter=Q(tokens__revoked_at__isnull=True)),
            last_token_use=Max("tokens__last_used_at"),
        )

    @admin.display(description=_("scan points"))
    def points(self, device: Device) -> str:
        names = [str(label) for on, label in ((device.at_desk, _("desk")), (device.at_airport, _("airport")),
                                              (device.at_hotel, _("hotel"))) if on]
        return ", ".join(names) or "—"

    @admin.display(description=_("active tokens"), ordering="active_token_count")
    def active_tokens(self, device: Device) -> int:
        return device.active_token_count

    @admin.display(description=_("last used"), ordering="last_token_use")
    def last_used(self, device: Device):
        return device.last_token_use or "—"

    @admin.display(description=_("enrollment"))
    def enrollment(self, device: Device):
        if device.pk is None:
            return gettext("Save the device first.")
        return format_html('<a class="button" href="{}">{}</a>', reverse("admin:api_device_enroll", args=[device.pk]),
                           gettext("Show an enrollment QR code"))

    def save_model(self, request, obj, form, change) -> None:
        device_save(obj, actor=request.user, doors=form.cleaned_data.get("doors", []))

    def save_related(self, request, form, formsets, change) -> None:
        # The doors were saved by device_save (audited); the token inline is read-only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # its tokens and scans are the record: revoke the tokens instead

    def get_urls(self):
        return [
            path("<int:device_id>/enroll/", self.admin_site.admin_view(self.enroll_view), name="api_device_enroll"),
            *super().get_urls(),
        ]

    def enroll_view(self, request, device_id: int):
        """GET: what the code does, and a button; POST: a new one-time code, shown once as a QR code."""
        device = get_object_or_404(Device.objects.select_related("conference"), pk=device_id)
        if not self.has_change_permission(request, device):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": Device._meta, "original": device,
                   "device": device, "title": gettext("Enroll %(name)s") % {"name": device.name}}
        if request.method == "POST":
            made = enrollment_create(device, actor=request.user)
            payload = made.qr_payload()
            context.update(
                code=made.code, enroll_url=payload.partition("#")[0], expires_at=made.enrollment.expires_at,
                qr=segno.make(payload, error="m").svg_data_uri(scale=5, border=4),
            )
        response = TemplateResponse(request, "admin/api/device/enroll.html", context)
        response["Cache-Control"] = "no-store"  # the code is shown once
        return response


@admin.register(DeviceToken)
class DeviceTokenAdmin(admin.ModelAdmin):
    list_display = ["device", "prefix", "label", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["device__conference", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["device__name", "prefix", "label"]
    list_select_related = ["device"]
    actions = ["revoke_selected"]
    readonly_fields = ["device", "enrollment", "prefix", "label", "created_at", "expires_at", "last_used_at",
                       "revoked_at", "revoked_by"]
    exclude = ["digest"]

    def has_add_permission(self, request) -> bool:
        return False  # a token is made by the device's enrollment

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens (at once)"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            device_token_revoke(token, actor=request.user)
        self.message_user(request, ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(tokens))
                          % {"count": len(tokens)}, messages.SUCCESS)


@admin.register(DeviceScan)
class DeviceScanAdmin(admin.ModelAdmin):
    list_display = ["received_at", "device", "point", "result", "participant", "scanned_at"]
    list_filter = ["point", "result", "device__conference"]
    list_select_related = ["device", "participant"]
    search_fields = ["nonce", "participant__last_name", "device__name"]
    readonly_fields = ["device", "nonce", "point", "session", "participant", "result", "scanned_at", "received_at"]
    exclude = ["answer"]
    date_hierarchy = "received_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
