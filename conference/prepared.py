"""Hot-path reads compiled to SQL once per thread, then run again with other values.

Django compiles a queryset to SQL each time it is evaluated; for a read with joins and a few dozen columns the
compiling costs more CPU than the database spends answering it. The desk's scan API and the participant's own
registration pages make such a read on every request. :class:`PreparedRead` builds the queryset once (with
sample values standing for the parameters), keeps the SQL and the compiler that made it, and on each call runs
that SQL with the real values, applies the compiler's converters to the row and turns it into model instances
with ``Model.from_db``: the same rows and instances as the queryset would give, without compiling it again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Part:
    """One model read by the query: ``path`` from the queryset's model ("" for itself), the attnames to load."""

    path: str
    model: type[Model]
    fields: tuple[str, ...]

    def __post_init__(self) -> None:
        # Model.from_db() takes the values in the order of the model's fields, whatever order they are named in.
        order = [field.attname for field in self.model._meta.concrete_fields]
        unknown = set(self.fields) - set(order)
        if unknown:
            raise ValueError(f"{self.model.__name__} has no fields {sorted(unknown)}")
        object.__setattr__(self, "fields", tuple(name for name in order if name in self.fields))

    def lookups(self) -> list[str]:
        return [f"{self.path}__{name}" if self.path else name for name in self.fields]


class PreparedRead:
    """``build(*samples)`` returns the queryset (filters, ordering, ``select_for_update``), without ``values_list``.

    ``samples``: one value per parameter, distinct from each other and from any constant of the query; each must
    appear as it is among the compiled query's parameters (checked once, when compiling). :meth:`first` returns
    ``{path: instance or None}`` for the first row, or None when there is none.
    """

    def __init__(self, build: Callable[..., QuerySet], samples: tuple, parts: tuple[Part, ...]) -> None:
        if len(set(samples)) != len(samples):
            raise ValueError("the sample values must differ from each other")
        self._build = build
        self._samples = samples
        self._parts = parts
        self._local = threading.local()

    def _statement(self, connection):
        cached = getattr(self._local, "statement", None)
        if cached is not None and cached[0] is connection:
            return cached[1:]
        columns = [lookup for part in self._parts for lookup in part.lookups()]
        queryset = self._build(*self._samples).values_list(*columns)[:1]
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = []
        for param in params:
            matches = [index for index, sample in enumerate(self._samples) if param == sample]
            slots.append((matches[0], None) if matches else (None, param))
        if sorted(index for index, _param in slots if index is not None) != list(range(len(self._samples))):
            raise ValueError("each sample value must appear once among the query's parameters")
        self._local.statement = (connection, compiler, sql, slots)
        return compiler, sql, slots

    def first(self, *values, using: str = DEFAULT_DB_ALIAS) -> dict[str, Model | None] | None:
        connection = connections[using]
        compiler, sql, slots = self._statement(connection)
        params = [values[index] if index is not None else constant for index, constant in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        row = next(iter(compiler.results_iter(results=[[row]])))
        instances: dict[str, Model | None] = {}
        start = 0
        for part in self._parts:
            values_of_part = row[start : start + len(part.fields)]
            start += len(part.fields)
            pk_value = values_of_part[part.fields.index(part.model._meta.pk.attname)]
            instances[part.path] = (
                None if pk_value is None else part.model.from_db(using, list(part.fields), list(values_of_part))
            )
        return instances
