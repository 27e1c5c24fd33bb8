import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conference.models import Conference, Delegation, Partner
from onsite.models import Badge
from registration.models import Participant
from sessions_app.models import Room, Session, SessionRole

pytestmark = pytest.mark.django_db


def _snapshot():
    conference = Conference.objects.get(slug="sharm2023")
    return {
        "conferences": Conference.objects.count(),
        "partners": Partner.objects.count(),
        "delegations": Delegation.objects.count(),
        "participants": Participant.objects.count(),
        "badges": Badge.objects.count(),
        "rooms": Room.objects.count(),
        "sessions": Session.objects.count(),
        "roles": SessionRole.objects.count(),
        "public_ids": dict(Participant.objects.values_list("email", "public_id")),
        "tokens": dict(Badge.objects.values_list("participant__email", "token")),
        "heads": dict(Delegation.objects.values_list("code", "head__email")),
        "updated": conference.updated_at,
    }


def _seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_loads_sharm_el_sheikh_conference():
    output = _seed()
    assert output.count("\n") == 1 and output.startswith("seed_demo: sharm2023: created 1 conference")
    conference = Conference.objects.get(slug="sharm2023")
    assert conference.name.startswith("Inter-regional Conference on International Cooperation against Trafficking")
    assert conference.name_fr.startswith("Conférence interrégionale")
    assert "الاتجار بالأشخاص" in conference.name_ar
    assert (str(conference.start_date), str(conference.end_date)) == ("2023-07-10", "2023-07-13")
    assert conference.time_zone == "Africa/Cairo" and conference.country.code == "EG"
    assert conference.city == "Sharm El Sheikh" and conference.languages == ["ar", "fr", "en"]
    partners = list(conference.partners.values_list("role", "name"))
    assert [role for role, _ in partners] == ["host", "host", "funder"]
    assert "NCCPIM&TIP" in partners[0][1] and "UNODC Regional Office" in partners[1][1]
    assert partners[2][1] == "European Union"

    delegations = {d.code: d for d in conference.delegations.all()}
    member_states = {"DZA", "TCD", "EGY", "IRQ", "CIV", "LBY", "MLI", "MAR", "NER", "NGA", "SSD", "TUN"}
    assert {c for c, d in delegations.items() if d.kind == "member_state"} == member_states
    assert {c for c, d in delegations.items() if d.kind == "eu_expert"} == {"FRA", "GRC", "ITA", "MLT", "ESP", "NLD"}
    assert delegations["UNODC"].kind == "un" and delegations["NCCPIM"].kind == "host"
    assert delegations["CIV"].country.code == "CI"
    assert delegations["IOM"].kind == "observer" and delegations["LAS"].organization_ar == "جامعة الدول العربية"

    participants = Participant.objects.filter(conference=conference)
    assert 150 <= participants.count() <= 300
    emails = list(participants.values_list("email", flat=True))
    assert all(re.search(r"@example\.(org|net)$", email) for email in emails)
    assert len({e.lower() for e in emails}) == len(emails)
    categories = set(participants.values_list("category", flat=True))
    assert categories == {"head", "delegate", "expert", "speaker", "unodc", "organizer", "interpreter", "media",
                          "security", "support"}
    statuses = set(participants.values_list("status", flat=True))
    assert {"approved", "submitted", "invited", "rejected"} <= statuses
    assert participants.filter(status="approved").count() > participants.count() * 0.7
    # Arabic-script badge names for Arabic-speaking countries, none for e.g. the Netherlands.
    egyptians = participants.filter(delegation__code="EGY")
    assert all(re.search(r"[\u0600-\u06FF]", p.badge_name_ar) for p in egyptians)
    assert not participants.filter(delegation__code="NLD").exclude(badge_name_ar="").exists()
    assert set(egyptians.values_list("preferred_language", flat=True)) == {"ar"}
    assert set(participants.filter(delegation__code="MLI").values_list("preferred_language", flat=True)) == {"fr"}
    # Badges exactly for the approved; heads of delegation set and members of their delegation.
    assert Badge.objects.filter(participant__conference=conference).count() == participants.filter(
        status="approved").count()
    assert all(len(token) >= 40 for token in Badge.objects.values_list("token", flat=True))
    for delegation in delegations.values():
        assert delegation.head.delegation_id == delegation.pk
        assert delegation.participants.exclude(status__in=["rejected", "cancelled"]).count() <= delegation.seat_quota

    rooms = {room.name: room for room in conference.rooms.all()}
    assert rooms["Nefertiti Plenary Hall"].capacity == 300
    assert rooms["Nefertiti Plenary Hall"].interpretation_languages == ["ar", "fr", "en"]
    assert rooms["Abu Simbel Room"].name_ar == "قاعة أبو سمبل"

    sessions = Session.objects.filter(conference=conference)
    assert 30 <= sessions.count() <= 40
    assert {s.starts_at.astimezone(conference.tz).date().day for s in sessions} == {10, 11, 12, 13}
    opening = sessions.get(kind="opening")
    local = opening.starts_at.astimezone(conference.tz)
    assert (local.hour, local.minute) == (9, 30)
    assert opening.starts_at.utcoffset().total_seconds() == 0 and opening.starts_at.hour == 6  # UTC+3 in July
    assert all(s.title_fr and s.title_ar for s in sessions)
    assert sessions.filter(signup_required=True, capacity__isnull=False).exists()
    assert {"opening", "presentation", "thematic", "panel", "break", "side_event", "closing"} <= set(
        sessions.values_list("kind", flat=True))
    roles = SessionRole.objects.filter(session__conference=conference)
    assert set(roles.values_list("role", flat=True)) == {"chair", "moderator", "speaker", "panelist", "rapporteur"}
    assert not roles.exclude(participant__status="approved").exists()


