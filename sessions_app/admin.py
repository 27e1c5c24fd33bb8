"""The organizers' admin for the programme: rooms, sessions (local times), roles, sign-ups, PDFs.

Writes go through ``sessions_app.services`` so that validation, promotions and agenda re-renders happen the same
way as everywhere else.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from conference.admin import RefusalAsMessageMixin
from conference.models import Conference
from conference.services import AccordError
from registration.models import Participant

from . import selectors, services
from .enums import SignupStatus
from .forms import RoomAdminForm, SessionAdminForm, SessionRoleFormSet
from .models import AgendaFile, Room, Session, SessionRole, SessionSignup


@admin.register(Room)
class RoomAdmin(RefusalAsMessageMixin, admin.ModelAdmin):
    form = RoomAdminForm
    list_display = ["name", "name_fr", "name_ar", "conference", "capacity", "languages", "order"]
    list_filter = ["conference"]
    search_fields = ["name", "name_fr", "name_ar"]
    list_select_related = ["conference"]
    ordering = ["conference", "order", "name"]

    @admin.display(description=_("interpretation"))
    def languages(self, obj: Room) -> str:
        return ", ".join(obj.interpretation_languages or [])

    def save_model(self, request, obj, form, change):
        services.room_save(obj, actor=request.user)

    def delete_model(self, request, obj):
        services.room_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # all or none
            for room in queryset:
                services.room_delete(room, actor=request.user)


class SessionRoleInline(admin.TabularInline):
    model = SessionRole
    formset = SessionRoleFormSet
    extra = 1
    fields = ["participant", "role", "order"]
    # The registration app's participant admin (registered first: INSTALLED_APPS order) provides the search.
    autocomplete_fields = ["participant"] if admin.site.is_registered(Participant) else []
    raw_id_fields = [] if admin.site.is_registered(Participant) else ["participant"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("participant")


class SessionSignupInline(admin.TabularInline):
    model = SessionSignup
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["participant", "status", "created_at", "promoted_at"]
    readonly_fields = fields
    verbose_name_plural = _("sign-ups (cancel them from the sign-ups list to promote the waiting list)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("participant").order_by("status", "created_at", "id")

    def has_add_permission(self, request, obj=None):
        return False


class DayFilter(admin.SimpleListFilter):
    title = _("day")
    parameter_name = "day"

    def lookups(self, request, model_admin):
        days = sorted({day for conference in Conference.objects.all() for day in selectors.conference_days(conference)})
        return [(day.isoformat(), date_format(day, "D j M Y")) for day in days]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            day = timezone.datetime.fromisoformat(value).date()
        except ValueError:
            return queryset.none()
        condition = Q(pk__in=[])
        for conference in Conference.objects.all():
            start, end = selectors.day_bounds(conference, day)
            condition |= Q(conference=conference, starts_at__gte=start, starts_at__lt=end)
        return queryset.filter(condition)


@admin.register(Session)
class SessionAdmin(RefusalAsMessageMixin, admin.ModelAdmin):
    form = SessionAdminForm
    inlines = [SessionRoleInline, SessionSignupInline]
    list_display = [
        "title", "kind", "local_day", "local_start", "local_end", "room", "capacity", "confirmed", "waitlisted",
        "is_public", "grid_link",
    ]
    list_filter = ["conference", "kind", "room", DayFilter, "signup_required", "is_public"]
    search_fields = ["title", "title_fr", "title_ar"]
    date_hierarchy = "starts_at"
    list_select_related = ["conference", "room"]
    autocomplete_fields = ["room"]
    fieldsets = [
        (None, {"fields": ["conference", "kind", "is_public"]}),
        (_("Title and description"), {
            "fields": ["title", "title_fr", "title_ar", "description", "description_fr", "description_ar"],
        }),
        (_("When and where (conference time zone)"), {"fields": ["day", ("start_time", "end_time"), "room"]}),
        (_("Sign-ups and interpretation"), {
            "fields": ["capacity", "signup_required", "interpretation_languages"],
        }),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            confirmed_count=Count("signups", filter=Q(signups__status=SignupStatus.CONFIRMED)),
            waitlisted_count=Count("signups", filter=Q(signups__status=SignupStatus.WAITLISTED)),
        )

    def _local(self, obj: Session, value):
        return timezone.localtime(value, obj.conference.tz)

    @admin.display(description=_("day"), ordering="starts_at")
    def local_day(self, obj: Session) -> str:
        return date_format(self._local(obj, obj.starts_at), "D Y-m-d")

    @admin.display(description=_("starts"), ordering="starts_at")
    def local_start(self, obj: Session) -> str:
        return self._local(obj, obj.starts_at).strftime("%H:%M")

    @admin.display(description=_("ends"), ordering="ends_at")
    def local_end(self, obj: Session) -> str:
        return self._local(obj, obj.ends_at).strftime("%H:%M")

    @admin.display(description=_("confirmed"), ordering="confirmed_count")
    def confirmed(self, obj: Session) -> int:
        return obj.confirmed_count

    @admin.display(description=_("waiting"), ordering="waitlisted_count")
    def waitlisted(self, obj: Session) -> int:
        return obj.waitlisted_count

    @admin.display(description=_("day grid"))
    def grid_link(self, obj: Session) -> str:
        day = self._local(obj, obj.starts_at).date()
        url = reverse("sessions_app:grid", args=[day.isoformat()])
        return format_html('<a href="{}">{}</a>', url, _("Grid"))

    def save_model(self, request, obj, form, change):
        services.session_save(obj, actor=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.agenda_refresh_queue(form.instance.conference_id)

    def save_formset(self, request, form, formset, change):
        """Roles are given, changed and taken away by the role services (their lock, checks and audit entries),
        never saved by the formset itself; the sign-ups inline is read-only."""
        if formset.model is not SessionRole:
            return super().save_formset(request, form, formset, change)
        session = form.instance
        # What the admin's history message lists (the formset's own save would fill these).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        deleted = formset.deleted_forms
        for role_form in deleted:
            if role_form.instance.pk is not None:  # the row as stored, not as the form left its instance
                original = SessionRole.objects.select_related("session__conference", "participant").filter(
                    pk=role_form.instance.pk).first()
                if original is not None:
                    services.session_role_remove(original, actor=request.user)
                    formset.deleted_objects.append(original)
        for role_form in formset.forms:
            if role_form in deleted or not role_form.has_changed():
                continue
            data = role_form.cleaned_data
            if role_form.instance.pk is None:
                added = services.session_role_add(session, participant=data["participant"], role=data["role"],
                                                  order=data.get("order") or 0, actor=request.user)
                formset.new_objects.append(added)
            else:
                original = SessionRole.objects.select_related("session__conference").get(pk=role_form.instance.pk)
                changed = services.session_role_change(original, participant=data["participant"], role=data["role"],
                                                       order=data.get("order") or 0, actor=request.user)
                formset.changed_objects.append((changed, role_form.changed_data))
        return None

    def delete_model(self, request, obj):
        services.session_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # all or none
            for session in queryset:
                services.session_delete(session, actor=request.user)


class PromotionEmailFilter(admin.SimpleListFilter):
    """The sign-ups promoted from the waiting list, by the fate of their "you have a seat" e-mail."""

    title = _("promotion e-mail")
    parameter_name = "promotion_email"

    def lookups(self, request, model_admin):
        return [("failed", _("Failed")), ("waiting", _("Not sent yet")), ("sent", _("Sent"))]

    def queryset(self, request, queryset):
        promoted = queryset.filter(promoted_at__isnull=False)
        if self.value() == "failed":
            return promoted.filter(promotion_failed_at__isnull=False)
        if self.value() == "waiting":
            return promoted.filter(promotion_notified_at__isnull=True, promotion_failed_at__isnull=True)
        if self.value() == "sent":
            return promoted.filter(promotion_notified_at__isnull=False)
        return queryset


@admin.register(SessionSignup)
class SessionSignupAdmin(admin.ModelAdmin):
    list_display = ["participant", "session", "status", "created_at", "promoted_at", "promotion_email"]
    list_filter = ["status", PromotionEmailFilter, "session__conference"]
    search_fields = ["participant__last_name", "participant__first_name", "participant__email", "session__title"]
    list_select_related = ["participant", "session"]
    readonly_fields = [
        "session", "participant", "status", "created_at", "promoted_at", "promotion_notified_at",
        "promotion_attempts", "promotion_failed_at", "promotion_error",
    ]

    @admin.display(description=_("promotion e-mail"))
    def promotion_email(self, obj: SessionSignup) -> str:
        if obj.promoted_at is None:
            return ""
        if obj.promotion_notified_at is not None:
            return _("Sent")
        if obj.promotion_failed_at is not None:
            return _("Failed: %(error)s") % {"error": obj.promotion_error}
        return _("Not sent yet")
    actions = ["cancel_signups"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Cancel the selected sign-ups (promotes the waiting list)"), permissions=["view"])
    def cancel_signups(self, request, queryset):
        promoted = 0
        for signup in queryset:
            try:
                promoted += len(services.signup_cancel(signup, actor=request.user))
            except AccordError as error:
                self.message_user(request, str(error), messages.ERROR)
        self.message_user(
            request, ngettext("Sign-ups cancelled; %(count)d person moved from the waiting list to the confirmed sign-ups.",
                     "Sign-ups cancelled; %(count)d people moved from the waiting list to the confirmed sign-ups.",
                     promoted) % {"count": promoted}
        )


@admin.register(AgendaFile)
class AgendaFileAdmin(admin.ModelAdmin):
    list_display = ["conference", "language", "rendered_at", "download"]
    list_filter = ["conference", "language"]
    list_select_related = ["conference"]
    actions = ["refresh"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("download"))
    def download(self, obj: AgendaFile) -> str:
        url = reverse("sessions_app:agenda_pdf", args=[obj.language])
        return format_html('<a href="{}">{}</a>', url, _("PDF"))

    @admin.action(description=_("Re-render the selected agenda PDFs now (queued)"), permissions=["view"])
    def refresh(self, request, queryset):
        for agenda_file in queryset:
            services.agenda_refresh_queue(agenda_file.conference_id)
        self.message_user(request, _("The agenda PDFs are being re-rendered."))
