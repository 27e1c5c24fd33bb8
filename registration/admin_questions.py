"""The organizers' admin of the registration questions, and the answers on the participants' pages.

Questions and choices are written through ``registration.services.questions`` (audit entries); a question with
answers cannot be deleted (hide it), a choice is never deleted (hide it: answers name it by id). The
participant's page shows the answers (sensitive ones masked without ``registration.view_sensitive_answer``), and
the participants' list filters by the answer to a choice or yes/no question.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from conference.admin import RefusalAsMessageMixin
from conference.enums import DelegationKind
from privacy.enums import ReadWhere, RetentionKind
from privacy.services.reads import record_read

from .enums import ParticipantCategory
from .form_steps import form_steps
from .models import CHOICE_KINDS, Answer, Question, QuestionChoice, QuestionKind
from .questions_exports import SENSITIVE_ANSWER_PERMISSION
from .questions_selectors import (
    NO,
    YES,
    answer_counts,
    answer_display,
    answered_filter,
    conference_questions,
)
from .services.questions import choice_save, question_delete, question_save
from .views.files import private_file_response


def may_see_sensitive_answers(user) -> bool:
    return bool(user and user.is_active and user.is_staff and user.has_perm(SENSITIVE_ANSWER_PERMISSION))


class QuestionAdminForm(forms.ModelForm):
    step = forms.ChoiceField(label=_("asked on the registration step"))
    categories = forms.MultipleChoiceField(label=_("only for these categories"), required=False,
                                           choices=ParticipantCategory.choices, widget=forms.CheckboxSelectMultiple,
                                           help_text=_("None ticked: every category."))
    delegation_kinds = forms.MultipleChoiceField(label=_("only for these kinds of delegation"), required=False,
                                                 choices=DelegationKind.choices, widget=forms.CheckboxSelectMultiple,
                                                 help_text=_("None ticked: every kind."))

    class Meta:
        model = Question
        fields = [
            "conference", "kind", "label", "label_fr", "label_ar", "help_text", "help_text_fr", "help_text_ar",
            "required", "order", "step", "in_nomination", "in_request", "categories", "delegation_kinds",
            "depends_on", "depends_value", "min_value", "max_value", "min_date", "max_date", "sensitive", "hidden",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(step.key, step.label) for step in form_steps()]
        if self.instance.pk:
            self.fields["depends_on"].queryset = Question.objects.filter(
                conference_id=self.instance.conference_id).exclude(pk=self.instance.pk)
        for name in ("label_ar", "help_text_ar"):
            self.fields[name].widget.attrs.update({"dir": "rtl", "lang": "ar"})


class QuestionChoiceInline(admin.TabularInline):
    model = QuestionChoice
    fields = ["label", "label_fr", "label_ar", "order", "hidden"]
    extra = 1
    can_delete = False  # answers name a choice by id: hide it instead


@admin.register(Question)
class QuestionAdmin(RefusalAsMessageMixin, admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = ["label", "kind", "step", "required", "sensitive", "hidden", "order", "answer_count"]
    list_filter = ["conference", "kind", "step", "hidden"]
    search_fields = ["label", "label_fr", "label_ar"]
    list_select_related = ["conference"]
    ordering = ["conference", "order", "id"]
    inlines = [QuestionChoiceInline]
    readonly_fields = ["answer_count"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(answers_n=Count("answers"))

    @admin.display(description=_("answers"), ordering="answers_n")
    def answer_count(self, obj) -> int:
        return getattr(obj, "answers_n", None) if hasattr(obj, "answers_n") else answer_counts([obj.pk]).get(obj.pk, 0)

    def get_urls(self):
        return [
            path("answer/<int:answer_id>/file/", self.admin_site.admin_view(self.answer_file_view),
                 name="registration_answer_file"),
            *super().get_urls(),
        ]

    def answer_file_view(self, request, answer_id: int):
        """An answer's file, to staff who may see participants (and sensitive answers, for a sensitive question);
        404 for a missing answer and a forbidden one alike; the read is logged."""
        answer = Answer.objects.select_related("question", "participant").filter(pk=answer_id).first()
        if answer is None or not request.user.has_perm("registration.view_participant") or (
            answer.question.sensitive and not may_see_sensitive_answers(request.user)
        ) or not answer.stored_file:
            raise Http404("No file.")
        record_read(answer.participant, reader=request.user,
                    kind=RetentionKind.SENSITIVE if answer.question.sensitive else RetentionKind.REST,
                    what=f"answer: {answer.question.label}", where=ReadWhere.DOWNLOAD)
        name = answer.stored_file.name
        content_type = "application/pdf" if name.endswith(".pdf") else (
            "image/png" if name.endswith(".png") else "image/jpeg")
        return private_file_response(answer.stored_file, content_type=content_type,
                                     filename=f"answer-{answer.pk}.{name.rsplit('.', 1)[-1]}")

    def has_delete_permission(self, request, obj=None):
        if obj is not None and Answer.objects.filter(question=obj).exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        question_save(obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for choice_form in formset.forms:
            if not choice_form.has_changed() or not choice_form.cleaned_data:
                continue
            choice = choice_form.instance
            choice.question = form.instance
            choice_save(choice, actor=request.user)
            if choice_form.instance.pk and choice_form.initial:
                formset.changed_objects.append((choice, choice_form.changed_data))
            else:
                formset.new_objects.append(choice)

    def delete_model(self, request, obj):
        question_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for question in queryset:
                question_delete(question, actor=request.user)


class AnswerInline(admin.TabularInline):
    """The participant's answers, read-only; sensitive ones masked without the permission."""

    model = Answer
    fields = ["question_label", "shown"]
    readonly_fields = ["question_label", "shown"]
    extra = 0
    can_delete = False
    verbose_name = _("answer to a registration question")
    verbose_name_plural = _("answers to the registration questions")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question").prefetch_related("question__choices")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("registration.view_participant")

    @admin.display(description=_("question"))
    def question_label(self, answer) -> str:
        return answer.question.localized_label()

    @admin.display(description=_("answer"))
    def shown(self, answer) -> str:
        question = answer.question
        if question.sensitive and not may_see_sensitive_answers(self._user):
            return str(_("(hidden)"))
        if question.kind == QuestionKind.FILE:
            if not answer.stored_file:
                return ""
            return format_html('<a href="{}">{}</a>', reverse("admin:registration_answer_file", args=[answer.pk]),
                               _("download the file"))
        return answer_display(question, answer.data)

    def get_formset(self, request, obj=None, **kwargs):
        self._user = request.user
        return super().get_formset(request, obj, **kwargs)


