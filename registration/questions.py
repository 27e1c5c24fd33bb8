"""The organizers' questions as form fields: attached to a page's form (a registration step, the nomination form,
the open request), validated on the server in the page's language, saved with the rest of the page.

``QuestionFields(form, questions, values=..., locked=...)`` adds one field per question (``q_<id>``) to ``form``;
after ``form.is_valid()``, ``validate()`` checks what a field alone cannot (conditions, an answer to a question not
asked of this person, a forged field) and ``answers`` gives ``{question: value}`` for ``services.questions``.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from conference.services import AccordError
from conference.validators import validate_single_line

from .models import QuestionKind
from .questions_selectors import NO, YES, condition_met
from .services.questions import answer_file_check

FIELD_PREFIX = "q_"
_FIELD_NAME = re.compile(r"^q_(\d+)$")
PHONE = re.compile(r"\+?[0-9 ()./-]{6,30}")


def field_name(question) -> str:
    return f"{FIELD_PREFIX}{question.pk}"


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class AnswerFileField(forms.FileField):
    """A file answer: cleaned to its bytes once it opened as a PDF or an image (``answer_file_check``)."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        try:
            return answer_file_check(upload)
        except AccordError as error:
            raise forms.ValidationError(str(error), code="file") from error


def _phone_clean(value):
    if value and not PHONE.fullmatch(value):
        raise forms.ValidationError(_("Enter a phone number with digits, for example +20 69 360 0000."), code="phone")


def build_field(question, *, initial=None, has_file: bool = False, language: str | None = None) -> forms.Field:
    """The form field asking ``question`` in ``language`` (English where no translation is given)."""
    label = question.localized_label(language)
    help_text = question.localized_help_text(language)
    if question.depends_on_id:
        condition = _("Answer only if you answered “%(value)s” to “%(question)s”.") % {
            "value": _condition_value(question, language), "question": question.depends_on.localized_label(language),
        }
        help_text = f"{help_text} {condition}".strip()
    # A conditional question's "required" is checked in validate(), once its condition is known.
    required = question.required and not question.depends_on_id
    common = {"label": label, "help_text": help_text, "required": required}
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        field = forms.CharField(max_length=300, validators=[validate_single_line],
                                widget=forms.TextInput(attrs={"dir": "auto"}), **common)
    elif kind == QuestionKind.LONG_TEXT:
        field = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}), **common)
    elif kind == QuestionKind.NUMBER:
        validators = []
        if question.min_value is not None:
            validators.append(MinValueValidator(question.min_value))
        if question.max_value is not None:
            validators.append(MaxValueValidator(question.max_value))
        field = forms.DecimalField(max_digits=14, decimal_places=2, validators=validators,
                                   widget=forms.NumberInput(attrs={"dir": "ltr", "step": "any"}), **common)
    elif kind == QuestionKind.DATE:
        validators = []
        if question.min_date:
            validators.append(MinValueValidator(question.min_date))
        if question.max_date:
            validators.append(MaxValueValidator(question.max_date))
        attrs = {"dir": "ltr"}
        if question.min_date:
            attrs["min"] = question.min_date.isoformat()
        if question.max_date:
            attrs["max"] = question.max_date.isoformat()
        field = forms.DateField(validators=validators, widget=_DateInput(attrs=attrs), **common)
    elif kind == QuestionKind.YES_NO:
        field = forms.ChoiceField(choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect, **common)
    elif kind in (QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES):
        chosen = set(initial if isinstance(initial, list) else [initial])
        # A hidden choice is offered only to whoever already chose it (their answer stays readable and valid).
        choices = [(str(c.pk), c.localized_label(language)) for c in question.choices.all() if not c.hidden or c.pk in chosen]
        if kind == QuestionKind.ONE_CHOICE:
            field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        else:
            field = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    elif kind == QuestionKind.COUNTRY:
        field = forms.ChoiceField(choices=[("", "—"), *countries], **common)
    elif kind == QuestionKind.PHONE:
        field = forms.CharField(max_length=40, validators=[_phone_clean],
                                widget=forms.TextInput(attrs={"type": "tel", "dir": "ltr"}), **common)
    elif kind == QuestionKind.EMAIL:
        field = forms.EmailField(widget=forms.EmailInput(attrs={"dir": "ltr"}), **common)
    elif kind == QuestionKind.FILE:
        common["required"] = required and not has_file
        if has_file:
            common["help_text"] = f"{help_text} {_('A file is on record; upload another to replace it.')}".strip()
        field = AnswerFileField(widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
                                **common)
    else:  # pragma: no cover - every kind is handled above
        raise ValueError(kind)
    field.question = question
    return field


def _condition_value(question, language) -> str:
    parent = question.depends_on
    wanted = (question.depends_value or "").strip()
    if parent.kind == QuestionKind.YES_NO:
        return _("Yes") if wanted.casefold() == YES else _("No")
    for choice in parent.choices.all():
        if choice.label.strip().casefold() == wanted.casefold():
            return choice.localized_label(language)
    return wanted


