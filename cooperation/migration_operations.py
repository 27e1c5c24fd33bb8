"""The PostgreSQL-only part of cooperation's schema: the exclusion constraint over the bookings' time ranges.

It is added by a migration operation that does nothing on another database (the embedded SQLite of ``make run``
migrates as before) and is not part of the model's state, so Django never validates it itself: on every database
the services check for overlaps before they write (``cooperation.services.bookings``), and on PostgreSQL this
constraint refuses the second of two writes that raced past that check.
"""

from __future__ import annotations

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import migrations
from django.db.models import Func

BOOKING_CONSTRAINT = "booking_no_overlap"


class TsTzRange(Func):
    """``tstzrange(starts_at, ends_at, '[)')``: the documented way to build a range from two columns."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def booking_no_overlap() -> ExclusionConstraint:
    return ExclusionConstraint(
        name=BOOKING_CONSTRAINT,
        expressions=[
            ("kind", RangeOperators.EQUAL),
            ("resource_id", RangeOperators.EQUAL),
            (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS),
        ],
    )


class AddConstraintOnPostgreSQL(migrations.operations.base.Operation):
    """Add ``constraint`` to ``model_name``'s table on PostgreSQL; nothing on other databases, nothing in the state."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name: str, constraint):
        self.model_name = model_name
        self.constraint = constraint

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        schema_editor.add_constraint(model, self.constraint)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        schema_editor.remove_constraint(model, self.constraint)

    def describe(self) -> str:
        return f"Add {self.constraint.name} to {self.model_name} (PostgreSQL only)"

    def deconstruct(self):
        return (self.__class__.__name__, [self.model_name, self.constraint], {})
