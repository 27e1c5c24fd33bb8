"""The PostgreSQL-only part of registration's schema: the trigram index over ``Participant.search_name``.

Added by a migration operation that does nothing on another database (the embedded SQLite of ``make run`` searches
the same column with ``LIKE``) and is not part of the model's state (as ``cooperation/migration_operations.py``).
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

SEARCH_INDEX = "participant_search_trgm"


def search_name_index() -> GinIndex:
    """``gin (search_name gin_trgm_ops)``: ``LIKE '%term%'`` answered from the index at any number of rows."""
    return GinIndex(fields=["search_name"], opclasses=["gin_trgm_ops"], name=SEARCH_INDEX)


class AddIndexOnPostgreSQL(migrations.operations.base.Operation):
    """Add ``index`` to ``model_name``'s table on PostgreSQL; nothing on other databases, nothing in the state."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name: str, index):
        self.model_name = model_name
        self.index = index

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.add_index(to_state.apps.get_model(app_label, self.model_name), self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.remove_index(from_state.apps.get_model(app_label, self.model_name), self.index)

    def describe(self) -> str:
        return f"Add {self.index.name} to {self.model_name} (PostgreSQL only)"

    def deconstruct(self):
        return (self.__class__.__name__, [self.model_name, self.index], {})
