"""PostgreSQL: Django's server_side_binding, with psycopg preparing the statements a connection runs often."""

from __future__ import annotations

import pytest
from django.db import connection

from conference.models import Conference
from tests.factories import ConferenceFactory

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="server-side binding is PostgreSQL's")


def _options(extra_env: dict[str, str]) -> str:
    import os
    import subprocess  # nosec B404 - our own interpreter on our own settings
    import sys
    from pathlib import Path

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "conference.settings",
           "DATABASE_URL": "postgres://accord@127.0.0.1:5432/accord", **extra_env}
    result = subprocess.run(  # nosec B603
        [sys.executable, "-c", "from django.conf import settings; options = settings.DATABASES['default']['OPTIONS']; "
         "print(options.get('server_side_binding'), options.get('prepare_threshold'))"],
        cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True, timeout=60, check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_server_side_binding_on_with_postgresql_unless_turned_off():
    assert _options({}) == "True 5"
    assert _options({"DB_SERVER_SIDE_BINDING": "0"}) == "False None"


@postgres_only
@pytest.mark.django_db
def test_a_repeated_query_is_prepared_once_on_the_connection():
    if connection.settings_dict["OPTIONS"].get("server_side_binding") is not True:
        pytest.skip("DB_SERVER_SIDE_BINDING=0")
    conference = ConferenceFactory()
    for _request in range(6):
        assert Conference.objects.get(slug=conference.slug).pk == conference.pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [statement for (statement,) in cursor.fetchall()]
    assert [s for s in statements if 'FROM "conference_conference" WHERE "conference_conference"."slug" = $1' in s]