def _condition_keys(question) -> list[str]:
    """The submitted values of the other question that show ``question`` (``yes``/``no``, choice ids)."""
    parent = question.depends_on
    wanted = (question.depends_value or "").strip().casefold()
    if parent.kind == QuestionKind.YES_NO:
        return [YES if wanted == YES else NO]
    if parent.kind in (QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES):
        return [str(c.pk) for c in parent.choices.all() if c.label.strip().casefold() == wanted]
    return [question.depends_value]


def _initial(question, value):
    if value is None:
        return None
    if question.kind == QuestionKind.YES_NO:
        return YES if value else NO
    if question.kind == QuestionKind.SEVERAL_CHOICES:
        return [str(v) for v in value]
    if question.kind == QuestionKind.ONE_CHOICE:
        return str(value)
    if question.kind == QuestionKind.DATE:
        return datetime.date.fromisoformat(value)
    if question.kind == QuestionKind.FILE:
        return None
    return value


def _stored(question, cleaned):
    """The JSON value kept for a cleaned field value."""
    if cleaned in (None, "", []):
        return None
    if question.kind == QuestionKind.YES_NO:
        return cleaned == YES
    if question.kind == QuestionKind.ONE_CHOICE:
        return int(cleaned)
    if question.kind == QuestionKind.SEVERAL_CHOICES:
        return sorted(int(v) for v in cleaned)
    if question.kind == QuestionKind.NUMBER:
        return int(cleaned) if cleaned == cleaned.to_integral_value() else float(cleaned)
    if question.kind == QuestionKind.DATE:
        return cleaned.isoformat()
    if isinstance(cleaned, Decimal):  # pragma: no cover
        return float(cleaned)
    return cleaned.strip() if isinstance(cleaned, str) else cleaned


class QuestionFields:
    """The questions of one page attached to its form (see the module's docstring)."""

    def __init__(self, form: forms.Form, questions, *, values: dict[int, object] | None = None,
                 files: set[int] | None = None, locked: bool = False, language: str | None = None):
        self.form = form
        self.questions = list(questions)
        self.values = dict(values or {})
        self.locked = locked
        self.answers: dict = {}
        language = language or get_language()
        files = files or set()
        on_page = {q.pk for q in self.questions}
        # A condition on an answer given on another page is decided here: not met, the question is not asked.
        self.questions = [
            q for q in self.questions
            if not q.depends_on_id or q.depends_on_id in on_page or condition_met(q, self.values)
        ]
        for question in self.questions:
            initial = _initial(question, self.values.get(question.pk))
            field = build_field(question, initial=self.values.get(question.pk), has_file=question.pk in files,
                                language=language)
            field.initial = initial
            if question.depends_on_id in on_page:  # shown and hidden as the other answer changes (questions.js)
                field.widget.attrs.update({"data-depends-on": field_name(question.depends_on),
                                           "data-depends-value": " ".join(_condition_keys(question))})
            if locked:
                field.disabled = True
                field.required = False
            form.fields[field_name(question)] = field

    def validate(self, *, category: str | None = None) -> bool:
        """After ``form.is_valid()``: conditions, forged fields, questions not asked of ``category`` (a form
        where the category is chosen: the nomination, the open request); fills ``answers``. False with errors on
        the form."""
        form = self.form
        if self.locked:
            self.answers = {}
            return form.is_valid()
        data_keys = set(form.data or {}) | set(form.files or {})
        forged = [key for key in data_keys if _FIELD_NAME.match(key) and key not in form.fields]
        if forged:
            form.add_error(None, _("The form contained an answer to a question you are not asked. Nothing was saved."))
        if not form.is_valid():
            return False
        cleaned = {q.pk: _stored(q, form.cleaned_data.get(field_name(q))) for q in self.questions}
        values = {**self.values, **{k: v for k, v in cleaned.items()}}
        answers = {}
        for question in self.questions:
            name = field_name(question)
            value = cleaned[question.pk]
            if question.kind == QuestionKind.FILE:
                value = form.cleaned_data.get(name) or None  # the checked bytes
            if category is not None and question.categories and category not in question.categories:
                if value not in (None, "", []):
                    form.add_error(name, _("This question is not asked of this category of participant."))
                continue
            shown = condition_met(question, values)
            if not shown:
                if value not in (None, "", []):
                    form.add_error(name, _("Answer this question only if you answered “%(value)s” to “%(question)s”.") % {
                        "value": _condition_value(question, None), "question": question.depends_on.localized_label()})
                    continue
                answers[question] = "" if question.kind != QuestionKind.FILE else None
                continue
            if question.required and question.depends_on_id and value in (None, "", []) and not (
                question.kind == QuestionKind.FILE and question.pk in self.values
            ):
                form.add_error(name, forms.Field.default_error_messages["required"])
                continue
            answers[question] = value
        self.answers = answers
        return form.is_valid()
