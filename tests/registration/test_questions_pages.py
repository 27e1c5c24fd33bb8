"""The registration questions in the focal point's nomination form and in the open request, when the organizers
ask them there: saved with the new participant, refused (nothing created) when missing, forged or not asked of
the chosen category."""

import pytest
from django.urls import reverse

from registration.models import Answer, Participant, Question, QuestionChoice
from tests.factories import DelegationFactory, UserFactory

pytestmark = pytest.mark.django_db

NOMINATION = {"first_name": "Omar", "last_name": "Nasser", "email": "omar@example.org", "category": "delegate",
              "language": "ar"}
REQUEST = {"first_name": "Karim", "last_name": "Mansour", "position": "Inspector", "organization": "Border police",
           "reason": "Smuggling unit.", "category": "delegate", "delegation": "observer"}


@pytest.fixture
def group(conference):
    question = Question.objects.create(conference=conference, kind="one_choice", label="Working group", step="needs",
                                       in_nomination=True, in_request=True, required=True)
    QuestionChoice.objects.create(question=question, label="Drugs", order=1)
    QuestionChoice.objects.create(question=question, label="Corruption", order=2)
    return question


@pytest.fixture
def focal(conference):
    user = UserFactory()
    delegation = DelegationFactory(conference=conference, code="EGY", seat_quota=3)
    delegation.focal_points.add(user)
    return user


def nominate(client, data):
    return client.post(reverse("registration:delegation_nominate", kwargs={"code": "EGY"}), data)


def test_nomination_asks_and_saves_the_answer(client, focal, group):
    client.force_login(focal)
    assert "Working group" in client.get(reverse("registration:delegation", kwargs={"code": "EGY"})).content.decode()
    corruption = group.choices.get(label="Corruption")
    assert nominate(client, {**NOMINATION, f"q_{group.pk}": str(corruption.pk)}).status_code == 302
    participant = Participant.objects.get(email="omar@example.org")
    assert Answer.objects.get(participant=participant, question=group).value == corruption.pk


@pytest.mark.parametrize("value", [None, "999999"])
def test_nomination_refused_without_or_with_forged_answer(client, focal, group, value):
    client.force_login(focal)
    data = {**NOMINATION, **({f"q_{group.pk}": value} if value else {})}
    assert nominate(client, data).status_code == 400
    assert not Participant.objects.filter(email="omar@example.org").exists()
    assert not Answer.objects.exists()


def test_nomination_refuses_answer_not_asked_of_the_category(client, focal, group, conference):
    experts = Question.objects.create(conference=conference, kind="short_text", label="Expertise", step="needs",
                                      in_nomination=True, categories=["expert"])
    client.force_login(focal)
    data = {**NOMINATION, f"q_{group.pk}": str(group.choices.first().pk), f"q_{experts.pk}": "Forensics"}
    response = nominate(client, data)
    assert response.status_code == 400
    assert "not asked of this category" in response.content.decode()
    assert not Participant.objects.filter(email="omar@example.org").exists()


def test_open_request_asks_and_saves_the_answer(client, conference, group):
    user = UserFactory(email="karim@example.org", username="karim@example.org")
    client.force_login(user)
    assert "Working group" in client.get(reverse("registration:open_request")).content.decode()
    assert client.post(reverse("registration:open_request"), REQUEST).status_code == 400
    assert not Participant.objects.filter(email="karim@example.org").exists()
    drugs = group.choices.get(label="Drugs")
    response = client.post(reverse("registration:open_request"), {**REQUEST, f"q_{group.pk}": str(drugs.pk)})
    assert response.status_code == 302
    participant = Participant.objects.get(email="karim@example.org")
    assert Answer.objects.get(participant=participant).value == drugs.pk


def test_question_not_marked_is_not_asked_in_the_request(client, conference, group):
    Question.objects.filter(pk=group.pk).update(in_request=False)
    user = UserFactory(email="karim@example.org", username="karim@example.org")
    client.force_login(user)
    response = client.post(reverse("registration:open_request"), {**REQUEST, f"q_{group.pk}": "1"})
    assert response.status_code == 400
    assert not Participant.objects.filter(email="karim@example.org").exists()
