"""Reads of the registration questions: which questions a participant is asked where, whether a condition is
met, how an answer reads, the counts per choice for the dashboard."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from .models import CHOICE_KINDS, Answer, Question, QuestionChoice, QuestionKind

YES, NO = "yes", "no"


def conference_questions(conference_id, *, include_hidden: bool = False):
    """The conference's questions in order, with their choices and the question they depend on (two queries)."""
    queryset = Question.objects.filter(conference_id=conference_id).select_related("depends_on").prefetch_related(
        Prefetch("choices", queryset=QuestionChoice.objects.order_by("order", "id"))
    )
    if not include_hidden:
        queryset = queryset.filter(hidden=False)
    return list(queryset.order_by("order", "id"))


def applies_to(question: Question, *, category: str | None, delegation_kind: str | None) -> bool:
    """Whether ``question`` is asked of people of ``category`` (None: not known yet, as in a nomination form
    before it is sent) in a delegation of ``delegation_kind``."""
    if question.hidden:
        return False
    if category is not None and question.categories and category not in question.categories:
        return False
    if question.delegation_kinds and (delegation_kind or "") not in question.delegation_kinds:
        return False
    return True


def participant_questions(participant, questions, *, where: str):
    """Of ``questions``, those asked of ``participant`` at ``where`` (a step key, ``"nomination"``,
    ``"request"``)."""
    kind = participant.delegation.kind if participant.delegation_id else None
    return [
        q for q in questions
        if applies_to(q, category=participant.category, delegation_kind=kind) and asked_at(q, where)
    ]


def page_questions(conference_id, *, where: str, delegation_kind: str | None):
    """The questions asked in the nomination form (``where="nomination"``) or the open request
    (``"request"``) of people of a delegation of ``delegation_kind``; no file there (those pages take none)."""
    return [
        q for q in conference_questions(conference_id)
        if asked_at(q, where) and q.kind != QuestionKind.FILE
        and applies_to(q, category=None, delegation_kind=delegation_kind)
    ]


def asked_at(question: Question, where: str) -> bool:
    if where == "nomination":
        return question.in_nomination
    if where == "request":
        return question.in_request
    return question.step == where


def condition_met(question: Question, values: dict[int, object]) -> bool:
    """Whether ``question``'s condition holds given the answers ``{question_id: value}`` (True without one)."""
    parent = question.depends_on
    if parent is None:
        return True
    value = values.get(parent.pk)
    wanted = (question.depends_value or "").strip().casefold()
    if parent.kind == QuestionKind.YES_NO:
        return value is not None and value == (wanted == YES)
    if parent.kind in CHOICE_KINDS:
        ids = {c.pk for c in parent.choices.all() if c.label.strip().casefold() == wanted}
        chosen = set(value) if isinstance(value, list) else {value}
        return bool(ids & chosen)
    return value is not None and str(value).strip().casefold() == wanted


def answer_values(participant) -> dict[int, object]:
    """The participant's saved answers as ``{question_id: value}`` (one query)."""
    return {a.question_id: a.data for a in Answer.objects.filter(participant=participant).select_related("question")}


def answer_display(question: Question, value, *, language: str | None = None) -> str:
    """How an answer reads: a choice's label in ``language``, yes or no, the file's presence."""
    if value in (None, "", []):
        return ""
    if question.kind == QuestionKind.YES_NO:
        return _("yes") if value else _("no")
    if question.kind in CHOICE_KINDS:
        labels = {c.pk: c.localized_label(language) for c in question.choices.all()}
        ids = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(i, _("(removed choice)")) for i in ids)
    if question.kind == QuestionKind.COUNTRY:
        from django_countries import countries

        return str(countries.name(value) or value)
    return str(value)


def participant_answer_rows(participant, *, language: str | None = None, may_see_sensitive: bool = False):
    """``[(question, display, answer)]`` for each answered question of the participant (two queries)."""
    questions = {q.pk: q for q in conference_questions(participant.conference_id, include_hidden=True)}
    rows = []
    for answer in Answer.objects.filter(participant=participant).order_by("question__order", "question_id"):
        question = questions.get(answer.question_id)
        if question is None:
            continue
        answer.question = question
        if question.sensitive and not may_see_sensitive:
            display = _("(hidden)")
        elif question.kind == QuestionKind.FILE:
            display = _("file on record") if answer.stored_file else ""
        else:
            display = answer_display(question, answer.data, language=language)
        rows.append((question, display, answer))
    return rows


def choice_counts(conference, *, statuses=None) -> list[dict]:
    """For each visible choice and yes/no question of ``conference``: its label and the number of participants
    per answer (choices in order, then yes and no). Three queries whatever the number of answers."""
    questions = [
        q for q in conference_questions(conference.pk)
        if (q.kind in CHOICE_KINDS or q.kind == QuestionKind.YES_NO) and not q.sensitive
    ]
    if not questions:
        return []
    answers = Answer.objects.filter(question__in=questions)
    if statuses:
        answers = answers.filter(participant__status__in=statuses)
    counts: dict[int, Counter] = {q.pk: Counter() for q in questions}
    for question_id, value in answers.values_list("question_id", "value"):
        for item in value if isinstance(value, list) else [value]:
            counts[question_id][item] += 1
    result = []
    for q in questions:
        if q.kind == QuestionKind.YES_NO:
            rows = [(_("yes"), counts[q.pk][True]), (_("no"), counts[q.pk][False])]
        else:
            rows = [(c.localized_label(), counts[q.pk][c.pk]) for c in q.choices.all()]
        result.append({"question": q, "label": q.localized_label(), "rows": rows,
                       "answered": sum(n for _label, n in rows)})
    return result


def answer_counts(question_ids) -> dict[int, int]:
    """``{question_id: number of answers}`` (one query)."""
    return dict(
        Answer.objects.filter(question_id__in=list(question_ids)).values_list("question_id").annotate(n=Count("pk"))
        .values_list("question_id", "n")
    )


def answered_filter(question: Question, value: str) -> Q:
    """Participants whose answer to ``question`` is ``value`` (a choice id, ``yes`` or ``no``)."""
    if question.kind == QuestionKind.YES_NO:
        return Q(answers__question=question, answers__value=(value == YES))
    if question.kind == QuestionKind.SEVERAL_CHOICES:
        return Q(answers__question=question, answers__value__contains=[int(value)])
    return Q(answers__question=question, answers__value=int(value))