class QuestionAnswerFilter(admin.SimpleListFilter):
    """Participants by their answer to a choice or yes/no question (not sensitive ones)."""

    title = _("answer to a registration question")
    parameter_name = "answer"

    def lookups(self, request, model_admin):
        conference_id = request.GET.get("conference__id__exact")
        questions = conference_questions(conference_id) if conference_id else [
            q for q in Question.objects.filter(hidden=False).select_related("depends_on").prefetch_related("choices")
        ]
        options = []
        for q in questions:
            if q.sensitive:
                continue
            if q.kind == QuestionKind.YES_NO:
                options += [(f"{q.pk}:{YES}", f"{q.localized_label()}: {_('yes')}"),
                            (f"{q.pk}:{NO}", f"{q.localized_label()}: {_('no')}")]
            elif q.kind in CHOICE_KINDS:
                options += [(f"{q.pk}:{c.pk}", f"{q.localized_label()}: {c.localized_label()}") for c in q.choices.all()]
        return options

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        question_id, _sep, value = self.value().partition(":")
        question = Question.objects.filter(pk=question_id if question_id.isdigit() else 0, sensitive=False).first()
        if question is None or not (value in (YES, NO) or value.isdigit()):
            return queryset.none()
        return queryset.filter(answered_filter(question, value)).distinct()
