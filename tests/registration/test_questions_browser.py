"""The registration questions in headless Chromium, in English then in Arabic (right to left): every kind answered
on the needs step (a PDF and a PNG uploaded), the follow-up shown and asked only after "yes", a number out of range refused in
the page's language with nothing saved; axe-core over the step page in both languages."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from PIL import Image
from pypdf import PdfWriter

from registration.enums import ParticipantStatus
from registration.form_steps import step_number
from registration.models import Answer, Question, QuestionChoice
from tests.browser import AXE, LAUNCH_ARGS, axe_violations
from tests.factories import ConferenceFactory, ParticipantFactory, UserFactory


def _violations(page) -> list[str]:
    if not AXE.exists():
        return []
    return axe_violations(page)


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def _questions(conference):
    def make(kind, label, label_ar, order, **extra):
        return Question.objects.create(conference=conference, kind=kind, label=label, label_ar=label_ar,
                                       step="needs", order=order, **extra)

    group = make("one_choice", "Which working group will you join?", "أي فريق عامل ستنضم إليه؟", 1, required=True)
    for order, (en, ar) in enumerate([("Drugs", "المخدرات"), ("Corruption", "الفساد")]):
        QuestionChoice.objects.create(question=group, label=en, label_ar=ar, order=order)
    topics = make("several_choices", "Topics", "المواضيع", 2)
    for order, (en, ar) in enumerate([("Law", "القانون"), ("Health", "الصحة")]):
        QuestionChoice.objects.create(question=topics, label=en, label_ar=ar, order=order)
    letter = make("yes_no", "Do you need a letter for your employer?", "هل تحتاج إلى رسالة لجهة عملك؟", 3)
    make("short_text", "Employer's name", "اسم جهة العمل", 4, required=True, depends_on=letter, depends_value="yes")
    make("long_text", "Remarks", "ملاحظات", 5)
    make("number", "Years of experience", "سنوات الخبرة", 6, min_value=0, max_value=50)
    make("date", "Date of appointment", "تاريخ التعيين", 7)
    make("country", "Country of your office", "بلد مكتبك", 8)
    make("phone", "Office landline", "هاتف المكتب", 9)
    make("email", "Office e-mail", "البريد الإلكتروني للمكتب", 10)
    make("file", "Nomination letter", "رسالة الترشيح", 11)
    return group


@pytest.mark.browser
def test_browser_every_kind_of_question_in_english_and_arabic(live_server, transactional_db, settings,
                                                               chromium_path, tmp_path, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    cache.clear()
    conference = ConferenceFactory(slug="sharm2023")
    _questions(conference)
    people = {}
    for language in ("en", "ar"):
        user = UserFactory()
        people[language] = ParticipantFactory(conference=conference, user=user, email=user.email,
                                              status=ParticipantStatus.INVITED, preferred_language=language)
    pdf = tmp_path / "letter.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    with pdf.open("wb") as out:
        writer.write(out)
    png = tmp_path / "letter.png"
    Image.new("RGB", (60, 60), (200, 20, 20)).save(png, format="PNG")
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"%PDF-1.4 but nothing else")
    url = f"{live_server.url}/register/step/{step_number('needs')}/"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            for language, texts in (
                ("en", {"group": "Corruption", "topics": ["Law", "Health"], "yes": "Yes", "file": pdf,
                        "save": "Save and continue", "range": "less than or equal to 50",
                        "bad_file": "The file must be a PDF or a JPEG or PNG image."}),
                ("ar", {"group": "الفساد", "topics": ["القانون"], "yes": "نعم", "file": png,
                        "save": None, "range": None, "bad_file": None}),
            ):
                participant = people[language]
                context = browser.new_context(locale="ar-EG" if language == "ar" else "en-GB")
                if AXE.exists():
                    context.add_init_script(path=str(AXE))
                context.add_cookies([
                    {"name": django_settings.SESSION_COOKIE_NAME, "value": _session(participant.user),
                     "url": live_server.url},
                    {"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
                ])
                page = context.new_page()
                page.set_default_timeout(15000)
                page.goto(url)
                expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
                group_label = "أي فريق عامل ستنضم إليه؟" if language == "ar" else "Which working group will you join?"
                expect(page.get_by_text(group_label)).to_be_visible()
                assert _violations(page) == []
                # The follow-up shows only once "yes" is ticked.
                ids = {q.label: f"#id_q_{q.pk}" for q in Question.objects.filter(conference=conference)}
                expect(page.locator(ids["Employer's name"])).to_be_hidden()
                page.locator(f"{ids['Do you need a letter for your employer?']}_0").check()
                expect(page.locator(ids["Employer's name"])).to_be_visible()
                page.locator(f"{ids['Do you need a letter for your employer?']}_1").check()
                expect(page.locator(ids["Employer's name"])).to_be_hidden()

                def fill(years: str, upload: Path):
                    page.get_by_label(texts["group"], exact=True).check()
                    for topic in texts["topics"]:
                        page.get_by_label(topic, exact=True).check()
                    questions = {q.label: f"id_q_{q.pk}" for q in Question.objects.filter(conference=conference)}
                    page.locator(f"#{questions['Do you need a letter for your employer?']}_0").check()
                    page.fill(f"#{questions['Employer' + chr(39) + 's name']}", "وزارة العدل" if language == "ar"
                              else "Ministry of Justice")
                    page.fill(f"#{questions['Remarks']}", "Line one\nLine two")
                    page.fill(f"#{questions['Years of experience']}", years)
                    page.fill(f"#{questions['Date of appointment']}", "2020-05-04")
                    page.select_option(f"#{questions['Country of your office']}", "EG")
                    page.fill(f"#{questions['Office landline']}", "+20 2 1234 5678")
                    page.fill(f"#{questions['Office e-mail']}", "office@example.org")
                    page.set_input_files(f"#{questions['Nomination letter']}", str(upload))
                    page.locator("#save-step").click()

                # Out of range and a file that does not open: refused in the page's language, nothing saved.
                fill("51", fake)
                page.wait_for_load_state()
                expect(page.locator(".errorlist").first).to_be_visible()
                if texts["range"]:
                    expect(page.get_by_text(texts["range"], exact=False)).to_be_visible()
                    expect(page.get_by_text(texts["bad_file"])).to_be_visible()
                else:
                    html = page.content()
                    assert "50" in html and "Ensure this value" not in html
                assert not Answer.objects.filter(participant=participant).exists()
                assert _violations(page) == []

                fill("12", texts["file"])
                page.wait_for_url(f"**/register/step/{step_number('needs') + 1}/")
                answers = {a.question.label: a.value for a in Answer.objects.filter(participant=participant)
                           .select_related("question")}
                assert answers["Years of experience"] == 12
                assert answers["Do you need a letter for your employer?"] is True
                assert answers["Employer's name"] == ("وزارة العدل" if language == "ar" else "Ministry of Justice")
                assert answers["Country of your office"] == "EG"
                assert len(answers) == 11
                stored = Answer.objects.get(participant=participant, question__kind="file").file
                assert stored.name.endswith(".pdf" if language == "en" else ".png")
                context.close()
        finally:
            browser.close()
