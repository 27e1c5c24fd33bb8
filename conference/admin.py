"""The organizers' admin for the core records: conferences, the audit log, the account e-mails.

The delegation admin (with its members) and the conference dashboard (participant counts) live in
``registration.admin``: they show participants, which ``conference`` does not import.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import languages, services
from .models import AuditLog, Conference, EmailText, Honorific, OutgoingEmail, Partner
from .selectors import delegations_by_name
from .services import AccordError, honorific_delete, honorific_save

# The dashboard is registration's admin page (it counts participants); named here by URL name only.
DASHBOARD_URL_NAME = "admin:registration_participant_dashboard"

admin.site.site_header = _("Accord administration")
admin.site.site_title = _("Accord administration")
admin.site.index_title = _("Conference administration")


class RefusalAsMessageMixin:
    """For a ModelAdmin whose writes go through services: a refusal (``AccordError``) raised while the change or
    delete page saves rolls the admin's transaction back (Django runs those views in one) and comes back as an
    error message on the page, instead of an error page. ``refused_delete_url`` says where a refused delete
    goes (by default the page it was asked on)."""

    def _refused(self, request, error: AccordError, url: str | None = None) -> HttpResponseRedirect:
        self.message_user(request, str(error), level=messages.ERROR)
        return HttpResponseRedirect(url or request.get_full_path())

    def refused_delete_url(self, request, object_id) -> str:
        return request.get_full_path()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except AccordError as error:
            return self._refused(request, error)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except AccordError as error:
            return self._refused(request, error, self.refused_delete_url(request, object_id))


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
        choices=languages.languages,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Conference
        fields = [
            "slug", "short_name", "name", "name_fr", "name_ar", "start_date", "end_date", "time_zone",
            "venue", "venue_fr", "venue_ar", "city", "city_fr", "city_ar", "country", "languages",
            "description", "description_fr", "description_ar", "registration_opens_at",
            "registration_closes_at", "registration_locked", "focal_points_may_approve", "contact_email",
            "badge_format", "visa_signatory_name", "visa_signatory_name_fr", "visa_signatory_name_ar",
            "visa_signatory_title", "visa_signatory_title_fr", "visa_signatory_title_ar",
        ]


@admin.register(Conference)
class ConferenceAdmin(RefusalAsMessageMixin, admin.ModelAdmin):
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
        (_("Visa support letters"), {"fields": [
            "visa_signatory_name", "visa_signatory_name_fr", "visa_signatory_name_ar",
            "visa_signatory_title", "visa_signatory_title_fr", "visa_signatory_title_ar",
        ]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("dashboard"))
    def dashboard_link(self, obj: Conference) -> str:
        url = reverse(DASHBOARD_URL_NAME, args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Dashboard"))

    def get_urls(self):
        urls = [
            path(
                "<int:object_id>/dashboard/",
                self.admin_site.admin_view(self.dashboard_redirect),
                name="conference_conference_dashboard",
            ),
        ]
        return urls + super().get_urls()

    def dashboard_redirect(self, request: HttpRequest, object_id: int) -> HttpResponseRedirect:
        """The dashboard's former address: it moved to the participant admin."""
        return HttpResponseRedirect(reverse(DASHBOARD_URL_NAME, args=[object_id]))

    # Writes go through ``conference.services`` (checks, audit entries); a refusal there is shown as a message
    # (RefusalAsMessageMixin).

    def save_model(self, request, obj: Conference, form, change):
        services.conference_save(obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        saved = formset.save(commit=False)
        services.conference_records_save(
            form.instance, actor=request.user, saved=saved, deleted=list(formset.deleted_objects)
        )
        formset.save_m2m()

    def delete_model(self, request, obj: Conference):
        services.conference_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # all or none
            for conference in queryset:
                services.conference_delete(conference, actor=request.user)


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


class DelegationNameFilter(admin.RelatedFieldListFilter):
    """The "By delegation" filter of a changelist, listed by the delegation's name in the page's language."""

    def field_choices(self, field, request, model_admin):
        delegations = field.remote_field.model.objects.complex_filter(field.get_limit_choices_to())
        # The list narrowed to one conference (its "By conference" filter): that conference's delegations only,
        # not every delegation of every meeting of the year.
        conference_id = request.GET.get("conference__id__exact", "")
        if conference_id.isdigit():
            delegations = delegations.filter(conference_id=conference_id)
        return [(delegation.pk, delegation.display_name()) for delegation in delegations_by_name(delegations)]



@admin.register(Honorific)
class HonorificAdmin(admin.ModelAdmin):
    """The titles printed before names (badges, visa letters, lists), per language and gender.

    Each language has a plain form, printed when the gender is not given, and optional forms for men and women
    where the language inflects ("القاضي" / "القاضية", "M. le juge" / "Mme la juge"). Saved through
    ``conference.services.honorific_save`` (audited)."""

    list_display = ["code", "en", "fr", "fr_female", "ar", "ar_female", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["code", "en", "fr", "ar"]
    fieldsets = [
        (None, {"fields": ["conference", "code"]}),
        (_("English"), {"fields": [("en", "en_male", "en_female")]}),
        (_("French"), {"fields": [("fr", "fr_male", "fr_female")]}),
        (_("Arabic"), {"fields": [("ar", "ar_male", "ar_female")]}),
    ]

    def save_model(self, request, obj, form, change):
        try:
            honorific_save(obj, actor=request.user)
        except AccordError as error:  # the form's checks passed, then the service refused: nothing saved
            self.message_user(request, str(error), level=messages.ERROR)

    def delete_model(self, request, obj):
        honorific_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for honorific in queryset:
            honorific_delete(honorific, actor=request.user)
