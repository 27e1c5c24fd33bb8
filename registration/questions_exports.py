"""The answers to the registration questions as columns of the participant lists (CSV and XLSX): one column per
visible question of the current conference, in the export's language; answers to sensitive questions masked
unless the exporting user holds ``registration.view_sensitive_answer`` (and then written to the read log)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from conference.selectors import current_conference
from privacy.enums import RetentionKind

from .exports import ExportColumns, add_export_columns
from .models import QuestionKind
from .questions_selectors import answer_display, conference_questions

SENSITIVE_ANSWER_PERMISSION = "registration.view_sensitive_answer"


def _getter(question):
    def value(participant):
        for answer in participant.answers.all():  # prefetched with the participants
            if answer.question_id == question.pk:
                answer.question = question
                if question.kind == QuestionKind.FILE:
                    return _("file on record") if answer.stored_file else ""
                if question.kind == QuestionKind.NUMBER:
                    return answer.data
                return answer_display(question, answer.data)
        return ""

    return value


def _columns(*, sensitive: bool):
    def columns():
        conference = current_conference()
        if conference is None:
            return []
        return [
            (question.localized_label(), _getter(question))
            for question in conference_questions(conference.pk) if question.sensitive == sensitive
        ]

    return columns


add_export_columns(ExportColumns(related=(), columns=_columns(sensitive=False), prefetch=("answers",)))
add_export_columns(ExportColumns(
    related=(), columns=_columns(sensitive=True), permission=SENSITIVE_ANSWER_PERMISSION,
    kind=RetentionKind.SENSITIVE, what="answers to sensitive questions",
))
