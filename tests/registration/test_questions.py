"""Organizer-defined registration questions: asked on a registration step, validated on the server, saved with
the step, refused when forged, conditional, locked once approved; the admin (answers counted, no deletion)."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from conference.models import AuditLog
from conference.services import AccordError
from registration.enums import ParticipantStatus
from registration.form_steps import step_number
from registration.models import Answer, Question, QuestionChoice
from registration.services.questions import question_delete, question_save
from tests.factories import ParticipantFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(conference):
    user = UserFactory()
    return ParticipantFactory(conference=conference, user=user, email=user.email, status=ParticipantStatus.INVITED,
                              preferred_language="en")


def needs_url():
    return reverse("registration:register_step", kwargs={"step": step_number("needs")})


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (10, 120, 30)).save(out, format="PNG")
    return out.getvalue()


def pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make(conference, kind, label, **fields):
    choices = fields.pop("choices", [])
    question = Question.objects.create(conference=conference, kind=kind, label=label, step="needs", **fields)
    for order, choice in enumerate(choices):
        text, fr, ar = choice
        QuestionChoice.objects.create(question=question, label=text, label_fr=fr, label_ar=ar, order=order)
    return question


@pytest.fixture
def questions(conference):
    group = make(conference, "one_choice", "Which working group will you join?", label_ar="أي فريق عامل ستنضم إليه؟",
                 label_fr="Quel groupe de travail rejoindrez-vous ?", required=True, order=1,
                 choices=[("Drugs", "Drogues", "المخدرات"), ("Corruption", "Corruption", "الفساد")])
    return {
        "group": group,
        "topics": make(conference, "several_choices", "Topics", order=2,
                       choices=[("Law", "Droit", "القانون"), ("Health", "Santé", "الصحة")]),
        "short": make(conference, "short_text", "Office", order=3),
        "long": make(conference, "long_text", "Remarks", order=4),
        "number": make(conference, "number", "Years of experience", min_value=0, max_value=50, order=5),
        "date": make(conference, "date", "Date of appointment", min_date=datetime.date(2000, 1, 1),
                     max_date=datetime.date(2023, 7, 1), order=6),
        "letter": make(conference, "yes_no", "Do you need a letter for your employer?", order=7),
        "employer": None,
        "country": make(conference, "country", "Country of your office", order=9),
        "phone": make(conference, "phone", "Office landline", order=10),
        "email": make(conference, "email", "Office e-mail", order=11),
        "file": make(conference, "file", "Nomination letter", order=12),
    }


@pytest.fixture
def follow_up(conference, questions):
    return make(conference, "short_text", "Employer's name", required=True, order=8,
                depends_on=questions["letter"], depends_value="yes")


def answers_post(questions, **overrides):
    q = questions
    data = {
        "dietary_needs": "Vegetarian", "accessibility_needs": "",
        f"q_{q['group'].pk}": str(q["group"].choices.get(label="Corruption").pk),
        f"q_{q['topics'].pk}": [str(c.pk) for c in q["topics"].choices.all()],
        f"q_{q['short'].pk}": "Cairo office",
        f"q_{q['long'].pk}": "Two lines\nof remarks",
        f"q_{q['number'].pk}": "12",
        f"q_{q['date'].pk}": "2020-05-04",
        f"q_{q['letter'].pk}": "no",
        f"q_{q['country'].pk}": "EG",
        f"q_{q['phone'].pk}": "+20 2 1234 5678",
        f"q_{q['email'].pk}": "office@example.org",
        f"q_{q['file'].pk}": SimpleUploadedFile("letter.pdf", pdf(), "application/pdf"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def values(participant):
    return {a.question.label: a.data for a in Answer.objects.filter(participant=participant).select_related("question")}


def test_step_saves_every_kind_with_the_step(client, participant, questions):
    client.force_login(participant.user)
    page = client.get(needs_url())
    assert "Which working group will you join?" in page.content.decode()
    response = client.post(needs_url(), answers_post(questions))
    assert response.status_code == 302, response.content.decode()[:3000]
    q = questions
    assert values(participant) == {
        "Which working group will you join?": q["group"].choices.get(label="Corruption").pk,
        "Topics": sorted(c.pk for c in q["topics"].choices.all()),
        "Office": "Cairo office", "Remarks": "Two lines\nof remarks", "Years of experience": 12,
        "Date of appointment": "2020-05-04", "Do you need a letter for your employer?": False,
        "Country of your office": "EG", "Office landline": "+20 2 1234 5678", "Office e-mail": "office@example.org",
        "Nomination letter": None,
    }
    answer = Answer.objects.get(participant=participant, question=q["file"])
    assert answer.file.read().startswith(b"%PDF-")
    assert not answer.file.name.startswith("/") and answer.file.name.startswith("answers/")
    participant.refresh_from_db()
    assert participant.dietary_needs == "Vegetarian"
    assert AuditLog.objects.filter(action="answers.saved", object_id=str(participant.pk)).count() == 1


def test_questions_are_asked_in_arabic_with_english_fallback(client, participant, questions):
    client.force_login(participant.user)
    client.cookies["accord_language"] = "ar"
    html = client.get(needs_url()).content.decode()
    assert "أي فريق عامل ستنضم إليه؟" in html and "الفساد" in html
    assert "Office landline" in html  # no Arabic given: English


@pytest.mark.parametrize(("key", "value", "message"), [
    ("group", "", "This field is required."),
    ("group", "999999", "Select a valid choice."),
    ("topics", ["999999"], "Select a valid choice."),
    ("number", "51", "less than or equal to 50"),
    ("number", "-1", "greater than or equal to 0"),
    ("date", "1999-12-31", "greater than or equal to 2000-01-01"),
    ("date", "2024-01-01", "less than or equal to 2023-07-01"),
    ("email", "not-an-address", "Enter a valid email address."),
    ("phone", "call me", "Enter a phone number with digits"),
])
def test_bad_answer_refused_nothing_saved(client, participant, questions, key, value, message):
    client.force_login(participant.user)
    data = answers_post(questions, **{f"q_{questions[key].pk}": value})
    response = client.post(needs_url(), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Answer.objects.filter(participant=participant).count() == 0
    participant.refresh_from_db()
    assert participant.dietary_needs == ""


@pytest.mark.parametrize("content", [b"%PDF-1.4 not really a pdf", b"GIF89a" + b"\0" * 40, b"<svg></svg>"])
def test_file_that_does_not_open_refused(client, participant, questions, content):
    client.force_login(participant.user)
    data = answers_post(questions, **{f"q_{questions['file'].pk}": SimpleUploadedFile("x.pdf", content)})
    response = client.post(needs_url(), data)
    assert response.status_code == 400
    assert "The file must be a PDF or a JPEG or PNG image." in response.content.decode()
    assert Answer.objects.filter(participant=participant).count() == 0


def test_image_accepted_as_file(client, participant, questions):
    client.force_login(participant.user)
    data = answers_post(questions, **{f"q_{questions['file'].pk}": SimpleUploadedFile("me.png", png(), "image/png")})
    assert client.post(needs_url(), data).status_code == 302
    assert Answer.objects.get(question=questions["file"]).file.name.endswith(".png")


def test_refusal_in_arabic(client, participant, questions):
    client.force_login(participant.user)
    client.cookies["accord_language"] = "ar"
    data = answers_post(questions, **{f"q_{questions['file'].pk}": SimpleUploadedFile("x.pdf", b"nope")})
    response = client.post(needs_url(), data)
    assert response.status_code == 400
    assert 'lang="ar"' in response.content.decode()


def test_answer_to_question_hidden_from_participant_refused(client, participant, questions, conference):
    observers_only = make(conference, "short_text", "Observer status", categories=["observer"], order=20)
    client.force_login(participant.user)
    assert "Observer status" not in client.get(needs_url()).content.decode()
    response = client.post(needs_url(), answers_post(questions, **{f"q_{observers_only.pk}": "forged"}))
    assert response.status_code == 400
    assert "not asked" in response.content.decode()
    assert Answer.objects.count() == 0


def test_hidden_question_not_asked(client, participant, questions):
    Question.objects.filter(pk=questions["short"].pk).update(hidden=True)
    client.force_login(participant.user)
    response = client.post(needs_url(), answers_post(questions, **{f"q_{questions['short'].pk}": "x"}))
    assert response.status_code == 400
    assert Answer.objects.count() == 0


def test_follow_up_required_when_condition_met(client, participant, questions, follow_up):
    client.force_login(participant.user)
    letter = f"q_{questions['letter'].pk}"
    response = client.post(needs_url(), answers_post(questions, **{letter: "yes"}))
    assert response.status_code == 400
    assert Answer.objects.count() == 0
    response = client.post(needs_url(), answers_post(questions, **{letter: "yes", f"q_{follow_up.pk}": "UNODC"}))
    assert response.status_code == 302
    assert values(participant)["Employer's name"] == "UNODC"


def test_follow_up_refused_when_condition_not_met(client, participant, questions, follow_up):
    client.force_login(participant.user)
    response = client.post(needs_url(), answers_post(questions, **{f"q_{follow_up.pk}": "UNODC"}))
    assert response.status_code == 400
    assert "Answer this question only if you answered “Yes”" in response.content.decode()
    assert Answer.objects.count() == 0
    assert client.post(needs_url(), answers_post(questions)).status_code == 302
    assert "Employer's name" not in values(participant)


def test_answers_read_only_once_approved(client, participant, questions):
    client.force_login(participant.user)
    assert client.post(needs_url(), answers_post(questions)).status_code == 302
    type(participant).objects.filter(pk=participant.pk).update(status=ParticipantStatus.APPROVED)
    page = client.get(needs_url()).content.decode()
    assert "disabled" in page
    data = answers_post(questions, **{f"q_{questions['short'].pk}": "Changed"})
    client.post(needs_url(), data)
    assert values(participant)["Office"] == "Cairo office"


def test_question_with_answers_not_deleted_but_hidden(participant, questions):
    staff = StaffFactory()
    Answer.objects.create(participant=participant, question=questions["short"], value="x")
    with pytest.raises(AccordError, match="has answers"):
        question_delete(questions["short"], actor=staff)
    assert Question.objects.filter(pk=questions["short"].pk).exists()
    question = questions["short"]
    question.hidden = True
    question_save(question, actor=staff)
    assert AuditLog.objects.filter(action="question.changed", object_id=str(question.pk)).get().changes == {
        "hidden": [False, True]}
    question_delete(questions["long"], actor=staff)
    assert not Question.objects.filter(pk=questions["long"].pk).exists()


def test_admin_counts_answers_refuses_delete_and_keeps_choice_answers_readable(admin_client, participant, questions):
    group = questions["group"]
    corruption = group.choices.get(label="Corruption")
    Answer.objects.create(participant=participant, question=group, value=corruption.pk)
    listing = admin_client.get(reverse("admin:registration_question_changelist")).content.decode()
    assert "Which working group will you join?" in listing
    page = admin_client.get(reverse("admin:registration_question_change", args=[group.pk]))
    assert page.status_code == 200
    delete = admin_client.get(reverse("admin:registration_question_delete", args=[group.pk]))
    assert delete.status_code == 403
    data = {
        "conference": group.conference_id, "kind": "one_choice", "label": group.label, "label_fr": group.label_fr,
        "label_ar": group.label_ar, "help_text": "", "help_text_fr": "", "help_text_ar": "", "required": "on",
        "order": "1", "step": "needs", "depends_value": "",
        "choices-TOTAL_FORMS": "3", "choices-INITIAL_FORMS": "2", "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for index, choice in enumerate(group.choices.all()):
        data.update({f"choices-{index}-id": choice.pk, f"choices-{index}-question": group.pk,
                     f"choices-{index}-label": choice.label + (" and crime" if choice == corruption else ""),
                     f"choices-{index}-label_fr": choice.label_fr, f"choices-{index}-label_ar": choice.label_ar,
                     f"choices-{index}-order": choice.order})
    data.update({"choices-2-label": "Terrorism", "choices-2-order": "3", "choices-2-question": group.pk})
    response = admin_client.post(reverse("admin:registration_question_change", args=[group.pk]), data)
    assert response.status_code == 302, response.content.decode()[:4000]
    assert list(group.choices.values_list("label", flat=True)) == ["Drugs", "Corruption and crime", "Terrorism"]
    participant_page = admin_client.get(reverse("admin:registration_participant_change", args=[participant.pk]))
    assert "Corruption and crime" in participant_page.content.decode()
    assert AuditLog.objects.filter(action="question_choice.created").count() == 1
    assert AuditLog.objects.filter(action="question_choice.changed").count() == 1


def test_condition_on_an_answer_of_another_step(client, participant, conference):
    letter = Question.objects.create(conference=conference, kind="yes_no", label="Letter needed", step="personal")
    follow = make(conference, "short_text", "Employer", depends_on=letter, depends_value="yes", required=True)
    client.force_login(participant.user)
    base = {"dietary_needs": "", "accessibility_needs": ""}
    assert "Employer" not in client.get(needs_url()).content.decode()  # not answered yet: not asked
    response = client.post(needs_url(), {**base, f"q_{follow.pk}": "forged"})
    assert response.status_code == 400 and not Answer.objects.filter(question=follow).exists()
    Answer.objects.create(participant=participant, question=letter, value=True)
    assert "Employer" in client.get(needs_url()).content.decode()
    assert client.post(needs_url(), base).status_code == 400  # now asked, and required
    assert client.post(needs_url(), {**base, f"q_{follow.pk}": "UNODC"}).status_code == 302
    assert Answer.objects.get(question=follow).value == "UNODC"
