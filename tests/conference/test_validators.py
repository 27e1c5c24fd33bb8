"""Single-line text (titles, names, subjects) refuses control and text-direction characters (issue 20, item 4).

A line break in a session title once reached the waiting-list promotion e-mail's Subject header; bidirectional
overrides reorder a name in the admin list and on the badge. The validator sits on the model fields, so the admin,
the model forms, the services and the invitation import all refuse the same values.
"""

import pytest
from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from django.urls import reverse

from conference.models import Conference, Delegation, EmailText, Partner
from conference.services import AccordError
from conference.validators import validate_single_line
from registration.forms import OpenRequestForm, PersonalDetailsForm
from registration.imports import invitations_check
from registration.models import Invitation, Participant
from registration.services.invitations import invitation_create
from registration.services.participants import participant_create, participant_update
from sessions_app.models import Room, Session
from tests.factories import (
    ConferenceFactory,
    DelegationFactory,
    ParticipantFactory,
    SessionFactory,
    StaffFactory,
)

REFUSED = [
    "Title\r\nBcc: victim@example.org", "Title\nX", "Title\rX", "Tab\there", "Nul\x00", "Del\x7f", "C1\x85line",
    *[f"Name{chr(code)}reordered" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))],
]
ACCEPTED = [
    "Table ronde : coopération régionale ?", "Table ronde\u202f: coopération",  # French narrow no-break space
    "اجتماع الخبراء", "می\u200cخواهم",  # Arabic, a zero-width non-joiner
    "Dr. Amina Haddad \u200e(EGY)", "O’Brien-Smith", "",
]
SINGLE_LINE_FIELDS = [
    (Conference, ["name", "name_fr", "name_ar", "short_name"]),
    (Partner, ["name", "name_fr", "name_ar"]),
    (Delegation, ["organization", "organization_fr", "organization_ar"]),
    (EmailText, ["subject", "subject_fr", "subject_ar"]),
    (Participant, ["first_name", "last_name", "badge_name", "badge_name_ar", "position", "organization"]),
    (Invitation, ["first_name", "last_name"]),
    (Room, ["name", "name_fr", "name_ar"]),
    (Session, ["title", "title_fr", "title_ar"]),
]


@pytest.mark.parametrize("value", REFUSED)
def test_validate_single_line_refuses_control_and_bidi_characters(value):
    with pytest.raises(ValidationError) as refused:
        validate_single_line(value)
    assert refused.value.code == "single_line"


@pytest.mark.parametrize("value", ACCEPTED)
def test_validate_single_line_accepts_ordinary_text_in_every_language(value):
    validate_single_line(value)


@pytest.mark.parametrize(("model", "name"), [(m, n) for m, names in SINGLE_LINE_FIELDS for n in names])
def test_single_line_fields_carry_the_validator(model, name):
    assert validate_single_line in model._meta.get_field(name).validators


@pytest.mark.parametrize(("model", "name"), [(m, n) for m, names in SINGLE_LINE_FIELDS for n in names])
def test_model_forms_refuse_line_break(model, name):
    form_class = modelform_factory(model, fields=[name])
    form = form_class(data={name: "Title\r\nBcc: victim@example.org"})
    assert form.errors[name] == [
        "Write this on one line, without control or text-direction characters (found U+000D)."
    ]


@pytest.mark.django_db
def test_admin_session_title_with_line_break_refused(client):
    """The issue's request: the organizer saves "Title\\r\\nBcc: …" as a session title in the admin."""
    session = SessionFactory(title="Opening")
    client.force_login(StaffFactory())
    url = reverse("admin:sessions_app_session_change", args=[session.pk])
    page = client.get(url)
    data = _admin_post_data(page)
    data["title_fr"] = "Ouverture\r\nBcc: victim@example.org"
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"title_fr": [
        "Write this on one line, without control or text-direction characters (found U+000D)."
    ]}
    session.refresh_from_db()
    assert session.title_fr == ""
    data["title_fr"] = "Ouverture"
    assert client.post(url, data).status_code == 302  # control: the same form saves without the line break
    session.refresh_from_db()
    assert session.title_fr == "Ouverture"


@pytest.mark.django_db
def test_admin_invitation_add_name_with_bidi_override_refused(client):
    delegation = DelegationFactory()
    client.force_login(StaffFactory())
    response = client.post(reverse("admin:registration_invitation_add"), {
        "conference": delegation.conference_id, "delegation": delegation.pk, "email": "ana@example.org",
        "first_name": "Ana", "last_name": "\u202egnilrah", "category": "delegate", "language": "en",
    })
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"last_name": [
        "Write this on one line, without control or text-direction characters (found U+202E)."
    ]}
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_services_refuse_control_characters_in_names():
    delegation = DelegationFactory()
    conference = delegation.conference
    with pytest.raises(AccordError) as refused:
        participant_create(conference, email="a@example.org", first_name="Ana\r\nBcc: x@example.org")
    assert str(refused.value) == (
        "given names (as in passport): Write this on one line, without control or text-direction characters "
        "(found U+000D)."
    )
    with pytest.raises(AccordError):
        invitation_create(conference, email="b@example.org", delegation=delegation, last_name="B\u2066x")
    participant = ParticipantFactory(conference=conference, badge_name="Dr. Omar")
    with pytest.raises(AccordError):
        participant_update(participant, actor=None, badge_name="Dr.\tOmar")
    participant.refresh_from_db()
    assert participant.badge_name == "Dr. Omar"
    assert not Participant.objects.filter(email="a@example.org").exists()
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_import_row_with_control_character_in_name_refused():
    from io import BytesIO

    from openpyxl import Workbook

    delegation = DelegationFactory(code="EGY")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["email", "first_name", "last_name", "delegation"])
    sheet.append(["ana@example.org", "Ana\nBcc: x@example.org", "Haddad", "EGY"])
    sheet.append(["bob@example.org", "Bob", "B\u202eee", "EGY"])
    sheet.append(["cid@example.org", "Cid", "Cee", "EGY"])
    out = BytesIO()
    workbook.save(out)
    report = invitations_check(delegation.conference, out.getvalue(), "people.xlsx")
    assert not report.is_valid
    assert [(row.line, row.errors) for row in report.bad_rows] == [
        (2, ["given names: Write this on one line, without control or text-direction characters (found U+000A)."]),
        (3, ["surname: Write this on one line, without control or text-direction characters (found U+202E)."]),
    ]


def test_registration_and_request_forms_refuse_bidi_in_names():
    form = PersonalDetailsForm(data={"first_name": "Ana", "last_name": "Had\u202edad", "badge_name": "Dr.\u2067Ana",
                                     "gender": "female", "nationality": "EG", "preferred_language": "en"})
    assert set(form.errors) >= {"last_name", "badge_name"}
    request = OpenRequestForm(data={"delegation": "observer", "category": "delegate", "first_name": "Ana",
                                    "last_name": "Haddad", "organization": "Ministry\r\nBcc: x@example.org"},
                              delegations=[])
    assert list(request.errors) == ["organization"]


@pytest.mark.django_db
def test_seeded_conference_names_still_valid():
    ConferenceFactory(name="Inter-regional conference", name_ar="المؤتمر الأقاليمي").full_clean()


def _admin_post_data(response) -> dict:
    """The values an admin change page would post back unchanged (main form and empty inline formsets)."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management[name].value()
        data[f"{formset.prefix}-TOTAL_FORMS"] = management["INITIAL_FORMS"].value()  # no extra (blank) forms
    return data
