"""The organizers' admin for registration: participants (decisions, audit trail) and invitations.

Writes go through the services: admin actions and forms call ``participant_*`` / ``invitation_*``.
Only staff reach the admin (focal points without ``is_staff`` use their portal). Other apps add their own
inlines and actions to the participant's pages through ``add_participant_inline`` and ``add_participant_action``
(logistics: travel, visa letter and the restricted passport data).
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ORDER_VAR
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from conference.admin import DelegationNameFilter, RefusalAsMessageMixin
from conference.models import AuditLog, Conference, Delegation
from conference.services import AccordError, audit_record

from . import exports, selectors
from .enums import ParticipantCategory
from .imports import MAX_BYTES, invitations_check, invitations_import
from .models import (
    Invitation,
    InvitationSendAttempt,
    Participant,
    ParticipantNotice,
)
from .questions_selectors import choice_counts
from .services.delegations import delegation_delete, delegation_problems, delegation_save
from .services.invitations import (
    invitation_check_available,
    invitation_create,
    invitation_resend,
    invitation_revoke,
    invitations_for_participants,
)
from .services.participants import (
    normalize_email,
    participant_create,
    participant_update,
    participants_approve,
    participants_cancel,
    participants_reject,
)

# Participants -------------------------------------------------------------------------------------


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the participants)"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        max_length=2000,
    )

    def __init__(self, *args, reason_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


PARTICIPANT_READONLY = [
    "public_id", "status", "status_reason", "source", "photo", "submitted_at", "decided_at", "decided_by",
    "endorsed_at", "endorsed_by", "checked_in_at", "checked_in_by", "created_at", "updated_at", "audit_history", "notices_sent",
]


class ConferenceCountryFilter(CountryFilter):
    """django-countries' nationality filter; with the list narrowed to one conference, only the nationalities of
    that conference's participants (not a DISTINCT over every participant of every meeting)."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.conference_id = request.GET.get("conference__id__exact", "")
        super().__init__(field, request, params, model, model_admin, field_path)

    def lookup_choices(self, changelist):
        if not self.conference_id.isdigit():
            yield from super().lookup_choices(changelist)
            return
        codes = set(
            Participant.objects.filter(conference_id=self.conference_id)
            .order_by()
            .values_list(self.field_path, flat=True)
            .distinct()
        )
        for code, name in self.field.get_choices(include_blank=False):
            if code in codes:
                yield code, name


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = [
        "display_name", "badge_name_ar_display", "delegation_code", "category", "status", "email", "checked_in",
    ]
    list_filter = [
        "conference", ("delegation", DelegationNameFilter), "delegation__kind", "category", "status",
        ("nationality", ConferenceCountryFilter),
        "gender", ("endorsed_at", admin.EmptyFieldListFilter),
    ]
    # The search box; what it finds is get_search_results' (names accent- and form-insensitive, ranked).
    search_fields = ["search_name", "email", "delegation__code"]
    search_help_text = _("Names in Latin or Arabic script (accents and hamza forms do not matter), e-mail or "
                         "delegation code.")
    date_hierarchy = "created_at"
    list_select_related = ["delegation", "conference"]
    list_per_page = 100
    # No count of every participant of every conference on each page (Django's advice for large tables).
    show_full_result_count = False
    ordering = ["last_name", "first_name", "id"]
    autocomplete_fields = ["user"]
    raw_id_fields = ["delegation"]
    readonly_fields = PARTICIPANT_READONLY
    actions = ["approve_selected", "reject_selected", "cancel_selected", "invite_selected",
               "invite_selected_as_focal_points", "export_csv", "export_xlsx"]
    fieldsets = [
        (None, {"fields": ["conference", "delegation", "category", "email", "user", "public_id"]}),
        (_("Decision"), {"fields": ["status", "status_reason", "source", "submitted_at", "endorsed_at",
                                    "endorsed_by", "decided_at", "decided_by"]}),
        (_("Identity"), {"fields": [
            "title", "first_name", "last_name", "badge_name", "badge_name_ar", "gender", "position",
            "organization", "phone", "nationality", "preferred_language", "languages_spoken", "photo",
        ]}),
        (_("Needs and consents"), {"fields": [
            "dietary_needs", "accessibility_needs", "consent_privacy_at", "consent_directory", "consent_photos",
        ]}),
        (_("Check-in"), {"fields": ["checked_in_at", "checked_in_by"]}),
        (_("History"), {"fields": ["notices_sent", "audit_history", "created_at", "updated_at"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        """Names through ``selectors.participants_search`` (exact matches first unless a column is sorted),
        each word also an e-mail part or a delegation code."""
        if not search_term.strip():
            return queryset, False
        found = selectors.participants_search(
            queryset,
            search_term,
            word_also=lambda word: Q(email__icontains=word) | Q(delegation__code__iexact=word),
            ranked=ORDER_VAR not in request.GET,
        )
        return found, False

    # -- list columns ---------------------------------------------------------------------------

    @admin.display(description=_("name"), ordering="last_name")
    def display_name(self, obj: Participant) -> str:
        return obj.full_name or obj.email

    @admin.display(description=_("name on badge (Arabic)"), ordering="badge_name_ar")
    def badge_name_ar_display(self, obj: Participant) -> str:
        return format_html('<bdi dir="rtl" lang="ar">{}</bdi>', obj.badge_name_ar) if obj.badge_name_ar else "—"

    @admin.display(description=_("delegation"), ordering="delegation__code")
    def delegation_code(self, obj: Participant) -> str:
        return obj.delegation.code if obj.delegation else "—"

    @admin.display(description=_("checked in"), boolean=True, ordering="checked_in_at")
    def checked_in(self, obj: Participant) -> bool:
        return obj.checked_in_at is not None

    # -- change page: audit trail, e-mails, passport data ----------------------------------------

    @admin.display(description=_("audit log"))
    def audit_history(self, obj: Participant) -> str:
        if obj is None or obj.pk is None:
            return "—"
        entries = (
            AuditLog.objects.filter(content_type__app_label="registration", content_type__model="participant",
                                    object_id=str(obj.pk))
            .select_related("actor")
            .order_by("-created_at", "-id")[:200]
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            (
                (
                    timezone.localtime(entry.created_at, obj.conference.tz).strftime("%Y-%m-%d %H:%M"),
                    entry.actor.get_username() if entry.actor else "—",
                    entry.action,
                    Truncator(_format_changes(entry.changes)).chars(400),
                )
                for entry in entries
            ),
        )
        if not rows:
            return gettext("No entries.")
        return format_html(
            '<table class="audit-log"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            gettext("When"), gettext("Who"), gettext("Action"), gettext("Changes"), rows,
        )

    @admin.display(description=_("e-mails"))
    def notices_sent(self, obj: Participant) -> str:
        if obj is None or obj.pk is None:
            return "—"
        notices = ParticipantNotice.objects.filter(participant=obj).order_by("-created_at")[:50]
        rows = format_html_join(
            "",
            "<li>{} — {} {}</li>",
            (
                (
                    notice.get_kind_display(),
                    gettext("sent %(when)s") % {"when": timezone.localtime(notice.sent_at).strftime("%Y-%m-%d %H:%M")}
                    if notice.sent_at else gettext("not sent"),
                    f"({notice.last_error})" if notice.last_error else "",
                )
                for notice in notices
            ),
        )
        return format_html("<ul>{}</ul>", rows) if rows else "—"

    inlines_added: list = []  # filled by add_participant_inline

    def get_inlines(self, request, obj):
        # Each added inline says itself who may see it (has_view_permission); the new-participant page has none.
        return list(self.inlines_added) if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        """Nobody deletes a participant here: the rows behind check-ins, prints, meetings and the audit trail stay.
        A registration is cancelled (the decision actions); personal data goes through the privacy app's deletion
        request or the retention purge, which anonymize and keep the aggregates."""
        return False

    def save_model(self, request, obj: Participant, form, change):
        model_fields = {f.name for f in Participant._meta.concrete_fields}
        if change:
            original = Participant.objects.select_related("conference").get(pk=obj.pk)
            fields = {name: getattr(obj, name) for name in form.changed_data if name in model_fields}
            try:
                participant_update(original, actor=request.user, **fields)
            except AccordError as exc:
                raise PermissionDenied(str(exc)) from exc
            return
        values = {name: getattr(obj, name) for name in form.changed_data
                  if name in model_fields and name not in {"conference", "email", "delegation", "category", "user"}}
        created = participant_create(
            obj.conference, email=obj.email, actor=request.user, delegation=obj.delegation,
            category=obj.category, user=obj.user, **values,
        )
        obj.pk, obj.public_id = created.pk, created.public_id
        obj._state.adding, obj._state.db = False, created._state.db

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class ValidatedForm(form):
            def clean(self):
                cleaned = super().clean()
                email = cleaned.get("email")
                conference = cleaned.get("conference") or getattr(self.instance, "conference", None)
                delegation = cleaned.get("delegation")
                if email:
                    try:
                        cleaned["email"] = normalize_email(email)
                    except AccordError as exc:
                        self.add_error("email", str(exc))
                if conference and delegation and delegation.conference_id != conference.pk:
                    self.add_error("delegation", gettext("The delegation belongs to another conference."))
                if conference and cleaned.get("email"):
                    clash = Participant.objects.filter(conference=conference, email__iexact=cleaned["email"])
                    if self.instance.pk:
                        clash = clash.exclude(pk=self.instance.pk)
                    if clash.exists():
                        self.add_error("email", gettext(
                            "A participant with this e-mail address is already registered for this conference."))
                return cleaned

            def validate_unique(self):  # the service reports the per-conference uniqueness clearly
                return None

        ValidatedForm.__name__ = form.__name__
        return ValidatedForm

    def get_readonly_fields(self, request, obj=None):
        return [*PARTICIPANT_READONLY, "conference"] if obj is not None else PARTICIPANT_READONLY

    # -- the organizers' dashboard: counts for one conference ------------------------------------

    def get_urls(self):
        urls = [
            path(
                "dashboard/<int:conference_id>/",
                self.admin_site.admin_view(self.dashboard_view),
                name="registration_participant_dashboard",
            ),
        ]
        return urls + super().get_urls()

    def dashboard_view(self, request: HttpRequest, conference_id: int) -> HttpResponse:
        """Participants per delegation, category, status and gender (the conference list and form link here)."""
        conference = get_object_or_404(Conference, pk=conference_id)
        if not self.has_view_permission(request):
            raise PermissionDenied
        counts = selectors.conference_dashboard(conference)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Dashboard: %(name)s") % {"name": conference.short_name or conference.name},
            "opts": Conference._meta,
            "original": conference,
            "conference": conference,
            "counts": counts,
            "charts": selectors.dashboard_charts(conference, counts),
            "question_counts": choice_counts(conference),
        }
        return TemplateResponse(request, "admin/registration/participant/dashboard.html", context)

    # -- bulk actions -----------------------------------------------------------------------------

    def _decision_action(self, request, queryset, *, verb: str, bulk, reason_required: bool, title):
        if not request.user.has_perm("registration.change_participant"):
            raise PermissionDenied
        form = DecisionForm(request.POST if "apply" in request.POST else None, reason_required=reason_required)
        if "apply" in request.POST and form.is_valid():
            try:
                result = bulk(queryset.select_related("conference"), actor=request.user,
                              reason=form.cleaned_data["reason"])
            except AccordError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return None
            if result.done:
                self.message_user(
                    request,
                    ngettext("%(count)d participant %(verb)s.", "%(count)d participants %(verb)s.",
                             len(result.done)) % {"count": len(result.done), "verb": verb},
                    messages.SUCCESS,
                )
            if result.not_submitted:
                count = len(result.not_submitted)
                self.message_user(request, ngettext(
                    "%(count)d participant skipped: they have not submitted their registration yet.",
                    "%(count)d participants skipped: they have not submitted their registration yet.", count,
                ) % {"count": count}, messages.WARNING)
            for participant, reason in result.skipped[:20]:
                self.message_user(request, f"{participant}: {reason}", messages.WARNING)
            if len(result.skipped) > 20:
                more = len(result.skipped) - 20
                self.message_user(request, ngettext("%(count)d more participant skipped.",
                                                    "%(count)d more participants skipped.", more)
                                  % {"count": more}, messages.WARNING)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "form": form,
            "participants": queryset.select_related("delegation")[:500],
            "count": queryset.count(),
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action": request.POST.get("action"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "query_string": request.GET.urlencode(),
        }
        return TemplateResponse(request, "admin/registration/participant/decision.html", context)

    @admin.action(description=_("Approve selected participants"), permissions=["change"])
    def approve_selected(self, request, queryset):
        return self._decision_action(request, queryset, verb=gettext("approved"), bulk=participants_approve,
                                     reason_required=False, title=gettext("Approve participants"))

    @admin.action(description=_("Reject selected participants (with a reason)"), permissions=["change"])
    def reject_selected(self, request, queryset):
        return self._decision_action(request, queryset, verb=gettext("rejected"), bulk=participants_reject,
                                     reason_required=True, title=gettext("Reject participants"))

    @admin.action(description=_("Cancel selected registrations"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        return self._decision_action(request, queryset, verb=gettext("cancelled"), bulk=participants_cancel,
                                     reason_required=False, title=gettext("Cancel registrations"))

    @admin.action(description=_("Send an invitation to the selected (without account)"), permissions=["change"])
    def invite_selected(self, request, queryset):
        self._invite(request, queryset, as_focal_point=False)

    @admin.action(description=_("Invite the selected as focal points of their delegations"), permissions=["change"])
    def invite_selected_as_focal_points(self, request, queryset):
        self._invite(request, queryset.filter(delegation__isnull=False), as_focal_point=True)

    def _invite(self, request, queryset, *, as_focal_point: bool):
        result = invitations_for_participants(queryset.select_related("conference", "delegation"),
                                              inviter=request.user, as_focal_point=as_focal_point)
        queued = len(result.created)
        self.message_user(request, ngettext("%(count)d invitation queued.", "%(count)d invitations queued.", queued)
                          % {"count": queued}, messages.SUCCESS)
        for email, reason in result.skipped[:20]:
            self.message_user(request, f"{email}: {reason}", messages.WARNING)

    def _export(self, request, queryset, *, fmt: str) -> HttpResponse:
        audit_record(actor=request.user, action="participant.export", conference=None,
                     changes={"format": fmt, "count": queryset.count()})
        exports.export_reads_record(queryset, reader=request.user)
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        if fmt == "csv":
            response = HttpResponse(exports.participants_csv(queryset, user=request.user),
                                    content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                exports.participants_xlsx(queryset, user=request.user),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="participants-{stamp}.{fmt}"'
        return response

    @admin.action(description=_("Export selected (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self._export(request, queryset, fmt="csv")

    @admin.action(description=_("Export selected (Excel)"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return self._export(request, queryset, fmt="xlsx")


def _format_changes(changes) -> str:
    if not changes:
        return ""
    parts = []
    for key, value in changes.items():
        if isinstance(value, dict) and set(value) == {"old", "new"}:
            parts.append(f"{key}: {value['old']!s} → {value['new']!s}")
        else:
            parts.append(f"{key}: {value!s}")
    return "; ".join(parts)


# Invitations --------------------------------------------------------------------------------------


# -- delegations (a core record of ``conference``, administered here with its members) ---------


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
        # The service's own checks, shown by field before anything is saved.
        probe = Delegation(
            pk=self.instance.pk, head=cleaned.get("head"), seat_quota=cleaned.get("seat_quota"),
            category_quotas=cleaned.get("category_quotas"),
        )
        for field, message in delegation_problems(probe):
            self.add_error(field if field in self.fields else None, message)
        return cleaned


@admin.register(Delegation)
class DelegationAdmin(RefusalAsMessageMixin, admin.ModelAdmin):
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

    # Writes go through ``registration.services.delegations`` (checks, audit entry); a refusal there is shown
    # as a message (RefusalAsMessageMixin), a refused delete back on the delegation's page.

    def save_model(self, request, obj: Delegation, form, change):
        delegation_save(obj, actor=request.user, focal_points=form.cleaned_data.get("focal_points"))

    def save_related(self, request, form, formsets, change):
        # The focal points (the form's only many-to-many field) were set by the service with the delegation.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def refused_delete_url(self, request, object_id) -> str:
        return reverse("admin:conference_delegation_change", args=[object_id])

    def delete_model(self, request, obj: Delegation):
        delegation_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # all or none
            for delegation in queryset:
                delegation_delete(delegation, actor=request.user)


class InvitationAddForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["conference", "delegation", "email", "first_name", "last_name", "category", "language",
                  "as_focal_point"]

    def clean(self):
        cleaned = super().clean()
        conference, delegation, email = cleaned.get("conference"), cleaned.get("delegation"), cleaned.get("email")
        if email:
            try:
                cleaned["email"] = email = normalize_email(email)
            except AccordError as exc:
                self.add_error("email", str(exc))
                email = None
        if conference and delegation and delegation.conference_id != conference.pk:
            self.add_error("delegation", gettext("The delegation belongs to another conference."))
        if cleaned.get("as_focal_point") and not delegation:
            self.add_error("delegation", gettext("A focal point must be invited for a delegation."))
        if conference and email:
            try:
                invitation_check_available(conference, email)
            except AccordError as exc:
                self.add_error("email", str(exc))
        return cleaned


class ImportUploadForm(forms.Form):
    conference = forms.ModelChoiceField(queryset=Conference.objects.all(), label=_("conference"))
    file = forms.FileField(label=_("spreadsheet (.csv in UTF-8, or .xlsx)"),
                           help_text=_("Columns: email, first_name, last_name, delegation (code), category, "
                                       "language (ar, fr or en)."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(gettext("The file is too large."))
        return upload


IMPORT_CACHE_SECONDS = 3600


class InvitationAddRefused(AccordError):
    """The invitation service refused an add form that had passed its checks (a concurrent add won)."""


class InvitationSendAttemptInline(admin.TabularInline):
    """Every try at e-mailing the invitation: a failed one may still have reached the invitee (same link)."""

    model = InvitationSendAttempt
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["started_at", "finished_at", "generation", "outcome", "error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    add_form = InvitationAddForm
    list_display = [
        "email", "name", "delegation_code", "category", "language", "as_focal_point", "status", "sent_at",
        "opened_at", "used_at", "send_count", "error", "expires_at",
    ]
    list_filter = ["conference", "status", "language", "category", "as_focal_point", "delegation__kind",
                   ("delegation", DelegationNameFilter)]
    search_fields = ["email", "first_name", "last_name", "delegation__code"]
    list_select_related = ["delegation", "conference"]
    date_hierarchy = "created_at"
    list_per_page = 100
    actions = ["resend_invitations", "revoke_invitations"]
    raw_id_fields = ["delegation"]
    change_list_template = "admin/registration/invitation/change_list.html"

    @admin.display(description=_("name"))
    def name(self, obj: Invitation) -> str:
        return " ".join(p for p in (obj.first_name, obj.last_name) if p) or "—"

    @admin.display(description=_("delegation"), ordering="delegation__code")
    def delegation_code(self, obj: Invitation) -> str:
        return obj.delegation.code if obj.delegation else "—"

    @admin.display(description=_("last sending error"))
    def error(self, obj: Invitation) -> str:
        return Truncator(obj.last_error).chars(80) if obj.last_error else ""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return list(InvitationAddForm.Meta.fields)
        return [
            "conference", "delegation", "email", "first_name", "last_name", "category", "language",
            "as_focal_point", "status", "expires_at", "inviter", "participant", "sent_at", "opened_at", "used_at",
            "revoked_at", "send_count", "attempts", "last_error", "created_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj is not None else []

    def get_inlines(self, request, obj):
        return [InvitationSendAttemptInline] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return  # invitations change only through resend/revoke
        data = form.cleaned_data
        try:
            created = invitation_create(
                data["conference"], email=data["email"], delegation=data.get("delegation"),
                category=data["category"], language=data["language"], first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""), as_focal_point=data.get("as_focal_point", False),
                inviter=request.user,
            )
        except AccordError as exc:
            # The form's checks passed, then the service refused: another organizer's invitation for the same
            # address committed in between (the database keeps one active invitation per address).
            raise InvitationAddRefused(str(exc)) from exc
        obj.pk = created.pk
        obj._state.adding, obj._state.db = False, created._state.db

    def add_view(self, request, form_url="", extra_context=None):
        """The add form; when the service refuses after the form's checks, the form again with the reason.

        The refused attempt is rolled back whole (the admin's transaction). Validating the same data again
        now sees the invitation that won, and the form shows why (an invitation for this address exists).
        """
        try:
            return super().add_view(request, form_url, extra_context)
        except InvitationAddRefused:
            pass
        try:
            return super().add_view(request, form_url, extra_context)
        except InvitationAddRefused as refused:  # the winner was withdrawn and another came in meanwhile
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def _bulk(self, request, queryset, service, done_message: Callable[[int], str]):
        done = 0
        for invitation in queryset:
            try:
                service(invitation, actor=request.user)
                done += 1
            except AccordError as exc:
                self.message_user(request, f"{invitation.email}: {exc}", messages.WARNING)
        if done:
            self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Resend selected invitations (new link)"), permissions=["change"])
    def resend_invitations(self, request, queryset):
        self._bulk(request, queryset, invitation_resend, lambda n: ngettext(
            "%(count)d invitation queued for sending.", "%(count)d invitations queued for sending.", n))

    @admin.action(description=_("Revoke selected invitations"), permissions=["change"])
    def revoke_invitations(self, request, queryset):
        self._bulk(request, queryset, invitation_revoke, lambda n: ngettext(
            "%(count)d invitation revoked.", "%(count)d invitations revoked.", n))

    # -- spreadsheet import -------------------------------------------------------------------------

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="registration_invitation_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload → dry-run report → confirm. The file waits in the cache, bound to the user, for an hour."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": gettext("Import invitations")}
        if request.method == "POST" and "confirm" in request.POST:
            key = request.POST.get("upload", "")
            stored = cache.get(_import_cache_key(request, key)) if key.isalnum() else None
            conference = Conference.objects.filter(pk=(stored or {}).get("conference")).first()
            if not stored or conference is None:
                self.message_user(request, gettext("The uploaded file has expired; upload it again."),
                                  messages.ERROR)
                return HttpResponseRedirect(reverse("admin:registration_invitation_import"))
            report = invitations_import(conference, base64.b64decode(stored["content"]), stored["filename"],
                                        inviter=request.user, dry_run=False)
            cache.delete(_import_cache_key(request, key))
            if report.is_valid and report.created:
                self.message_user(request, ngettext("%(count)d invitation created; the e-mail is on its way.",
                                                    "%(count)d invitations created; the e-mails are on their way.",
                                                    report.created)
                                  % {"count": report.created}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:registration_invitation_changelist"))
            context.update({"report": report, "conference": conference, "form": ImportUploadForm()})
            return TemplateResponse(request, "admin/registration/invitation/import.html", context, status=400)

        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            conference = form.cleaned_data["conference"]
            report = invitations_check(conference, content, upload.name)
            context.update({"report": report, "conference": conference})
            if report.is_valid:
                key = secrets.token_hex(16)
                cache.set(_import_cache_key(request, key), {
                    "content": base64.b64encode(content).decode(), "filename": upload.name,
                    "conference": conference.pk,
                }, IMPORT_CACHE_SECONDS)
                context["upload"] = key
            context["form"] = ImportUploadForm()
            return TemplateResponse(request, "admin/registration/invitation/import.html", context,
                                    status=200 if report.is_valid else 400)
        context["form"] = form
        return TemplateResponse(request, "admin/registration/invitation/import.html", context)


def _import_cache_key(request: HttpRequest, key: str) -> str:
    return f"invitation-import:{request.user.pk}:{key}"


def add_participant_inline(inline):
    """The extension point of the participant's change page: another app adds an inline (logistics: travel and
    hotel, visa letter, passport data) from its own admin.py. The inline checks its own permissions and writes
    through its app's services (its formset's ``save``)."""
    if inline not in ParticipantAdmin.inlines_added:
        ParticipantAdmin.inlines_added = [*ParticipantAdmin.inlines_added, inline]
    return inline


def add_participant_action(action):
    """The extension point of the participants' changelist: another app adds an admin action on participants
    (onsite: render their badges; logistics: issue their visa letters) from its own admin.py, without registration importing it."""
    if action not in ParticipantAdmin.actions:
        ParticipantAdmin.actions = [*ParticipantAdmin.actions, action]
    return action


# The organizers' registration questions (their admin, the answers inline, the list filter).
from . import admin_questions  # noqa: E402

add_participant_inline(admin_questions.AnswerInline)
ParticipantAdmin.list_filter = [*ParticipantAdmin.list_filter, admin_questions.QuestionAnswerFilter]
