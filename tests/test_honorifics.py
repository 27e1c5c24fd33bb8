"""Titles printed before names (issue 23 item 4): the organizers' list per language and gender, the one function
that picks the printed form, the admin that edits it through the service, and the badge that prints it."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.core.cache import cache

from conference.honorifics import DEFAULT_HONORIFICS, honorifics_cache_key, printed_honorific
from conference.models import AuditLog, Honorific
from conference.services import AccordError, honorific_delete, honorific_save, honorifics_seed_defaults
from onsite.services.badges import badge_data, render_badges
from registration.enums import Gender, Title
from tests.factories import ConferenceFactory, StaffFactory
from tests.onsite.factories import approved_with_badge

pytestmark = pytest.mark.django_db

GENDERS = ["female", "male", "undisclosed", ""]


@pytest.mark.parametrize(("title", "gender", "language", "printed"), [
    ("judge", "female", "ar", "القاضية"),
    ("judge", "male", "ar", "القاضي"),
    ("judge", "", "ar", "القاضي"),
    ("counsellor", "female", "ar", "المستشارة"),
    ("he", "male", "ar", "سعادة"),
    ("he", "female", "ar", "سعادة"),
    ("dr", "female", "ar", "د."),
    ("prof", "male", "ar", "أ. د."),
    ("judge", "female", "fr", "Mme la juge"),
    ("judge", "male", "fr", "M. le juge"),
    ("judge", "undisclosed", "fr", "Juge"),
    ("counsellor", "female", "fr", "Conseillère"),
    ("he", "female", "fr", "S. E."),
    ("judge", "female", "en", "Judge"),
    ("he", "male", "en", "H.E."),
    ("ms", "female", "ar", "السيدة"),
    ("", "female", "ar", ""),
    ("unknown", "female", "ar", ""),
])
def test_printed_honorific_defaults(conference, title, gender, language, printed):
    assert printed_honorific(conference, title, gender, language) == printed


def test_printed_honorific_never_minister_form_in_arabic(conference):
    printed = {printed_honorific(conference, code, gender, "ar") for code in Title.values for gender in GENDERS}
    assert not any("معالي" in form or "الدكتور" in form for form in printed)
    assert printed_honorific(conference, Title.HE, Gender.MALE, "ar") == "سعادة"


def test_printed_honorific_covers_every_title_in_every_language(conference):
    assert set(DEFAULT_HONORIFICS) == set(Title.values)
    for code in Title.values:
        for language in ("en", "fr", "ar"):
            assert printed_honorific(conference, code, "female", language)


def test_printed_honorific_unknown_language_falls_back_to_english(conference):
    assert printed_honorific(conference, "judge", "female", "es") == "Judge"
    assert printed_honorific(conference, "judge", "female", "ar-eg") == "القاضية"


def test_printed_honorific_reads_the_table_once(conference, django_assert_num_queries):
    with django_assert_num_queries(1):
        printed_honorific(conference, "judge", "female", "ar")
    with django_assert_num_queries(0):
        assert printed_honorific(conference, "he", "male", "fr") == "S. E."


def test_seed_defaults_creates_every_title_once_and_keeps_edits(conference):
    organizer = StaffFactory()
    created = honorifics_seed_defaults(conference, actor=organizer)
    assert sorted(row.code for row in created) == sorted(Title.values)
    judge = Honorific.objects.get(conference=conference, code="judge")
    assert (judge.ar, judge.ar_female, judge.fr_male, judge.fr_female) == ("القاضي", "القاضية", "M. le juge", "Mme la juge")
    judge.fr_female = "Madame la juge"
    honorific_save(judge, actor=organizer)

    assert honorifics_seed_defaults(conference, actor=organizer) == []
    assert Honorific.objects.filter(conference=conference).count() == len(Title.values)
    assert Honorific.objects.get(pk=judge.pk).fr_female == "Madame la juge"
    assert AuditLog.objects.filter(action="honorific.seed").count() == 1


def test_honorific_save_changes_the_printed_form_and_audits(conference, django_capture_on_commit_callbacks):
    organizer = StaffFactory()
    assert printed_honorific(conference, "dr", "female", "fr") == "Dr"  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        honorific_save(
            Honorific(conference=conference, code="dr", en="Dr.", fr="Dr", fr_female="Dre", ar="د."), actor=organizer
        )
    assert printed_honorific(conference, "dr", "female", "fr") == "Dre"
    assert printed_honorific(conference, "dr", "male", "fr") == "Dr"
    entry = AuditLog.objects.get(action="honorific.create")
    assert entry.actor == organizer and entry.conference == conference
    assert entry.changes["fr_female"] == ["", "Dre"]


def test_honorific_of_one_conference_does_not_change_another(conference):
    other = ConferenceFactory()
    honorific_save(Honorific(conference=other, code="he", en="H.E.", ar="صاحب السعادة"), actor=StaffFactory())
    assert printed_honorific(other, "he", "male", "ar") == "صاحب السعادة"
    assert printed_honorific(conference, "he", "male", "ar") == "سعادة"


def test_honorific_save_refuses_a_second_row_for_a_code(conference):
    organizer = StaffFactory()
    honorific_save(Honorific(conference=conference, code="judge", en="Judge"), actor=organizer)
    with pytest.raises(AccordError):
        honorific_save(Honorific(conference=conference, code="judge", en="Justice"), actor=organizer)
    assert list(Honorific.objects.values_list("en", flat=True)) == ["Judge"]
    assert AuditLog.objects.filter(action__startswith="honorific.").count() == 1


def test_honorific_delete_prints_the_default_again(conference, django_capture_on_commit_callbacks):
    organizer = StaffFactory()
    row = honorific_save(Honorific(conference=conference, code="he", en="H.E.", ar="صاحب السعادة"), actor=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        honorific_delete(row, actor=organizer)
    assert not Honorific.objects.exists()
    assert cache.get(honorifics_cache_key(conference.pk)) is None
    assert printed_honorific(conference, "he", "male", "ar") == "سعادة"
    assert AuditLog.objects.filter(action="honorific.delete").count() == 1


def test_admin_edits_a_title_through_the_service(client, conference, django_capture_on_commit_callbacks):
    organizer = StaffFactory(username="organizer@example.org")
    client.force_login(organizer)
    honorifics_seed_defaults(conference)
    judge = Honorific.objects.get(conference=conference, code="judge")
    form = {name: getattr(judge, name) for name in
            ["code", "en", "en_male", "en_female", "fr", "fr_male", "fr_female", "ar", "ar_male", "ar_female"]}
    form.update(conference=conference.pk, ar_female="السيدة القاضية")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/conference/honorific/{judge.pk}/change/", form)

    assert response.status_code == 302
    assert Honorific.objects.get(pk=judge.pk).ar_female == "السيدة القاضية"
    entry = AuditLog.objects.get(action="honorific.update")
    assert entry.actor == organizer and entry.changes == {"ar_female": ["القاضية", "السيدة القاضية"]}
    assert printed_honorific(conference, "judge", "female", "ar") == "السيدة القاضية"
    listing = client.get("/admin/conference/honorific/")
    assert listing.status_code == 200 and "السيدة القاضية" in listing.content.decode()


def test_badge_prints_the_arabic_woman_judge_title(conference):
    judge = approved_with_badge(conference=conference, title="judge", gender="female", preferred_language="ar",
                                badge_name="Amina El-Sayed")
    ambassador = approved_with_badge(conference=conference, title="he", gender="male", preferred_language="ar",
                                     badge_name="Omar Fahmy")
    data = badge_data(judge)
    assert data["honorific"] == "القاضية" and data["lang"] == "ar" and data["dir"] == "rtl"
    assert badge_data(ambassador)["honorific"] == "سعادة"

    reader = pypdf.PdfReader(io.BytesIO(render_badges([data])))
    text = reader.pages[0].extract_text()
    assert "القاضية" in text and "Amina El-Sayed" in text
    assert reader.metadata.title == "الشارات"  # <title> in the badges' language


def test_badge_document_language_follows_its_badges(conference):
    from onsite.rendering import render_badges_html

    french = badge_data(approved_with_badge(conference=conference, title="judge", gender="male", preferred_language="fr"))
    english = badge_data(approved_with_badge(conference=conference, preferred_language="en"))
    html = render_badges_html([french])
    assert '<html lang="fr" dir="ltr">' in html and "<title>Badges</title>" in html
    assert 'class="honorific">M. le juge<' in html
    mixed = render_badges_html([french, english])
    assert '<html lang="en" dir="ltr">' in mixed


def _letter_text(participant) -> str:
    from django.utils import timezone

    from logistics.rendering import render_visa_letter

    content = render_visa_letter(participant, reference="SHARM2023/VISA/0001", issued_at=timezone.now())
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_visa_letter_prints_the_title_for_the_language_and_gender(conference):
    from tests.factories import ParticipantFactory

    judge_ar = ParticipantFactory(conference=conference, status="approved", preferred_language="ar", title="judge",
                                  gender="female", first_name="Amina", last_name="Diallo")
    judge_fr = ParticipantFactory(conference=conference, status="approved", preferred_language="fr", title="judge",
                                  gender="female", first_name="Amina", last_name="Diallo")
    ambassador_ar = ParticipantFactory(conference=conference, status="approved", preferred_language="ar", title="he",
                                       gender="male", first_name="Omar", last_name="Fahmy")
    arabic = _letter_text(judge_ar)
    assert "القاضية" in arabic and "Amina Diallo" in arabic
    assert "Mme la juge Amina Diallo" in _letter_text(judge_fr)
    ambassador = _letter_text(ambassador_ar)
    assert "سعادة" in ambassador and "معالي" not in ambassador


def test_participant_export_prints_the_title_in_the_export_language(conference):
    from django.utils import translation

    from registration.exports import participants_csv
    from registration.models import Participant
    from tests.factories import ParticipantFactory

    ParticipantFactory(conference=conference, title="judge", gender="female", email="judge@example.org")
    with translation.override("fr"):
        french = participants_csv(Participant.objects.filter(conference=conference)).decode("utf-8-sig")
    with translation.override("ar"):
        arabic = participants_csv(Participant.objects.filter(conference=conference)).decode("utf-8-sig")
    assert "Mme la juge" in french
    assert "القاضية" in arabic


@pytest.mark.parametrize(("language", "gender", "salutation"), [
    ("fr", "female", "Chère Amina Diallo,"),
    ("fr", "male", "Cher Amina Diallo,"),
    ("fr", "undisclosed", "Cher/Chère Amina Diallo,"),
    ("ar", "female", "السيدة Amina Diallo،"),
    ("ar", "male", "السيد Amina Diallo،"),
    ("ar", "", "السيد/السيدة Amina Diallo،"),
    ("en", "female", "Dear Amina Diallo,"),
])
def test_decision_email_salutation_follows_the_gender(conference, language, gender, salutation, mailoutbox,
                                                      django_capture_on_commit_callbacks):
    from registration.services.participants import participant_approve
    from tests.factories import ParticipantFactory

    participant = ParticipantFactory(conference=conference, status="submitted", preferred_language=language,
                                     gender=gender, badge_name="Amina Diallo")
    with django_capture_on_commit_callbacks(execute=True):
        participant_approve(participant, actor=StaffFactory())
    message = next(m for m in mailoutbox if m.to == [participant.email])
    assert salutation in message.body
    html_salutation = salutation.replace("Amina Diallo", "<bdi>Amina Diallo</bdi>")
    assert html_salutation in message.alternatives[0][0]
