"""The admin of conferences and delegations writes through the services: each edit and delete gets its audit
entry, and the services' checks refuse bad data with a message, nothing saved."""

import pytest
from django.urls import reverse

from conference.models import AuditLog, Conference, Delegation, Partner
from conference.services import AccordError
from registration.services.delegations import delegation_delete, delegation_save
from tests.admin_form import admin_form_data
from tests.factories import (
    ConferenceFactory,
    DelegationFactory,
    ParticipantFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = StaffFactory()
    client.force_login(user)
    return user


def _change_data(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return admin_form_data(response.content.decode())


def test_conference_admin_edit_is_audited_with_old_and_new_values(client, staff):
    conference = ConferenceFactory(slug="sharm2023", name="Old name", city="Sharm El Sheikh")
    url = reverse("admin:conference_conference_change", args=[conference.pk])
    data = _change_data(client, url)
    data.update({"name": "Inter-regional conference", "city": "Cairo"})

    response = client.post(url, data)

    assert response.status_code == 302
    conference.refresh_from_db()
    assert (conference.name, conference.city) == ("Inter-regional conference", "Cairo")
    entry = AuditLog.objects.get(action="conference.changed")
    assert (entry.actor, entry.conference, entry.object_id) == (staff, conference, str(conference.pk))
    assert entry.changes == {"name": ["Old name", "Inter-regional conference"], "city": ["Sharm El Sheikh", "Cairo"]}


def test_conference_admin_save_without_change_writes_no_entry(client, staff):
    conference = ConferenceFactory(slug="sharm2023")
    url = reverse("admin:conference_conference_change", args=[conference.pk])
    assert client.post(url, _change_data(client, url)).status_code == 302
    assert not AuditLog.objects.filter(action__startswith="conference.").exists()


def test_conference_admin_partner_inline_goes_through_the_service(client, staff):
    conference = ConferenceFactory(slug="sharm2023")
    url = reverse("admin:conference_conference_change", args=[conference.pk])
    data = _change_data(client, url)
    data.update({"partners-TOTAL_FORMS": "1", "partners-0-role": "funder", "partners-0-name": "European Union",
                 "partners-0-order": "1"})

    assert client.post(url, data).status_code == 302

    partner = Partner.objects.get(conference=conference)
    assert partner.name == "European Union"
    entry = AuditLog.objects.get(action="partner.created")
    assert (entry.actor, entry.conference, entry.object_id) == (staff, conference, str(partner.pk))


def test_conference_admin_refusal_saves_nothing(client, staff):
    conference = ConferenceFactory(slug="sharm2023", name="Kept")
    url = reverse("admin:conference_conference_change", args=[conference.pk])
    data = _change_data(client, url)
    data.update({"name": "Changed", "start_date": "2023-07-13", "end_date": "2023-07-10"})

    response = client.post(url, data)

    assert response.status_code == 200
    assert "The last day cannot be before the first day." in response.content.decode()
    conference.refresh_from_db()
    assert conference.name == "Kept"
    assert not AuditLog.objects.exists()


def test_conference_admin_delete_is_audited_and_the_entry_outlives_the_conference(client, staff):
    conference = ConferenceFactory(slug="gone2022", name="Gone conference")

    response = client.post(reverse("admin:conference_conference_delete", args=[conference.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Conference.objects.filter(pk=conference.pk).exists()
    entry = AuditLog.objects.get(action="conference.deleted")
    assert (entry.actor, entry.conference, entry.object_repr) == (staff, None, str(conference))
    assert entry.changes == {"slug": "gone2022", "name": "Gone conference"}


def _delegation_data(client, delegation) -> tuple[str, dict]:
    url = reverse("admin:conference_delegation_change", args=[delegation.pk])
    return url, _change_data(client, url)


def test_delegation_admin_edit_and_focal_points_are_audited(client, staff):
    delegation = DelegationFactory(code="EGY", seat_quota=5)
    focal = UserFactory()
    url, data = _delegation_data(client, delegation)
    data.update({"seat_quota": "8", "focal_points": [str(focal.pk)]})

    response = client.post(url, data)

    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.seat_quota == 8
    assert list(delegation.focal_points.all()) == [focal]
    entry = AuditLog.objects.get(action="delegation.changed")
    assert (entry.actor, entry.conference, entry.object_id) == (staff, delegation.conference, str(delegation.pk))
    assert entry.changes == {"seat_quota": [5, 8], "focal_points": {"added": [focal.pk], "removed": []}}


def test_delegation_admin_head_from_another_delegation_refused_nothing_saved(client, staff):
    delegation = DelegationFactory(seat_quota=5)
    outsider = ParticipantFactory(conference=delegation.conference)
    url, data = _delegation_data(client, delegation)
    data.update({"head": str(outsider.pk), "seat_quota": "9"})

    response = client.post(url, data)

    assert response.status_code == 200
    assert "The head of delegation must be a member of this delegation." in response.content.decode()
    delegation.refresh_from_db()
    assert (delegation.head_id, delegation.seat_quota) == (None, 5)
    assert not AuditLog.objects.exists()
    delegation.head = outsider
    with pytest.raises(AccordError, match="must be a member of this delegation"):
        delegation_save(delegation, actor=staff)


def test_delegation_admin_delete_refused_with_members_then_audited(client, staff):
    delegation = DelegationFactory(code="TUN", country="TN")
    member = ParticipantFactory(conference=delegation.conference, delegation=delegation)
    url = reverse("admin:conference_delegation_delete", args=[delegation.pk])

    refused = client.post(url, {"post": "yes"})

    assert refused.status_code == 200  # the admin lists the members that protect it and deletes nothing
    assert Delegation.objects.filter(pk=delegation.pk).exists()
    with pytest.raises(AccordError, match="cannot be deleted: 1 participant belongs to it"):
        delegation_delete(delegation, actor=staff)
    assert not AuditLog.objects.filter(action="delegation.deleted").exists()

    member.delete()
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Delegation.objects.filter(pk=delegation.pk).exists()
    entry = AuditLog.objects.get(action="delegation.deleted")
    assert (entry.actor, entry.changes) == (staff, {"code": "TUN"})
