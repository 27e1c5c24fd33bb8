import csv
import datetime
import io

import pytest
import vobject
from django.urls import reverse
from django.utils import timezone

from cooperation import services
from cooperation.models import ContactExchange, CooperationSettings, DirectoryEntry
from onsite.services.badges import badge_code, badge_ensure, badge_revoke
from tests.factories import ConferenceFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _open(conference):
    # The test conference was in July 2023: the organizers keep contact exchange open.
    CooperationSettings.objects.create(conference=conference,
                                       contact_exchange_until=timezone.now() + datetime.timedelta(days=1))


def _person(conference, **kwargs):
    user = UserFactory(password=None)
    return ParticipantFactory(conference=conference, user=user, email=user.email, phone="+33 1 23 45 67 89",
                              position="Juge d'instruction", organization="Tribunal judiciaire, Paris", **kwargs)


def _share(person, **shares):
    DirectoryEntry.objects.update_or_create(participant=person, defaults={"listed": False, **shares})


def test_scan_then_confirm_both_hold_the_shared_details_and_export_them(client, conference):
    amal = _person(conference, first_name="Amal", last_name="Haddad", badge_name_ar="أمل حداد")
    bruno = _person(conference, first_name="Bruno", last_name="Lefèvre")
    _share(amal, share_email=True, share_position=True)
    _share(bruno, share_phone=True, share_organization=True)
    code = badge_code(badge_ensure(bruno))
    client.force_login(amal.user)
    response = client.post(reverse("cooperation:contact_scan"), {"code": code})
    assert response.status_code == 302
    exchange = ContactExchange.objects.get()
    assert (exchange.requester, exchange.recipient, exchange.status) == (amal, bruno, "pending")
    assert "Bruno" not in client.get(reverse("cooperation:contacts")).content.decode()
    client.force_login(bruno.user)
    page = client.get(reverse("cooperation:contacts")).content.decode()
    assert "Amal Haddad" in page
    client.post(reverse("cooperation:contacts"), {"exchange": exchange.pk, "action": "confirm"})
    exchange.refresh_from_db()
    assert exchange.status == "confirmed"
    # Bruno holds Amal's e-mail and position, not her phone.
    body = client.get(reverse("cooperation:contacts_export", args=["vcf"])).content.decode()
    card = vobject.readOne(body)
    assert card.fn.value == "Amal Haddad"
    assert card.email.value == amal.email
    assert card.title.value == "Juge d'instruction"
    assert "tel" not in card.contents
    # Amal holds Bruno's phone and organization (its comma escaped), not his e-mail.
    client.force_login(amal.user)
    card = vobject.readOne(client.get(reverse("cooperation:contacts_export", args=["vcf"])).content.decode())
    assert card.fn.value == "Bruno Lefèvre"
    assert card.tel.value == "+33 1 23 45 67 89"
    assert card.org.value == ["Tribunal judiciaire, Paris"]
    assert "email" not in card.contents
    rows = list(csv.reader(io.StringIO(client.get(reverse("cooperation:contacts_export", args=["csv"]))
                                       .content.decode("utf-8-sig"))))
    assert rows[1][0] == "Bruno Lefèvre"
    assert rows[1][4] == ""  # e-mail not shared
    assert rows[1][5] == "'+33 1 23 45 67 89"  # a spreadsheet never reads it as a formula


def test_vcard_of_many_contacts_parses_with_long_and_arabic_values(conference):
    from cooperation.exports import contacts_vcard
    from cooperation.selectors import Contact

    people = [Contact(name="أمل حداد " * 8, delegation="Égypte", position="Procureure; chef, unité\nB",
                      organization="", email="a@example.org", phone=""),
              Contact(name="Bruno", delegation="France", position="", organization="", email="", phone="")]
    cards = list(vobject.readComponents(contacts_vcard(people).decode()))
    assert [c.fn.value for c in cards] == ["أمل حداد " * 8, "Bruno"]
    assert cards[0].title.value == "Procureure; chef, unité\nB"


def test_exchange_from_the_directory_needs_a_listed_entry(client, conference):
    amal, bruno = _person(conference), _person(conference)
    client.force_login(amal.user)
    url = reverse("cooperation:contact_exchange")
    assert client.post(url, {"participant": bruno.public_id}).status_code == 404
    DirectoryEntry.objects.create(participant=bruno, listed=True)
    assert client.post(url, {"participant": bruno.public_id}).status_code == 302
    assert ContactExchange.objects.get().recipient == bruno
    # Bruno asking back confirms Amal's request.
    services.contact_request(bruno, amal, actor=bruno.user)
    assert ContactExchange.objects.get().status == "confirmed"


@pytest.mark.parametrize("case", ["revoked", "foreign", "not_approved", "garbled", "own", "closed"])
def test_bad_scans_are_refused_and_change_nothing(client, conference, case):
    amal, bruno = _person(conference), _person(conference)
    code = badge_code(badge_ensure(bruno))
    message = "not a valid badge"
    if case == "revoked":
        badge_revoke(bruno, actor=None, reason="lost")
    elif case == "foreign":
        stranger = _person(ConferenceFactory())
        code = badge_code(badge_ensure(stranger))
    elif case == "not_approved":
        bruno.status = "cancelled"
        bruno.save(update_fields=["status"])
    elif case == "garbled":
        code = code[:-3] + "xyz"
    elif case == "own":
        code = badge_code(badge_ensure(amal))
        message = "your own badge"
    else:
        CooperationSettings.objects.filter(conference=conference).update(
            contact_exchange_until=timezone.now() - datetime.timedelta(minutes=1))
        message = "closed"
    client.force_login(amal.user)
    response = client.post(reverse("cooperation:contact_scan"), {"code": code}, follow=True)
    assert message in response.content.decode()
    assert not ContactExchange.objects.exists()


def test_contact_exchange_closes_by_default_days_after_the_conference(conference, settings):
    CooperationSettings.objects.all().delete()
    settings.ACCORD_CONTACT_EXCHANGE_DAYS = 14
    assert services.contact_exchange_open_until(conference) == datetime.datetime(
        2023, 7, 28, 0, 0, tzinfo=conference.tz)


def test_contact_pages_only_for_approved_participants(client, conference):
    client.force_login(_person(conference, status="submitted").user)
    for name in ("contacts", "contact_scan"):
        assert client.get(reverse(f"cooperation:{name}")).status_code == 404
    assert client.get(reverse("cooperation:contacts_export", args=["vcf"])).status_code == 404


def test_contacts_query_count_does_not_grow(client, conference, django_assert_num_queries):
    me = _person(conference)
    client.force_login(me.user)
    url = reverse("cooperation:contacts_export", args=["vcf"])
    client.get(url)
    for _ in range(3):
        other = _person(conference)
        _share(other, share_email=True)
        ContactExchange.objects.create(conference=conference, requester=me, recipient=other, status="confirmed")
    # the user, the participant, the contacts (with their delegations and directory settings)
    with django_assert_num_queries(3):
        assert client.get(url).content.count(b"BEGIN:VCARD") == 3
    for _ in range(10):
        other = _person(conference)
        ContactExchange.objects.create(conference=conference, requester=other, recipient=me, status="confirmed")
    with django_assert_num_queries(3):
        assert client.get(url).content.count(b"BEGIN:VCARD") == 13
