"""Writes of the organizers' registration questions and of the participants' answers.

* :func:`question_save`, :func:`question_delete` (refused while answers exist: hide the question instead) and
  :func:`choice_save` are what the admin calls, each with its audit entry;
* :func:`answer_file_check` opens an uploaded file (Pillow for images, pypdf for PDFs) and refuses anything else;
* :func:`answers_save` writes the answers given on one page, inside the caller's transaction.

The rules of who is asked what (categories, delegation kinds, conditions) are in
``registration/questions_selectors.py``.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from conference.services import AccordError, audit_record, field_changes

from ..models import Answer, Question, QuestionChoice

QUESTION_AUDITED_FIELDS = (
    "kind", "label", "label_fr", "label_ar", "help_text", "help_text_fr", "help_text_ar", "required", "order",
    "step", "in_nomination", "in_request", "categories", "delegation_kinds", "depends_on_id", "depends_value",
    "min_value", "max_value", "min_date", "max_date", "sensitive", "hidden",
)
CHOICE_AUDITED_FIELDS = ("label", "label_fr", "label_ar", "order", "hidden")

#: The largest file an answer may carry.
ANSWER_FILE_MAX_BYTES = getattr(settings, "ACCORD_ANSWER_FILE_MAX_BYTES", 5 * 1024 * 1024)
IMAGE_FORMATS = ("JPEG", "PNG")


def _clean(instance, exclude=()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise AccordError(" ".join(m for messages in error.message_dict.values() for m in messages)) from error


def question_save(question: Question, *, actor) -> Question:
    """Create or change a question. Audit entry ``question.created`` / ``question.changed`` with the changed
    fields. Refused (AccordError, nothing saved) when the model's checks fail or the condition names a question
    of another conference."""
    with transaction.atomic():
        before = None
        if question.pk:
            before = Question.objects.select_for_update().filter(pk=question.pk).values(*QUESTION_AUDITED_FIELDS).first()
        _clean(question)
        if question.depends_on_id is not None and question.depends_on.conference_id != question.conference_id:
            raise AccordError(_("A question can only depend on a question of the same conference."))
        question.save()
        audit_record(
            actor=actor, action="question.changed" if before else "question.created", target=question,
            conference=question.conference, changes=field_changes(before, question, QUESTION_AUDITED_FIELDS),
        )
    return question


def question_delete(question: Question, *, actor) -> None:
    """Delete a question that nobody answered; refused (AccordError) when it has answers or another question
    depends on it."""
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        answers = Answer.objects.filter(question=question).count()
        if answers:
            raise AccordError(
                _("“%(question)s” has answers (%(count)d): hide it instead of deleting it.")
                % {"question": question.label, "count": answers}
            )
        if Question.objects.filter(depends_on=question).exists():
            raise AccordError(_("Another question is shown depending on “%(question)s”.") % {"question": question.label})
        audit_record(actor=actor, action="question.deleted", target=question, conference=question.conference,
                     changes={"label": question.label})
        question.delete()


def choice_save(choice: QuestionChoice, *, actor) -> QuestionChoice:
    """Create or change a choice of a question (its id stays, so answers keep reading right)."""
    with transaction.atomic():
        before = None
        if choice.pk:
            before = QuestionChoice.objects.select_for_update().filter(pk=choice.pk).values(*CHOICE_AUDITED_FIELDS).first()
        _clean(choice, exclude=["question"])
        choice.save()
        audit_record(
            actor=actor, action="question_choice.changed" if before else "question_choice.created", target=choice,
            conference=choice.question.conference, changes=field_changes(before, choice, CHOICE_AUDITED_FIELDS),
        )
    return choice


def answer_file_check(upload) -> bytes:
    """The bytes of an uploaded answer file once it opened as a PDF (pypdf) or a JPEG/PNG image (Pillow);
    AccordError otherwise (too large, empty, anything else)."""
    if upload.size > ANSWER_FILE_MAX_BYTES:
        raise AccordError(_("The file is too large: at most %(mb).1f MB.") % {"mb": ANSWER_FILE_MAX_BYTES / (1024 * 1024)})
    data = upload.read()
    if not data:
        raise AccordError(_("The file is empty."))
    refused = _("The file must be a PDF or a JPEG or PNG image.")
    if data.startswith(b"%PDF-"):
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted or len(reader.pages) < 1:
                raise AccordError(refused)
        except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
            raise AccordError(refused) from error
        return data
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=IMAGE_FORMATS) as image:
                image.verify()
            with Image.open(io.BytesIO(data), formats=IMAGE_FORMATS) as image:
                image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as error:
        raise AccordError(refused) from error
    return data


def file_extension(data: bytes) -> str:
    if data.startswith(b"%PDF-"):
        return "pdf"
    return "png" if data.startswith(b"\x89PNG") else "jpg"


def answers_save(participant, *, actor, answers: dict[Question, Any]) -> int:
    """Write ``participant``'s answers (``{question: value}``; a value of None or "" removes the answer; a file
    question's value is the checked bytes, or None to keep the file on record). Runs in the caller's
    transaction (the step's own save), with one audit entry naming the questions changed. Returns how many."""
    if not answers:
        return 0
    changed: dict[str, list] = {}
    with transaction.atomic():
        existing = {
            a.question_id: a for a in Answer.objects.select_for_update().filter(
                participant=participant, question__in=list(answers)
            )
        }
        for question, value in answers.items():
            answer = existing.get(question.pk)
            value_field = "sensitive_value" if question.sensitive else "value"
            file_field = "sensitive_file" if question.sensitive else "file"
            if question.kind == "file":
                if value is None:
                    continue
                data = value
                answer = answer or Answer(participant=participant, question=question)
                old = getattr(answer, file_field)
                if old:
                    old.delete(save=False)
                getattr(answer, file_field).save(f"answer.{file_extension(data)}", ContentFile(data), save=False)
                answer.save()
                changed[str(question.pk)] = ["", "file"]
                continue
            if value in (None, "", []):
                if answer is not None:
                    answer.delete()
                    changed[str(question.pk)] = ["answered" if not question.sensitive else "(hidden)", ""]
                continue
            old_value = getattr(answer, value_field) if answer else None
            if answer is not None and old_value == value:
                continue
            answer = answer or Answer(participant=participant, question=question)
            setattr(answer, value_field, value)
            answer.save()
            changed[str(question.pk)] = ["(hidden)", "(hidden)"] if question.sensitive else [old_value, value]
        if changed:
            audit_record(actor=actor, action="answers.saved", target=participant, conference=participant.conference,
                         changes=changed)
    return len(changed)


def step_with_answers_save(save, participant, *, actor, form, number: int, answers: dict[Question, Any]) -> None:
    """Save a registration step (``save``: the step's own save from ``registration/form_steps.py``) and the
    answers given on it in one transaction: a refusal of either saves nothing."""
    if not answers:  # no question on this step: the step's own save, as it is
        save(participant, actor, form, number)
        return
    with transaction.atomic():
        save(participant, actor, form, number)
        answers_save(participant, actor=actor, answers=answers)


def created_with_answers(create, *, actor, answers: dict[Question, Any]):
    """``create()`` (a nomination, an open request: returns the new participant) and the answers given with it,
    in one transaction."""
    with transaction.atomic():
        participant = create()
        answers_save(participant, actor=actor, answers=answers)
    return participant


def answers_locked(participant) -> bool:
    """Answers are read-only once the participant is approved (until the organizers reopen the registration by
    taking the decision back)."""
    from ..enums import ParticipantStatus

    return participant.status not in (ParticipantStatus.INVITED, ParticipantStatus.SUBMITTED)
