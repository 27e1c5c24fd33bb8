"""The organizers' pages for the official documents: the conference's document settings (order of kinds, named
tent cards), the List of Participants and tent cards (asked for here, rendered by a task, downloaded when ready)
and the certificates of attendance. Imported by ``onsite.admin``."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from conference.enums import DelegationKind
from conference.models import Conference
from conference.services import AccordError
from registration.admin import add_participant_action

from . import services
from .models import (
    Certificate,
    CertificateRun,
    DocumentKind,
    DocumentSettings,
    ListEditionKind,
    ListStatus,
    ParticipantListEdition,
)


class DocumentSettingsForm(forms.ModelForm):
    kind_order = forms.CharField(
        label=_("order of delegation kinds"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One kind per line, first listed first: %(kinds)s.") % {
            "kinds": ", ".join(DelegationKind.values)},
    )

    class Meta:
        model = DocumentSettings
        fields = ["conference", "kind_order", "named_cards"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.initial.get("kind_order"), list):
            self.initial["kind_order"] = "\n".join(self.initial["kind_order"])

    def clean_kind_order(self):
        kinds = [line.strip() for line in self.cleaned_data["kind_order"].splitlines() if line.strip()]
        if len(set(kinds)) != len(kinds) or any(kind not in DelegationKind.values for kind in kinds):
            raise ValidationError(_("List each kind of delegation once, among the known kinds."))
        return kinds

    def clean(self):
        data = super().clean()
        conference = data.get("conference")
        if conference and any(p.conference_id != conference.pk for p in data.get("named_cards") or []):
            self.add_error("named_cards", _("A person with a tent card must be a participant of this conference."))
        return data


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(admin.ModelAdmin):
    form = DocumentSettingsForm
    list_display = ["conference"]
    autocomplete_fields = ["named_cards"]

    def save_model(self, request, obj, form, change):
        try:
            row = services.document_settings_save(
                form.cleaned_data["conference"], kind_order=form.cleaned_data["kind_order"],
                named_card_ids=[p.pk for p in form.cleaned_data["named_cards"]], actor=request.user,
            )
        except AccordError as exc:
            raise PermissionDenied(str(exc)) from exc
        obj.pk = row.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """The service saved the named cards."""


class ParticipantListRequestForm(forms.ModelForm):
    class Meta:
        model = ParticipantListEdition
        fields = ["conference", "document", "language", "edition", "edition_date"]


@admin.register(ParticipantListEdition)
class ParticipantListEditionAdmin(admin.ModelAdmin):
    form = ParticipantListRequestForm
    list_display = ["__str__", "document", "edition", "edition_date", "language", "status", "rows", "rendered_at",
                    "download"]
    list_filter = ["conference", "document", "edition", "language", "status"]
    list_select_related = ["conference"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["conference", "document", "language", "edition", "edition_date", "status", "rows", "error",
                    "requested_by", "created_at", "rendered_at", "download"]
        return []

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    @admin.display(description=_("file"))
    def download(self, obj):
        if obj.status != ListStatus.DONE or not obj.file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:onsite_participantlistedition_download",
                                                          args=[obj.pk]), _("Download PDF"))

    def get_urls(self):
        return [path("<int:edition_id>/download/", self.admin_site.admin_view(self.download_view),
                     name="onsite_participantlistedition_download"), *super().get_urls()]

    def download_view(self, request, edition_id: int):
        if not self.has_view_permission(request):
            raise Http404
        item = ParticipantListEdition.objects.filter(pk=edition_id, status=ListStatus.DONE).exclude(file="").first()
        if item is None:
            raise Http404
        return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1],
                            content_type="application/pdf")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        conference: Conference = data["conference"]
        item, reused = services.participant_list_request(
            conference, document=data["document"], language=data["language"],
            edition=data.get("edition") or ListEditionKind.PROVISIONAL, edition_date=data["edition_date"],
            actor=request.user,
        )
        obj.pk = item.pk
        obj._state.adding = False
        if reused:
            self.message_user(request, _("Nothing it prints has changed: the stored file is reused."), messages.INFO)
        elif data["document"] == DocumentKind.TENT_CARDS:
            self.message_user(request, _("The tent cards are being rendered."), messages.SUCCESS)
        else:
            self.message_user(request, _("The List of Participants is being rendered."), messages.SUCCESS)


# Certificates of attendance ------------------------------------------------------------------------------


@add_participant_action
@admin.action(description=_("Issue certificates of attendance to the selected (checked in)"))
def issue_certificates_for_selected(modeladmin, request, queryset):
    """Queue one issue of certificates per conference of the selection (a task issues them; the page returns at
    once and the issue's page shows its progress); those not checked in are counted as skipped there."""
    if not request.user.has_perm("onsite.add_certificate"):
        raise PermissionDenied
    by_conference: dict = {}
    for conference_id, pk in queryset.order_by().values_list("conference_id", "pk"):
        by_conference.setdefault(conference_id, []).append(pk)
    for conference in Conference.objects.filter(pk__in=list(by_conference)).order_by("pk"):
        try:
            run = services.certificate_run_request(conference, participant_ids=by_conference[conference.pk],
                                                   actor=request.user)
        except AccordError as exc:
            modeladmin.message_user(request, str(exc), messages.ERROR)
            continue
        modeladmin.message_user(request, format_html(
            '{} <a href="{}">{}</a>',
            ngettext("The certificate of %(count)d participant is being issued.",
                     "The certificates of %(count)d participants are being issued.", run.total) % {"count": run.total},
            reverse("admin:onsite_certificaterun_change", args=[run.pk]), _("See the progress")), messages.SUCCESS)


class CertificateRunForm(forms.ModelForm):
    class Meta:
        model = CertificateRun
        fields = ["conference", "delegation"]

    def clean(self):
        data = super().clean()
        conference, delegation = data.get("conference"), data.get("delegation")
        if conference and delegation and delegation.conference_id != conference.pk:
            self.add_error("delegation", _("This delegation belongs to another conference."))
        elif conference and not services.certificate_run_total(conference, delegation=delegation):
            raise ValidationError(services.NOBODY_CHECKED_IN)
        return data


@admin.register(CertificateRun)
class CertificateRunAdmin(admin.ModelAdmin):
    """"Issue certificates for everyone" (or one delegation): the add page queues the task; the list and each
    issue's page show its progress."""

    form = CertificateRunForm
    list_display = ["__str__", "delegation", "status", "progress", "issued", "refreshed", "skipped", "created_at",
                    "finished_at"]
    list_filter = ["conference", "status"]
    list_select_related = ["conference", "delegation"]
    autocomplete_fields = ["delegation"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["conference", "delegation", "status", "progress", "issued", "refreshed", "skipped", "error",
                    "requested_by", "created_at", "finished_at"]
        return []

    def has_add_permission(self, request):
        return request.user.has_perm("onsite.add_certificate") and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("progress"))
    def progress(self, obj):
        return _("%(processed)d of %(total)d") % {"processed": obj.processed, "total": obj.total}

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            run = services.certificate_run_request(data["conference"], delegation=data.get("delegation"),
                                                   actor=request.user)
        except AccordError as exc:
            raise PermissionDenied(str(exc)) from exc
        obj.pk = run.pk
        obj._state.adding = False
        self.message_user(request, ngettext(
            "The certificate of %(count)d participant is being issued.",
            "The certificates of %(count)d participants are being issued.", run.total) % {"count": run.total},
            messages.SUCCESS)

    def response_add(self, request, obj, post_url_continue=None):
        return HttpResponseRedirect(reverse("admin:onsite_certificaterun_change", args=[obj.pk]))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("reason for revoking"), max_length=300)


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["participant", "conference", "language", "issued_at", "revoked_at", "verify_link"]
    list_filter = ["conference", "language", "revoked_at"]
    list_select_related = ["participant", "conference"]
    search_fields = ["participant__first_name", "participant__last_name", "participant__badge_name", "code"]
    readonly_fields = ["conference", "participant", "code", "language", "days", "issued_at", "issued_by",
                       "revoked_at", "revoked_reason", "verify_link"]
    exclude = ["fingerprint", "file"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("verification page"))
    def verify_link(self, obj):
        url = reverse("registration:certificate_verify", args=[obj.code])
        return format_html('<a href="{}">{}</a>', url, obj.code)

    def get_urls(self):
        return [path("<int:certificate_id>/revoke/", self.admin_site.admin_view(self.revoke_view),
                     name="onsite_certificate_revoke"), *super().get_urls()]

    def revoke_view(self, request, certificate_id: int):
        if not self.has_change_permission(request):
            raise Http404
        certificate = Certificate.objects.select_related("participant", "conference").filter(pk=certificate_id).first()
        if certificate is None:
            raise Http404
        form = RevokeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.certificate_revoke(certificate, reason=form.cleaned_data["reason"], actor=request.user)
            except AccordError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, _("The certificate is revoked: its verification page now refuses it."),
                                  messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:onsite_certificate_change", args=[certificate.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "certificate": certificate, "title": _("Revoke the certificate")}
        return TemplateResponse(request, "onsite/documents/certificate_revoke.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}),
                         "revoke_url": reverse("admin:onsite_certificate_revoke", args=[object_id])}
        return super().change_view(request, object_id, form_url, extra_context)
