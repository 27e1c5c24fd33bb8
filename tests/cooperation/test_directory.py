import pytest
from django.conf import settings
from django.urls import reverse

from conference.models import AuditLog
from cooperation import services
from cooperation.models import DirectoryEntry
from tests.factories import ConferenceFactory, DelegationFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def _person(conference, delegation=None, **kwargs):
    user = UserFactory(password=None)  # force_login only: no password to hash
    kwargs.setdefault("position", "Senior prosecutor")
    kwargs.setdefault("organization", "Public Prosecution")
    kwargs.setdefault("phone", "+20 100 000 0000")
    kwargs.setdefault("languages_spoken", ["ar", "fr"])
    delegation = delegation or DelegationFactory(conference=conference)
    return ParticipantFactory(conference=conference, delegation=delegation, user=user, email=user.email, **kwargs)


def _list(person, **shares):
    return services.directory_entry_update(person, actor=person.user, listed=True,
                                           expertise=shares.pop("expertise", ["prosecution"]), **shares)


def test_directory_hides_everyone_until_they_consent(client, conference):
    viewer = _person(conference)
    other = _person(conference, last_name="Haddad")
    client.force_login(viewer.user)
    page = client.get(reverse("cooperation:directory")).content.decode()
    assert "Haddad" not in page
    assert not DirectoryEntry.objects.exists()
    _list(other, share_position=True)
    page = client.get(reverse("cooperation:directory")).content.decode()
    assert "Haddad" in page
    assert "Senior prosecutor" in page
    # Not shared: organization, phone, e-mail, languages.
    assert "Public Prosecution" not in page
    assert other.phone not in page
    assert other.email not in page
    assert "French" not in page.split("<tbody>")[1]


def test_directory_withdrawal_hides_the_entry_at_once_and_is_audited(client, conference):
    viewer = _person(conference)
    other = _person(conference, last_name="Haddad")
    _list(other, share_email=True)
    client.force_login(other.user)
    response = client.post(reverse("cooperation:directory_me"), {"share_email": "on"})
    assert response.status_code == 302
    assert DirectoryEntry.objects.get(participant=other).listed is False
    client.force_login(viewer.user)
    page = client.get(reverse("cooperation:directory")).content.decode()
    assert "Haddad" not in page and other.email not in page
    assert AuditLog.objects.filter(action="directory.update").count() == 2


def test_directory_consent_form_saves_the_chosen_fields(client, conference):
    me = _person(conference)
    client.force_login(me.user)
    response = client.post(reverse("cooperation:directory_me"), {
        "listed": "on", "share_phone": "on", "share_expertise": "on",
        "expertise": ["victim_protection", "border_management"],
    })
    assert response.status_code == 302
    entry = DirectoryEntry.objects.get(participant=me)
    assert (entry.listed, entry.share_phone, entry.share_email, entry.share_expertise) == (True, True, False, True)
    assert entry.expertise == ["victim_protection", "border_management"]
    response = client.post(reverse("cooperation:directory_me"), {"listed": "on", "expertise": ["astrology"]})
    assert response.status_code == 200
    assert DirectoryEntry.objects.get(participant=me).expertise == ["victim_protection", "border_management"]


@pytest.mark.parametrize("who", ["anonymous", "not_approved", "other_conference"])
def test_directory_only_for_approved_participants_of_the_conference(client, conference, who):
    listed = _person(conference, last_name="Haddad")
    _list(listed)
    if who == "not_approved":
        client.force_login(_person(conference, status="submitted").user)
    elif who == "other_conference":
        client.force_login(_person(ConferenceFactory()).user)
    response = client.get(reverse("cooperation:directory"))
    assert "Haddad" not in response.content.decode()
    assert response.status_code == (302 if who == "anonymous" else 404)
    if who != "anonymous":
        assert client.get(reverse("cooperation:directory_me")).status_code == 404


def test_directory_entry_of_a_participant_no_longer_approved_is_hidden(client, conference):
    viewer = _person(conference)
    other = _person(conference, last_name="Haddad")
    _list(other)
    other.status = "cancelled"
    other.save(update_fields=["status"])
    client.force_login(viewer.user)
    assert "Haddad" not in client.get(reverse("cooperation:directory")).content.decode()


def test_directory_filters_by_delegation_expertise_language_and_only_on_shared_fields(client, conference):
    egypt = DelegationFactory(conference=conference, code="EGY", country="EG")
    france = DelegationFactory(conference=conference, code="FRA", country="FR")
    viewer = _person(conference, egypt)
    amal = _person(conference, egypt, last_name="Amal", languages_spoken=["ar"])
    _list(amal, share_languages=True, share_expertise=True, expertise=["prosecution"])
    bruno = _person(conference, france, last_name="Bruno", languages_spoken=["fr"], position="Magistrat")
    _list(bruno, share_languages=True, share_expertise=True, expertise=["mutual_legal_assistance"])
    # Speaks Arabic and works on prosecution, but shares neither: no filter on them may find her.
    _list(_person(conference, france, last_name="Chantal", languages_spoken=["ar"]), expertise=["prosecution"])
    client.force_login(viewer.user)

    def names(**params):
        page = client.get(reverse("cooperation:directory"), params).content.decode()
        return [name for name in ("Amal", "Bruno", "Chantal") if name in page]

    assert names() == ["Amal", "Bruno", "Chantal"]
    assert names(delegation=france.pk) == ["Bruno", "Chantal"]
    assert names(expertise="prosecution") == ["Amal"]
    assert names(language="ar") == ["Amal"]
    assert names(language="fr", delegation=egypt.pk) == []
    assert names(q="bruno") == ["Bruno"]
    assert names(q="Magistrat") == []  # his position is not shared
    assert names(q="FRA") == ["Bruno", "Chantal"]


def test_directory_in_arabic_and_french_labels_the_filters(client, conference):
    viewer = _person(conference)
    client.force_login(viewer.user)
    page = client.get(reverse("cooperation:directory"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fr"' in page


def test_directory_query_count_does_not_grow_with_entries(client, conference, django_assert_num_queries):
    delegation = DelegationFactory(conference=conference)
    viewer = _person(conference, delegation)
    _list(_person(conference, delegation), share_languages=True, share_expertise=True)
    client.force_login(viewer.user)
    url = reverse("cooperation:directory")
    # The first request reads the current conference into the shared cache; then the user, the
    # participant, the delegations of the filter and the entries: 4, however many entries.
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
    for _ in range(30):
        _list(_person(conference, DelegationFactory(conference=conference)), share_languages=True,
              share_expertise=True, share_email=True)
    with django_assert_num_queries(4):
        page = client.get(url).content.decode()
    assert page.count("<tr>") == 32  # the header and 31 entries


def test_directory_search_finds_a_country_by_its_name_in_the_pages_language(client, conference):
    egypt = DelegationFactory(conference=conference, code="EGY", country="EG")
    france = DelegationFactory(conference=conference, code="FRA", country="FR")
    viewer = _person(conference, egypt, preferred_language="fr")
    _list(_person(conference, egypt, last_name="Amal"))
    _list(_person(conference, france, last_name="Bruno"))
    client.force_login(viewer.user)
    page = client.get(reverse("cooperation:directory"), {"q": "Égypte"}).content.decode()
    assert "Amal" in page and "Bruno" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"  # the language switcher
    page = client.get(reverse("cooperation:directory"), {"q": "فرنسا"}).content.decode()
    assert "Bruno" in page and "Amal" not in page
