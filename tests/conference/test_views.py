import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conference.models import Partner
from tests.factories import ConferenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sharm():
    conference = ConferenceFactory(
        slug="sharm2023", name="Inter-regional Conference", name_fr="Conférence interrégionale",
        name_ar="المؤتمر الأقاليمي", venue="Congress Centre", venue_ar="مركز المؤتمرات",
        city="Sharm El Sheikh", city_fr="Charm el-Cheikh", city_ar="شرم الشيخ",
    )
    Partner.objects.create(conference=conference, role="host", name="UNODC ROMENA", name_ar="المكتب الإقليمي")
    Partner.objects.create(conference=conference, role="funder", name="European Union",
                           name_fr="Union européenne", name_ar="الاتحاد الأوروبي")
    return conference


@pytest.mark.parametrize(
    ("language", "direction", "name", "funder", "city"),
    [
        ("en", "ltr", "Inter-regional Conference", "European Union", "Sharm El Sheikh"),
        ("fr", "ltr", "Conférence interrégionale", "Union européenne", "Charm el-Cheikh"),
        ("ar", "rtl", "المؤتمر الأقاليمي", "الاتحاد الأوروبي", "شرم الشيخ"),
    ],
)
def test_home_renders_in_each_language(client, sharm, language, direction, name, funder, city):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in body
    assert f'<h1 id="conference-name">{name}</h1>' in body
    assert funder in body and city in body
    assert 'datetime="2023-07-10"' in body and 'datetime="2023-07-13"' in body


def test_home_links_to_register_agenda_and_login(client, sharm):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/programme/"' in body
    assert 'href="/accounts/login/"' in body
    assert 'href="/register/"' in body or 'href="/accounts/signup/"' in body
    assert "UNODC ROMENA" in body and "Hosted by" in body and "Funded by" in body


def test_home_escapes_conference_text(client):
    ConferenceFactory(slug="sharm2023", name="<script>alert(1)</script>")
    body = client.get("/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_home_without_conference(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No conference has been set up yet." in response.content.decode()


def test_home_queries_constant_with_one_and_many_partners(client, sharm):
    client.get("/")  # the conference is kept in the shared cache from the first request on
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for i in range(10):
        Partner.objects.create(conference=sharm, role="partner", name=f"Partner {i}")
    with CaptureQueriesContext(connection) as many:
        body = client.get("/").content.decode()
    assert "Partner 9" in body
    assert len(few) == len(many)