def test_seed_demo_twice_changes_nothing():
    _seed()
    before = _snapshot()
    with CaptureQueriesContext(connection) as queries:
        output = _seed()
    assert "created nothing new" in output
    assert _snapshot() == before
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


def test_seed_demo_keeps_organizer_edits_and_fills_gaps():
    _seed()
    participant = Participant.objects.filter(delegation__code="EGY", category="delegate").first()
    participant.position = "Edited by an organizer"
    participant.save()
    removed_email = Participant.objects.filter(category="media").order_by("email").first().email
    Participant.objects.filter(email=removed_email).delete()
    _seed()
    participant.refresh_from_db()
    assert participant.position == "Edited by an organizer"
    assert Participant.objects.filter(email=removed_email).count() == 1


def test_demo_organizer_creates_staff_with_verified_address(monkeypatch):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-for-test")
    out = io.StringIO()
    call_command("demo_organizer", email="organizer@example.org", stdout=out)
    user = get_user_model().objects.get(email="organizer@example.org")
    assert (user.is_staff, user.is_superuser, user.check_password("demo-password-for-test")) == (True, True, True)
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        ("organizer@example.org", True, True)
    ]
    assert out.getvalue().startswith("Demo organizer: organizer@example.org / password: demo-password-for-test")


def test_seed_demo_conference_accepts_a_registration_today():
    """Issue 24.2: the demo keeps the real dates (10–13 July 2023) but its registration is open today, so a newcomer
    who follows an invitation can register; an earlier demo database closed on 30 June 2023 is reopened."""
    from registration.permissions import registration_open

    _seed()
    conference = Conference.objects.get(slug="sharm2023")
    assert (str(conference.start_date), str(conference.end_date)) == ("2023-07-10", "2023-07-13")
    assert registration_open(conference)

    from demo import demo_data

    Conference.objects.filter(pk=conference.pk).update(registration_closes_at=demo_data.PAST_REGISTRATION_CLOSES_AT)
    assert "created 1 reopened registration" in _seed()
    conference.refresh_from_db()
    assert registration_open(conference)


def test_seed_demo_keeps_a_closing_time_set_by_an_organizer():
    import datetime

    _seed()
    closes = datetime.datetime(2023, 6, 15, 12, 0, tzinfo=datetime.UTC)
    Conference.objects.filter(slug="sharm2023").update(registration_closes_at=closes)
    assert "nothing new" in _seed()
    assert Conference.objects.get(slug="sharm2023").registration_closes_at == closes


# --- The demo's accounts for the cooperation flows (issue 16's "done when" on a fresh clone) ---------------

DEMO_PASSWORD = "demo-password-for-test"


