"""Where the answers to the registration questions are used: the participant lists (CSV and XLSX, read back with
openpyxl; formula-safe; sensitive answers masked without the permission), the dashboard's counts per choice, the
participants' list filter (its query count does not grow with questions and answers), the answer's file served to
staff only, and the participant's own-data export."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from conference.selectors import current_conference
from privacy.models import ReadLog
from registration.models import Answer, Participant, Question, QuestionChoice
from tests.factories import DelegationFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/registration/participant/"


def make_questions(conference, n_extra=0):
    group = Question.objects.create(conference=conference, kind="one_choice", label="Working group",
                                    label_ar="الفريق العامل", step="needs", order=1)
    drugs = QuestionChoice.objects.create(question=group, label="Drugs", label_ar="المخدرات", order=1)
    corruption = QuestionChoice.objects.create(question=group, label="Corruption", label_ar="الفساد", order=2)
    letter = Question.objects.create(conference=conference, kind="yes_no", label="Employer letter", step="needs",
                                     order=2)
    note = Question.objects.create(conference=conference, kind="short_text", label="Office", step="needs", order=3)
    health = Question.objects.create(conference=conference, kind="long_text", label="Medical condition",
                                     step="needs", order=4, sensitive=True)
    for i in range(n_extra):
        extra = Question.objects.create(conference=conference, kind="one_choice", label=f"Extra {i}", step="needs",
                                        order=10 + i)
        QuestionChoice.objects.create(question=extra, label=f"Option {i}")
    return {"group": group, "drugs": drugs, "corruption": corruption, "letter": letter, "note": note,
            "health": health}


def answer(participant, question, value):
    field = "sensitive_value" if question.sensitive else "value"
    return Answer.objects.create(participant=participant, question=question, **{field: value})


@pytest.fixture
def answered(conference):
    q = make_questions(conference)
    delegation = DelegationFactory(conference=conference, code="EGY")
    amina = ParticipantFactory(conference=conference, delegation=delegation, last_name="Amina", status="approved")
    omar = ParticipantFactory(conference=conference, delegation=delegation, last_name="Omar", status="approved")
    answer(amina, q["group"], q["corruption"].pk)
    answer(amina, q["letter"], True)
    answer(amina, q["note"], "=HYPERLINK(\"http://evil\")")
    answer(amina, q["health"], "Asthma")
    answer(omar, q["group"], q["drugs"].pk)
    answer(omar, q["letter"], False)
    return q, amina, omar


def export(client, fmt):
    ids = list(Participant.objects.values_list("pk", flat=True))
    return client.post(CHANGELIST, {"action": f"export_{fmt}", "_selected_action": ids})


def rows_of(response, fmt):
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [["" if v is None else v for v in r] for r in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_carry_answers_formula_safe_sensitive_masked(admin_client, client, answered, fmt):
    q, amina, omar = answered
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_participant", "change_participant"]))
    client.force_login(staff)
    rows = rows_of(export(client, fmt), fmt)
    header = rows[0]
    by_name = {row[header.index("Surname")]: row for row in rows[1:]}
    group, letter, note, health = (header.index(n) for n in ("Working group", "Employer letter", "Office",
                                                             "Medical condition"))
    assert by_name["Amina"][group] == "Corruption" and by_name["Omar"][group] == "Drugs"
    assert by_name["Amina"][letter] == "yes" and by_name["Omar"][letter] == "no"
    assert by_name["Amina"][note] == "'=HYPERLINK(\"http://evil\")"
    assert by_name["Amina"][health] == "(hidden)" and by_name["Omar"][health] == ""
    assert not ReadLog.objects.filter(kind="sensitive").exists()
    # The superuser holds the permission: the value, and the read is logged for each exported participant.
    rows = rows_of(export(admin_client, fmt), fmt)
    header = rows[0]
    by_name = {row[header.index("Surname")]: row for row in rows[1:]}
    assert by_name["Amina"][header.index("Medical condition")] == "Asthma"
    assert ReadLog.objects.filter(kind="sensitive", what="answers to sensitive questions").count() == 2


def test_dashboard_counts_per_choice(admin_client, answered, conference):
    q, _amina, _omar = answered
    response = admin_client.get(reverse("admin:registration_participant_dashboard", args=[conference.pk]))
    counts = {item["label"]: dict(item["rows"]) for item in response.context["question_counts"]}
    assert counts == {"Working group": {"Drugs": 1, "Corruption": 1}, "Employer letter": {"yes": 1, "no": 1}}
    assert "Medical condition" not in response.content.decode()  # sensitive: not counted on the dashboard
    admin_client.cookies["accord_language"] = "ar"
    html = admin_client.get(reverse("admin:registration_participant_dashboard", args=[conference.pk])).content.decode()
    assert "الفريق العامل" in html and "الفساد" in html


def test_list_filter_by_choice_and_yes_no(admin_client, answered):
    q, amina, omar = answered
    response = admin_client.get(CHANGELIST, {"answer": f"{q['group'].pk}:{q['corruption'].pk}"})
    assert [p.pk for p in response.context["cl"].result_list] == [amina.pk]
    response = admin_client.get(CHANGELIST, {"answer": f"{q['letter'].pk}:no"})
    assert [p.pk for p in response.context["cl"].result_list] == [omar.pk]
    response = admin_client.get(CHANGELIST, {"answer": f"{q['health'].pk}:1"})  # sensitive: never filtered
    assert list(response.context["cl"].result_list) == []


def test_changelist_query_count_independent_of_questions_and_answers(admin_client, conference,
                                                                    django_assert_num_queries):
    q = make_questions(conference)
    delegation = DelegationFactory(conference=conference, code="EGY")
    participant = ParticipantFactory(conference=conference, delegation=delegation)
    answer(participant, q["group"], q["drugs"].pk)
    current_conference()
    # session, user, the filtered count (no full count: show_full_result_count is off), the rows, the filters'
    # lists (conferences, delegations), the questions and their choices for the answer filter, ...: the same with 1
    # question and 1 answer as with 16 and 61
    with django_assert_num_queries(10):
        assert admin_client.get(CHANGELIST).status_code == 200
    make_questions(conference, n_extra=12)
    for i in range(30):
        p = ParticipantFactory(conference=conference, delegation=delegation)
        answer(p, q["group"], q["corruption"].pk)
        answer(p, q["letter"], bool(i % 2))
    with django_assert_num_queries(10):
        assert admin_client.get(CHANGELIST).status_code == 200


def test_answer_file_served_to_staff_only_and_logged(admin_client, client, conference):
    question = Question.objects.create(conference=conference, kind="file", label="Nomination letter", step="needs")
    participant = ParticipantFactory(conference=conference)
    stored = Answer(participant=participant, question=question)
    stored.file.save("a.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    url = reverse("admin:registration_answer_file", args=[stored.pk])
    response = admin_client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert ReadLog.objects.filter(participant=participant, where="download").count() == 1
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 404
    assert admin_client.get(reverse("admin:registration_answer_file", args=[stored.pk + 999])).status_code == 404
    page = admin_client.get(reverse("admin:registration_participant_change", args=[participant.pk])).content.decode()
    assert url in page


def test_own_data_export_has_the_answers(client, answered):
    q, amina, _omar = answered
    user = UserFactory(email=amina.email)
    Participant.objects.filter(pk=amina.pk).update(user=user)
    client.force_login(user)
    data = json.loads(client.get(reverse("privacy:my_data_json")).content)
    text = json.dumps(data, ensure_ascii=False)
    assert "Asthma" in text and str(q["corruption"].pk) in text


def test_desk_page_shows_answers_sensitive_masked(client, admin_client, answered, conference):
    _q, amina, _omar = answered
    url = reverse("registration:desk_participant", args=[amina.public_id])
    html = admin_client.get(url).content.decode()
    assert "Working group" in html and "Corruption" in html and "Asthma" in html
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_participant", "change_participant"]))
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Corruption" in html and "Asthma" not in html and "(hidden)" in html


@pytest.mark.parametrize("extra", [0, 12])
def test_question_changelist_counts_answers_in_constant_queries(admin_client, answered, conference, extra,
                                                                django_assert_num_queries):
    for i in range(extra):
        Question.objects.create(conference=conference, kind="yes_no", label=f"More {i}", step="needs")
    current_conference()
    # the same with 4 questions as with 16: the answers are counted in the rows' query
    with django_assert_num_queries(6):
        response = admin_client.get(reverse("admin:registration_question_changelist"))
    rows = {q.label: q.answers_n for q in response.context["cl"].result_list}
    assert rows["Working group"] == 2 and rows["Employer letter"] == 2 and rows["Medical condition"] == 1
