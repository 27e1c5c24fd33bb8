"""Rows built once for a whole test module, for modules whose tests only read a large shared set-up.

Building the same participants, delegations and files for each of a hundred parametrised tests cost most of their
time. ``module_rows(build)`` makes a module-scoped fixture: it opens a transaction, runs ``build()`` once (database
access unblocked with pytest-django's ``django_db_blocker``, as its docs show for populating the test database),
keeps the transaction open while the module's tests run and rolls it back after the last one, so nothing is left for
other modules. Each test still runs in its own savepoint inside it (pytest-django's ``db``), exactly as Django's
``TestCase.setUpTestData`` does, so what a test writes is undone before the next. The fixture's value is
``(rows, media_root)``: files saved by ``build()`` live under ``media_root``, which the module's tests must use as
their MEDIA_ROOT; tests get a deep copy of ``rows`` (as ``setUpTestData`` does) so in-memory changes do not leak.

Only for tests using ``db`` (not ``transactional_db`` or ``live_server``, which need committed rows).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import translation


def module_rows(build: Callable[[], Any], **build_settings: Any):
    @pytest.fixture(scope="module")
    def rows(django_db_setup, django_db_blocker, tmp_path_factory):
        media_root = str(tmp_path_factory.mktemp("media"))
        with django_db_blocker.unblock(), transaction.atomic():
            with override_settings(MEDIA_ROOT=media_root, **build_settings), translation.override("en"):
                built = build()
            with django_db_blocker.block():  # tests get database access only through their own `db` marker
                yield built, media_root
            transaction.set_rollback(True)

    return rows


def fresh_copy(rows: Any) -> Any:
    return copy.deepcopy(rows)