def _demo_accounts(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    out = io.StringIO()
    call_command("demo_organizer", stdout=out)
    return out.getvalue()


def _log_in(client, email):
    """Through allauth's login form, as a person would (no force_login)."""
    client.logout()
    response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.session.get("_auth_user_id")


def test_demo_accounts_book_a_meeting_and_exchange_contacts(monkeypatch, client, settings):
    """On a fresh clone (`make run`: seed_demo, demo_organizer) the printed accounts log in with the login form:
    Egypt's focal point books a bilateral with Tunisia, whose focal point accepts (both agendas show it); a
    Moroccan participant asks an Italian one for a contact exchange, who confirms (the vCard holds them)."""
    import vobject
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from cooperation.enums import BilateralStatus
    from cooperation.models import BilateralMeeting, ContactExchange, DirectoryEntry
    from demo.services import DEMO_ACCOUNTS

    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    _seed()
    printed = _demo_accounts(monkeypatch)
    User = get_user_model()  # noqa: N806
    for account in DEMO_ACCOUNTS:
        assert account.email in printed
        user = User.objects.get(email=account.email)
        assert (user.is_staff, user.is_superuser, user.is_active, user.check_password(DEMO_PASSWORD)) == (
            False, False, True, True)
        assert list(EmailAddress.objects.filter(user=user).values_list("verified", "primary")) == [(True, True)]
        participant = Participant.objects.get(user=user)
        assert (participant.status, participant.delegation.code) == ("approved", account.delegation)
        if account.focal_point:
            assert participant.delegation.focal_points.filter(pk=user.pk).exists()
            assert participant.delegation.head_id == participant.pk
        else:
            assert DirectoryEntry.objects.get(participant=participant).listed
    # Running the command again writes nothing (one password check, the shared hash compared); seed_demo's second
    # run is test_seed_demo_twice_changes_nothing.
    before = _snapshot()
    with CaptureQueriesContext(connection) as queries:
        again = _demo_accounts(monkeypatch)
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert _snapshot() == before and again == printed

    egypt = Participant.objects.get(user__email="focal.egypt@accord.example.org")
    tunisia = Participant.objects.get(user__email="focal.tunisia@accord.example.org")
    morocco = Participant.objects.get(user__email="participant.morocco@accord.example.org")
    italy = Participant.objects.get(user__email="participant.italy@accord.example.org")

    # Egypt's focal point asks Tunisia for a meeting in a free slot.
    _log_in(client, "focal.egypt@accord.example.org")
    page = client.get(reverse("cooperation:meeting_request"), {"invited": tunisia.delegation_id})
    assert page.status_code == 200
    # The last slot offered: the demo's accepted meetings hold the Karnak room (the one with French) in the first ones.
    slot = page.context["form"].fields["slots"].choices[-1][0]
    response = client.post(reverse("cooperation:meeting_request"), {
        "requesting": egypt.delegation_id, "invited": tunisia.delegation_id, "topic": "Demo: joint investigation",
        "attendees": [egypt.pk], "languages": ["ar", "fr"], "slots": [slot],
    })
    meeting = BilateralMeeting.objects.get(topic="Demo: joint investigation")
    assert response.status_code == 302 and response["Location"] == reverse("cooperation:meeting", args=[meeting.pk])

    # Tunisia's focal point accepts it and attends.
    _log_in(client, "focal.tunisia@accord.example.org")
    assert 'name="slot"' in client.get(response["Location"]).content.decode()
    answer = client.post(reverse("cooperation:meeting_answer", args=[meeting.pk]),
                         {"action": "accept", "slot": slot, "attendees": [tunisia.pk]}, follow=True)
    meeting.refresh_from_db()
    assert meeting.status == BilateralStatus.ACCEPTED, [str(m) for m in answer.context["messages"]]
    assert meeting.room_id is not None
    meeting_url = reverse("cooperation:meeting", args=[meeting.pk])
    assert meeting_url in client.get(reverse("sessions_app:me")).content.decode()
    _log_in(client, "focal.egypt@accord.example.org")
    assert meeting_url in client.get(reverse("sessions_app:me")).content.decode()

    # Morocco's participant asks Italy's from the directory; Italy's confirms; Morocco's vCard holds Italy's.
    _log_in(client, "participant.morocco@accord.example.org")
    assert italy.public_id in client.get(reverse("cooperation:directory")).content.decode()
    client.post(reverse("cooperation:contact_exchange"), {"participant": italy.public_id})
    exchange = ContactExchange.objects.get(requester=morocco, recipient=italy)
    _log_in(client, "participant.italy@accord.example.org")
    client.post(reverse("cooperation:contacts"), {"exchange": exchange.pk, "action": "confirm"})
    exchange.refresh_from_db()
    assert exchange.status == "confirmed"
    _log_in(client, "participant.morocco@accord.example.org")
    cards = list(vobject.readComponents(client.get(reverse("cooperation:contacts_export", args=["vcf"])).content.decode()))
    assert [(card.fn.value, card.email.value) for card in cards] == [(italy.printed_name, italy.email)]
