"""Devices for the API tests: made, enrolled and given a token through the services, as an organizer would."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from api.models import Device
from api.services import device_enroll, device_save, enrollment_create
from tests.factories import StaffFactory


@pytest.fixture
def organizer(db):
    return StaffFactory(first_name="Olga", last_name="Organizer", password=None)  # no hashing: fast


def enrolled(conference, organizer, *, name="Door tablet", doors=(), **points):
    """A device of ``conference`` enrolled with its one-time code: ``(device, token row, bearer token)``."""
    device = device_save(Device(conference=conference, name=name, **points), actor=organizer, doors=list(doors))
    made = enrollment_create(device, actor=organizer)
    row, token = device_enroll(code=made.code, label="test phone")
    return device, row, token


@pytest.fixture
def device_client():
    def make(token: str) -> APIClient:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return api

    return make
