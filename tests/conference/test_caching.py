"""The conference the pages show is kept in the shared cache and dropped when a conference is saved or deleted;
the logged-in user is read fresh on every request (no cached copy)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from conference.models import Conference
from conference.selectors import current_conference
from tests.factories import ConferenceFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference(settings):
    settings.ACCORD_DEFAULT_CONFERENCE = "cached-conf"
    return ConferenceFactory(slug="cached-conf", name="Before")


def test_current_conference_saved_shows_at_once(conference, django_assert_num_queries):
    assert current_conference().name == "Before"
    with django_assert_num_queries(0):  # kept in the shared cache
        assert current_conference().name == "Before"
    conference.name = "After"
    conference.save()
    assert current_conference().name == "After"


def test_current_conference_deleted_or_another_added_shows_at_once(conference):
    assert current_conference().pk == conference.pk
    other = ConferenceFactory(slug="other-conf")  # not the configured one: the configured one stays current
    assert current_conference().pk == conference.pk
    conference.delete()
    assert current_conference().pk == other.pk  # the first one, once the configured one is gone


def test_current_conference_dropped_again_at_commit(conference, django_capture_on_commit_callbacks):
    """A request that read the old row before the save committed does not keep it in the cache."""
    from django.core.cache import cache
    from django.db import transaction

    from conference.selectors import current_conference_key

    stale = current_conference()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            conference.name = "After"
            conference.save()
            cache.set(current_conference_key(), stale, 60)  # another request, meanwhile, with the old row
    assert current_conference().name == "After"


def test_current_conference_changed_without_signals_shows_when_the_entry_expires(conference, monkeypatch):
    """A bulk update or SQL by hand sends no signal: it shows once the cached entry expires."""
    import time

    from conference import selectors

    monkeypatch.setattr(selectors, "CURRENT_CONFERENCE_SECONDS", 1)
    assert current_conference().name == "Before"
    Conference.objects.filter(pk=conference.pk).update(name="Elsewhere")
    assert current_conference().name == "Before"
    time.sleep(1.2)
    assert current_conference().name == "Elsewhere"


def test_current_conference_follows_the_setting(conference, settings):
    other = ConferenceFactory(slug="other-conf")
    assert current_conference().pk == conference.pk
    settings.ACCORD_DEFAULT_CONFERENCE = "other-conf"
    assert current_conference().pk == other.pk


def test_current_conference_one_query_then_none(conference, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert current_conference().pk == conference.pk
    with django_assert_num_queries(0):
        assert current_conference().pk == conference.pk


def test_deactivated_user_loses_access_on_the_very_next_request(client, conference):
    """Deactivated by a bulk update (no save signal): the next request is already refused."""
    staff = StaffFactory(is_superuser=False)
    client.force_login(staff)
    desk = reverse("registration:desk")
    assert client.get(desk).status_code == 200
    get_user_model().objects.filter(pk=staff.pk).update(is_active=False)
    answer = client.get(desk)
    assert answer.status_code == 302 and answer.url.startswith(reverse("account_login"))


def test_staff_status_password_and_active_flag_take_effect_on_the_next_request(client, conference):
    staff = StaffFactory(is_superuser=False)
    client.force_login(staff)
    desk = reverse("registration:desk")
    assert client.get(desk).status_code == 200
    # Staff status removed in the admin: refused on the very next request.
    staff.is_staff = False
    staff.save()
    assert client.get(desk).status_code == 404
    # Deactivated: logged out at once.
    staff.is_active = False
    staff.save()
    assert client.get(desk).status_code == 302
    # A changed password ends the other sessions.
    other = get_user_model().objects.create_user("other@example.org", "other@example.org", "old-secret-123")
    other.is_staff = True
    other.save()
    client.force_login(other)
    assert client.get(desk).status_code == 200
    other.set_password("new-secret-456")
    other.save()
    assert client.get(desk).status_code == 302
