"""The demo content's French and Arabic wording (issue 23, review "Demo content"): UN terms, French typography,
and a demo seeded by an earlier version brought up to date by ``seed_demo`` without writing on a second run."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from conference.honorifics import printed_honorific
from conference.models import Conference, Honorific, Partner
from demo import demo_data
from sessions_app.models import Room, Session
from tests.test_french_typography import french_spacing_problems

pytestmark = pytest.mark.django_db


def _french_texts():
    yield demo_data.CONFERENCE["name_fr"]
    yield demo_data.CONFERENCE["description_fr"]
    for _role, _name, name_fr, _name_ar in demo_data.PARTNERS:
        yield name_fr
    for spec in demo_data.delegation_specs():
        yield spec.organization_fr
    for room in demo_data.ROOMS:
        yield room[1]
    for row in demo_data.SESSIONS:
        yield row[5][1]
        if row[6]:
            yield row[6][1]


def _arabic_texts():
    for _role, _name, _name_fr, name_ar in demo_data.PARTNERS:
        yield name_ar
    for room in demo_data.ROOMS:
        yield room[2]
    for row in demo_data.SESSIONS:
        yield row[5][2]
        if row[6]:
            yield row[6][2]


def test_demo_french_wording_uses_the_un_terms_and_french_spacing():
    texts = list(_french_texts())
    problems = {text: french_spacing_problems(text) for text in texts if french_spacing_problems(text)}
    assert problems == {}
    joined = "\n".join(texts)
    for avoided in ("Session thématique", "sessions thématiques", "Table ronde", "Événement parallèle", "comptoir",
                    "sensibles au genre", "la lutte contre et la prévention"):
        assert avoided not in joined, avoided
    assert "Séance thématique 1\u202f: Cadres juridiques et incrimination" in joined
    assert "Manifestation parallèle\u202f: La voix des survivants" in joined
    assert "avec les États membres de l'UE." in joined
    assert "pour la prévention et la lutte contre la migration illégale et la traite des personnes" in joined


def test_demo_arabic_wording_uses_the_un_terms():
    joined = "\n".join(_arabic_texts())
    for avoided in ("مجموعة العمل", "فعالية جانبية", "القاعة العامة نفرتيتي", "كأساس قانوني", "تحديد الضحايا"):
        assert avoided not in joined, avoided
    for wanted in ("قاعة نفرتيتي للجلسات العامة", "الفريق العامل ألف", "الفريق العامل باء", "الفريق العامل جيم",
                   "مناسبة جانبية", "اتفاقية الجريمة المنظمة أساسًا قانونيًا", "تحديد هوية الضحايا"):
        assert wanted in joined, wanted


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_updates_the_wording_of_an_earlier_demo_and_then_writes_nothing():
    _seed()
    conference = Conference.objects.get(slug="sharm2023")
    assert Honorific.objects.filter(conference=conference).count() == 7
    assert printed_honorific(conference, "judge", "female", "ar") == "القاضية"
    # What an earlier version of the demo wrote.
    Room.objects.filter(name="Nefertiti Plenary Hall").update(name_ar="القاعة العامة نفرتيتي")
    Session.objects.filter(title__startswith="Working group A").update(title_ar="مجموعة العمل أ: ممر شمال أفريقيا والساحل")
    Partner.objects.filter(role="host", name__startswith="National").update(name_fr="Comité national (ancien nom)")

    output = _seed()

    assert "1 room names updated" in output and "1 session texts updated" in output
    assert "1 partner names updated" in output
    assert Room.objects.get(name="Nefertiti Plenary Hall").name_ar == "قاعة نفرتيتي للجلسات العامة"
    assert Session.objects.get(title__startswith="Working group A").title_ar.startswith("الفريق العامل ألف")
    assert "updated" not in _seed()
