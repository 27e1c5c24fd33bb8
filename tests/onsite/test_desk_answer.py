"""The desk's scan answer carries what staff compare with the person in front of them (issue 24 item 6)."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from conference.enums import DelegationKind
from onsite.services.badges import badge_code
from registration.enums import ParticipantCategory
from tests.factories import ConferenceFactory, DelegationFactory, StaffFactory
from tests.onsite.factories import approved_with_badge

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory(is_superuser=False))
    return client


def scan(client, code):
    body = json.dumps({"code": code, "client_id": str(uuid.uuid4())})
    return client.post(reverse("registration:desk_scan"), data=body, content_type="application/json").json()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), (10, 120, 10)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_scan_answer_has_photo_both_scripts_flag_and_category(staff_client, conference):
    delegation = DelegationFactory(conference=conference, code="TUN", country="TN")
    person = approved_with_badge(
        conference=conference, delegation=delegation, badge_name="Amina Haddad", badge_name_ar="أمينة حداد",
        position="Judge", category=ParticipantCategory.EXPERT,
    )
    person.photo.save("p.jpg", ContentFile(jpeg()), save=True)

    answer = scan(staff_client, badge_code(person.badge))

    assert answer["result"] == "ok"
    shown = answer["participant"]
    assert (shown["name"], shown["name_ar"], shown["position"]) == ("Amina Haddad", "أمينة حداد", "Judge")
    assert (shown["delegation_code"], shown["country"], shown["category_key"]) == ("TUN", "TN", "expert")
    assert shown["flag_url"] == "/static/pdf/flags/tn.png"
    assert shown["photo_url"] == reverse("registration:desk_photo", args=[person.public_id])
    assert shown["url"] == reverse("registration:desk_participant", args=[person.public_id])
    assert staff_client.get(shown["photo_url"]).status_code == 200


def test_scan_answer_same_names_told_apart_by_delegation(staff_client, conference):
    first = approved_with_badge(conference=conference, badge_name="Ahmed Ali",
                                delegation=DelegationFactory(conference=conference, code="EGY", country="EG"))
    second = approved_with_badge(conference=conference, badge_name="Ahmed Ali",
                                 delegation=DelegationFactory(conference=conference, code="JOR", country="JO"))

    answers = [scan(staff_client, badge_code(p.badge))["participant"] for p in (first, second)]

    assert [a["name"] for a in answers] == ["Ahmed Ali", "Ahmed Ali"]
    assert [(a["delegation_code"], a["country"]) for a in answers] == [("EGY", "EG"), ("JOR", "JO")]
    assert answers[0]["url"] != answers[1]["url"]
    assert [a["photo_url"] for a in answers] == ["", ""]


def test_scan_answer_without_flag_image_keeps_country_code(staff_client, conference):
    organisation = DelegationFactory(conference=conference, code="UNODC", country="",
                                     kind=DelegationKind.UN, organization="UNODC")
    person = approved_with_badge(conference=conference, delegation=organisation)

    shown = scan(staff_client, badge_code(person.badge))["participant"]

    assert (shown["flag_url"], shown["country"], shown["delegation_code"]) == ("", "", "UNODC")


def test_scan_answer_other_conference_shows_nobody(staff_client, conference):
    other = approved_with_badge(conference=ConferenceFactory(slug="elsewhere"), badge_name="Someone Else")
    other.photo.save("p.jpg", ContentFile(jpeg()), save=True)

    answer = scan(staff_client, badge_code(other.badge))

    assert answer["result"] == "other_conference"
    assert answer["participant"] is None


def test_desk_search_namesakes_told_apart_by_flag_position_and_photo(staff_client, conference):
    egypt = DelegationFactory(conference=conference, code="EGY", country="EG")
    jordan = DelegationFactory(conference=conference, code="JOR", country="JO")
    first = approved_with_badge(conference=conference, delegation=egypt, first_name="Ahmed", last_name="Ali",
                                position="Prosecutor")
    first.photo.save("p.jpg", ContentFile(jpeg()), save=True)
    approved_with_badge(conference=conference, delegation=jordan, first_name="Ahmed", last_name="Ali", position="Judge")

    response = staff_client.get(reverse("registration:desk"), {"q": "Ahmed Ali"})

    body = response.content.decode()
    assert [p.flag_url for p in response.context["results"]] == ["/static/pdf/flags/eg.png", "/static/pdf/flags/jo.png"]
    assert body.count('class="flag"') == 2 and "Prosecutor" in body and "Judge" in body
    assert body.count('class="thumb"') == 1
