"""``{% participant_answers participant %}``: the participant's answers to the registration questions as a
definition list, for pages of other apps (the desk's participant page) without their code importing ours;
answers to sensitive questions masked unless the user holds ``registration.view_sensitive_answer``."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from ..questions_selectors import participant_answer_rows

register = template.Library()


@register.inclusion_tag("registration/questions/answers.html", takes_context=True)
def participant_answers(context, participant):
    request = context.get("request")
    user = getattr(request, "user", None)
    allowed = bool(user and user.is_active and user.is_staff and user.has_perm("registration.view_sensitive_answer"))
    rows = participant_answer_rows(participant, language=get_language(), may_see_sensitive=allowed)
    return {"rows": [(question.localized_label(), display) for question, display, _answer in rows]}
