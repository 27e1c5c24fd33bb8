"""The organizers' admin for the core records: conferences (with their dashboard), delegations, the audit log."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from registration.enums import ParticipantCategory
from registration.models import Participant

from . import selectors
from .models import AuditLog, Conference, Delegation, EmailText, OutgoingEmail, Partner

admin.site.site_header = _("Accord administration")
admin.site.site_title = _("Accord administration")
admin.site.index_title = _("Conference administration")


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    fields = ["role", "name", "name_fr", "name_ar", "order"]


class EmailTextInline(admin.StackedInline):
    model = EmailText
    extra = 0
    fields = ["kind", "subject", "subject_fr", "subject_ar", "message", "message_fr", "message_ar"]


class ConferenceAdminForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("working languages"),
        choices=[("ar", _("Arabic")), ("fr", _("French")), ("en", _("English"))],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Conference
        fields = [
            "slug", "short_name", "name", "name_fr", "name_ar", "start_date", "end_date", "time_zone",
            "venue", "venue_fr", "venue_ar", "city", "city_fr", "city_ar", "country", "languages",
            "description", "description_fr", "description_ar", "registration_opens_at",
            "registration_closes_at", "registration_locked", "focal_points_may_approve", "contact_email",
            "badge_format",
        ]


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    form = ConferenceAdminForm
    list_display = ["short_name", "name", "start_date", "end_date", "city", "country", "dashboard_link"]
    search_fields = ["slug", "name", "name_fr", "name_ar", "short_name", "city"]
    list_filter = ["country", "registration_locked"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [PartnerInline, EmailTextInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["slug", "short_name", "name", "name_fr", "name_ar"]}),
        (_("Dates and place"), {
            "fields": [
                ("start_date", "end_date"), "time_zone", "venue", "venue_fr", "venue_ar",
                "city", "city_fr", "city_ar", "country", "languages",
            ],
        }),
        (_("Description"), {"fields": ["description", "description_fr", "description_ar"]}),
        (_("Registration"), {
            "fields": [
                ("registration_opens_at", "registration_closes_at"), "registration_locked",
                "focal_points_may_approve", "contact_email",
            ],
        }),
        (_("Badges"), {"fields": ["badge_format"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("dashboard"))
    def dashboard_link(self, obj: Conference) -> str:
        url = reverse("admin:conference_conference_dashboard", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Dashboard"))

    def get_urls(self):
        urls = [
            path(
                "<int:object_id>/dashboard/",
                self.admin_site.admin_view(self.dashboard_view),
                name="conference_conference_dashboard",
            ),
        ]
        return urls + super().get_urls()

    def dashboard_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        conference = get_object_or_404(Conference, pk=object_id)
        if not self.has_view_permission(request, conference):
            raise PermissionDenied
        counts = selectors.conference_dashboard(conference)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Dashboard: %(name)s") % {"name": conference.short_name or conference.name},
            "opts": self.model._meta,
            "original": conference,
            "conference": conference,
            "counts": counts,
        }
        return TemplateResponse(request, "admin/conference/conference/dashboard.html", context)


class ParticipantInline(admin.TabularInline):
    """A compact, read-only list of the delegation's members (edited in the participant admin)."""

    model = Participant
    fk_name = "delegation"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["name", "category", "status"]
    readonly_fields = ["name", "category", "status"]
    verbose_name_plural = _("members")

    @admin.display(description=_("name"))
    def name(self, obj: Participant) -> str:
        return obj.printed_name

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class DelegationAdminForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = [
            "conference", "code", "kind", "country", "organization", "organization_fr", "organization_ar",
            "focal_points", "head", "seat_quota", "category_quotas", "nominable_categories", "nomination_letter",
            "notes",
        ]

    nominable_categories = forms.MultipleChoiceField(
        label=_("categories focal points may nominate"),
        choices=ParticipantCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The categories in which this delegation's focal points may nominate members."),
    )

    def clean(self):
        cleaned = super().clean()
        head = cleaned.get("head")
        if head is not None and self.instance.pk and head.delegation_id != self.instance.pk:
            self.add_error("head", _("The head of delegation must be a member of this delegation."))
        if cleaned.get("seat_quota") is not None and cleaned["seat_quota"] < 0:
            self.add_error("seat_quota", _("The seat quota cannot be negative."))
        quotas = cleaned.get("category_quotas") or {}
        if not isinstance(quotas, dict) or any(
            not isinstance(value, int) or value < 0 for value in quotas.values()
        ):
            self.add_error("category_quotas", _('Give whole, non-negative numbers, for example {"delegate": 3}.'))
        return cleaned


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    form = DelegationAdminForm
    list_display = ["code", "display_name", "kind", "country", "conference", "participant_count", "seat_quota"]
    list_display_links = ["code", "display_name"]
    list_filter = ["conference", "kind", "country"]
    search_fields = ["code", "organization", "organization_fr", "organization_ar", "country"]
    list_select_related = ["conference"]
    autocomplete_fields = ["focal_points"]
    raw_id_fields = ["head"]
    inlines = [ParticipantInline]
    readonly_fields = ["nomination_letter_uploaded_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["conference", "code", "kind", "country"]}),
        (_("Organization"), {"fields": ["organization", "organization_fr", "organization_ar"]}),
        (_("People and seats"), {
            "fields": ["focal_points", "head", "seat_quota", "category_quotas", "nominable_categories"],
        }),
        (_("Paperwork"), {"fields": ["nomination_letter", "nomination_letter_uploaded_at", "notes"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(participant_total=Count("participants"))

    @admin.display(description=_("participants"), ordering="participant_total")
    def participant_count(self, obj: Delegation) -> int:
        return obj.participant_total

    @admin.display(description=_("delegation"))
    def display_name(self, obj: Delegation) -> str:
        return obj.display_name()


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "object_repr", "actor", "conference"]
    list_filter = ["action", "conference"]
    search_fields = ["object_repr"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "conference"]
    fields = ["created_at", "conference", "actor", "action", "content_type", "object_id", "object_repr", "changes"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Account e-mails and their outcome (failed ones first to look at); the bodies are never shown."""

    list_display = ["created_at", "template", "to", "status", "attempts", "sent_at", "failed_at"]
    list_filter = ["status", "template"]
    search_fields = ["to"]
    date_hierarchy = "created_at"
    fields = ["created_at", "template", "to", "subject", "language", "status", "attempts", "last_error",
              "sent_at", "failed_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
