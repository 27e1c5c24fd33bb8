"""The demo conference's registration questions: a working-group choice (three languages), a yes/no with a
follow-up shown only after "yes", and a file (the nomination letter); answers from the approved participants.
Idempotent: a second run finds the questions by their English label and the answers by participant."""

from __future__ import annotations

import io
from collections import Counter

GROUP = {
    "label": "Which working group will you join?",
    "label_fr": "Quel groupe de travail rejoindrez-vous\u202f?",
    "label_ar": "أي فريق عامل ستنضم إليه؟",
}
GROUPS = [
    ("Drug trafficking", "Trafic de drogues", "الاتجار بالمخدرات"),
    ("Corruption", "Corruption", "الفساد"),
    ("Cybercrime", "Cybercriminalité", "الجرائم السيبرانية"),
]
LETTER = {
    "label": "Do you need a letter for your employer?",
    "label_fr": "Avez-vous besoin d'une lettre pour votre employeur\u202f?",
    "label_ar": "هل تحتاج إلى رسالة لجهة عملك؟",
}
EMPLOYER = {
    "label": "Name and address of your employer",
    "label_fr": "Nom et adresse de votre employeur",
    "label_ar": "اسم جهة عملك وعنوانها",
}
NOMINATION = {
    "label": "Upload your nomination letter",
    "label_fr": "Déposez votre lettre de désignation",
    "label_ar": "ارفع رسالة ترشيحك",
    "help_text": "PDF or image, at most 5 MB.",
    "help_text_fr": "PDF ou image, 5\u202fMo au plus.",
    "help_text_ar": "ملف PDF أو صورة، بحد أقصى 5 ميغابايت.",
}


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def seed_questions(conference) -> Counter:
    from registration.models import Question, QuestionChoice
    from registration.services.questions import answers_save, choice_save, question_save

    created: Counter = Counter()

    def question(kind, texts, order, **extra):
        found = Question.objects.filter(conference=conference, label=texts["label"]).first()
        if found is not None:
            return found
        created["registration questions"] += 1
        return question_save(Question(conference=conference, kind=kind, step="needs", order=order, **texts, **extra),
                             actor=None)

    group = question("one_choice", GROUP, 1, required=True)
    if not group.choices.exists():
        for order, (label, fr, ar) in enumerate(GROUPS):
            choice_save(QuestionChoice(question=group, label=label, label_fr=fr, label_ar=ar, order=order), actor=None)
    letter = question("yes_no", LETTER, 2)
    employer = question("long_text", EMPLOYER, 3, depends_on=letter, depends_value="yes", required=True)
    nomination = question("file", NOMINATION, 4)

    choices = list(group.choices.order_by("order"))
    if group.answers.exists():  # answered on an earlier run
        return created
    participants = list(conference.participants.filter(status="approved").order_by("id")[:40])
    pdf = _pdf()
    for index, participant in enumerate(participants):
        answers = {group: choices[index % len(choices)].pk, letter: index % 3 == 0}
        if index % 3 == 0:
            answers[employer] = "Ministry of Justice, Cairo"
        if index % 4 == 0:
            answers[nomination] = pdf
        answers_save(participant, actor=None, answers=answers)
        created["question answers"] += len(answers)
    return created
