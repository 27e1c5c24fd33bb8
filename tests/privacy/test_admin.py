"""The organizers' privacy admin: read log with filters, retention policies refused below the floor, deletion
requests granted or refused from their page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from privacy.enums import ReadWhere, RetentionKind
from privacy.models import DeletionRequest, PrivacyNotice, RetentionPolicy
from privacy.services.reads import record_read
from privacy.services.requests import deletion_request_open
from registration.models import Participant
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(client):
    user = StaffFactory(username="organizer@example.org")
    client.force_login(user)
    return user


def test_read_log_changelist_filters_by_kind_and_place(client, organizer, traveller):
    officer = StaffFactory(username="visa.officer@example.org")
    record_read(traveller, reader=officer, kind=RetentionKind.SENSITIVE, what="travel_document", where=ReadWhere.ADMIN)
    record_read(traveller, reader=officer, kind=RetentionKind.PHOTOS, what="photo", where=ReadWhere.DESK)
    url = reverse("admin:privacy_readlog_changelist")

    page = client.get(url, {"kind": "photos"}).content.decode()
    assert "photo" in page and "travel_document" not in page
    page = client.get(url, {"where": "admin"}).content.decode()
    assert "travel_document" in page and ">photo<" not in page


def test_read_log_changelist_query_count(client, organizer, traveller, django_assert_num_queries):
    url = reverse("admin:privacy_readlog_changelist")
    record_read(traveller, reader=organizer, kind="travel_hotel", what="arrival", where="export")
    client.get(url)  # reads the current conference into the shared cache
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
    record_read([traveller] * 30, reader=organizer, kind="travel_hotel", what="arrival", where="export")
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


def test_retention_policy_below_the_floor_is_refused_in_the_admin(client, organizer, conference, settings):
    settings.PRIVACY_RETENTION = {**settings.PRIVACY_RETENTION, "rest": {"floor": 30, "default": 730, "ceiling": 1825}}
    url = reverse("admin:privacy_retentionpolicy_add")
    response = client.post(url, {"conference": conference.pk, "rest_days": 5})
    assert "At least 30 days" in response.content.decode()
    assert RetentionPolicy.objects.count() == 0
    client.post(url, {"conference": conference.pk, "rest_days": 60, "sensitive_days": 7})
    assert RetentionPolicy.objects.get().rest_days == 60


def test_notice_published_from_the_admin_as_a_new_version(client, organizer, conference):
    url = reverse("admin:privacy_privacynotice_add")
    for text in ("First.", "Second."):
        client.post(url, {"conference": conference.pk, "text": text, "text_fr": "Fr.", "text_ar": "عربي."})
    assert list(PrivacyNotice.objects.order_by("version").values_list("version", "text")) == [(1, "First."),
                                                                                             (2, "Second.")]


def test_deletion_request_refused_then_another_granted_from_the_admin(client, organizer, traveller, mailoutbox,
                                                                       django_capture_on_commit_callbacks):
    request = deletion_request_open(traveller, actor=None)
    url = reverse("admin:privacy_deletionrequest_change", args=[request.pk])
    client.post(url, {"reason": "", "_refuse": "1"})
    assert DeletionRequest.objects.get().status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "Your visa appeal is pending.", "_refuse": "1"})
    assert DeletionRequest.objects.get().reason == "Your visa appeal is pending."

    second = deletion_request_open(traveller, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:privacy_deletionrequest_change", args=[second.pk]), {"_grant": "1"})
    second.refresh_from_db()
    assert second.status == "granted"
    assert Participant.objects.get(pk=traveller.pk).last_name == ""
