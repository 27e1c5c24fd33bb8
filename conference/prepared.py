"""Hot-path reads compiled to SQL once per thread, then run again with other values.

Django compiles a queryset to SQL each time it is evaluated; for a read with joins and a few dozen columns the
compiling costs more CPU than the database spends answering it. The desk's scan API and the participant's own
registration pages make such a read on every request. :class:`PreparedRead` builds the queryset once (with
sample values standing for the parameters), keeps the SQL and the compiler that made it, and on each call runs
that SQL with the real values, applies the compiler's converters (looked up once too) to the row and turns it into
model instances with ``Model.from_db``: the same rows and instances as the queryset would give, without compiling it again.

The writes below (``save_fields``, ``insert``, ``save_fields_and_insert``) compose their SQL once per model too. On
PostgreSQL all of these statements are also prepared on the server once per connection (:func:`_cursor`), so that
PostgreSQL does not parse and plan them again on every request.
"""

from __future__ import annotations

import contextlib
import functools
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


@functools.cache
def _preparing_cursor_class():
    import psycopg

    class PreparingCursor(psycopg.Cursor):
        """Binds the values on the server and has psycopg prepare each statement on its first run on a
        connection (named, kept until the connection closes or a rollback makes psycopg drop them all)."""

        __slots__ = ()

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)

        def _convert_query(self, query, params=None):
            # Django's query log (DEBUG, tests) reads the statement run from ``_query``, which psycopg fills in
            # only for a statement it does not prepare.
            converted = super()._convert_query(query, params)
            self._query = converted
            return converted

    return PreparingCursor


def _cursor(connection):
    """A cursor for the statements composed here, wrapped by Django as ``connection.cursor()`` is (query logging,
    ``execute_wrappers``, error translation).

    On PostgreSQL with prepared statements allowed (the ``prepare_threshold`` option, DB_PREPARED_STATEMENTS),
    one that prepares each statement once per connection: these run on every request of the registration pages
    and the desk, and PostgreSQL spent more time parsing and planning them than running them. Django's own
    cursors bind values on the client and are never prepared. Elsewhere ``connection.cursor()``."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if getattr(raw, "prepare_threshold", None) is None or not _same_time_zone(connection, raw):
        return connection.cursor()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        cursor = _preparing_cursor_class()(raw)
    return connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)


_checked = threading.local()


def _same_time_zone(connection, raw) -> bool:
    """Django gives a cursor a time zone loader of its own when the connection's differs from the database
    wrapper's; a cursor made here takes the connection's, so it is used only when the two agree (looked up once
    per connection)."""
    if getattr(_checked, "raw", None) is raw:
        return _checked.same
    from psycopg import postgres, pq

    loader = raw.adapters.get_loader(postgres.types["timestamptz"].oid, pq.Format.TEXT)
    _checked.raw, _checked.same = raw, getattr(loader, "timezone", None) == connection.timezone
    return _checked.same


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
        # Short table aliases ("U0"."name" rather than "registration_participant"."name"): psycopg parses the
        # statement once and keeps it for the next calls only below 4 kB; a read of every field of two models
        # is longer than that with the full table names.
        queryset.query.bump_prefix(queryset.query)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = []
        for param in params:
            matches = [index for index, sample in enumerate(self._samples) if param == sample]
            slots.append((matches[0], None) if matches else (None, param))
        if sorted(index for index, _param in slots if index is not None) != list(range(len(self._samples))):
            raise ValueError("each sample value must appear once among the query's parameters")
        # What results_iter() would look up on every call: the converters of the selected columns, once.
        selected = [column[0] for column in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(selected):
            raise ValueError("composite fields are not supported")
        converters = compiler.get_converters(selected)
        self._local.statement = (connection, compiler, sql, slots, converters)
        return compiler, sql, slots, converters

    def first(self, *values, using: str = DEFAULT_DB_ALIAS) -> dict[str, Model | None] | None:
        connection = connections[using]
        compiler, sql, slots, converters = self._statement(connection)
        params = [values[index] if index is not None else constant for index, constant in slots]
        with _cursor(connection) as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if converters:
            row = next(compiler.apply_converters([row], converters))
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


# --- writes ---------------------------------------------------------------------------------------------------------
#
# ``Model.save()`` compiles its UPDATE or INSERT anew each time, through a queryset: for one row with a dozen
# columns that costs more CPU than the database spends on the statement. The functions below write the same row
# with SQL composed once per model (and per set of columns), with the same field preparation (``pre_save`` for
# ``auto_now`` fields, ``get_db_prep_save``) and the same ``pre_save``/``post_save`` signals. They take plain
# fields only: a field with its own SQL placeholder, or a value that is an SQL expression, goes through ``save()``.

_write_sql: dict[tuple, str] = {}


def _plain(instance: Model, fields) -> bool:
    return not any(hasattr(field, "get_placeholder") for field in fields) and not any(
        hasattr(getattr(instance, field.attname, None), "resolve_expression") for field in fields
    )


def _update_fields_of(instance: Model, update_fields) -> list | None:
    """The model fields named by ``update_fields`` (names or attnames); None when ``save()`` must write them."""
    meta = instance._meta
    wanted = set(update_fields)
    fields = [f for f in meta.local_concrete_fields if not f.primary_key and (f.name in wanted or f.attname in wanted)]
    if not fields or meta.parents or instance.pk is None or not _plain(instance, fields):
        return None
    return fields


def _insert_fields_of(instance: Model) -> list | None:
    from django.db.models import AutoField

    meta = instance._meta
    fields = [f for f in meta.local_concrete_fields if not f.primary_key]
    if meta.parents or not isinstance(meta.pk, AutoField) or instance.pk is not None or not _plain(instance, fields):
        return None
    return fields


def _update_statement(instance: Model, fields, connection, only_if: dict | None = None) -> tuple[str, list]:
    """``UPDATE … SET … WHERE pk = %s`` (composed once) and its parameters; runs ``pre_save`` of the fields.
    ``only_if``: ``{attname: value}`` the row must still hold (None: the column is NULL) to be updated."""
    meta = instance._meta
    guards = [(meta.get_field(name), value) for name, value in (only_if or {}).items()]
    key = ("update", type(instance), connection.alias, tuple(field.attname for field in fields),
           tuple((field.attname, value is None) for field, value in guards))
    sql = _write_sql.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
        where = " AND ".join([f"{quote(meta.pk.column)} = %s"] + [
            f"{quote(field.column)} IS NULL" if value is None else f"{quote(field.column)} = %s" for field, value in guards
        ])
        sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {where}"  # noqa: S608 # nosec B608
        _write_sql[key] = sql
    params = [field.get_db_prep_save(field.pre_save(instance, False), connection) for field in fields]
    params.append(meta.pk.get_db_prep_value(instance.pk, connection))
    params += [field.get_db_prep_save(value, connection) for field, value in guards if value is not None]
    return sql, params


def own_statement(using: str = DEFAULT_DB_ALIAS):
    """A single statement is its own transaction in autocommit mode; inside a caller's transaction it gets a
    savepoint, so that a refused write (a unique value taken) does not abort the caller's transaction."""
    from django.db import transaction

    return transaction.atomic(using=using) if connections[using].in_atomic_block else contextlib.nullcontext()


def _insert_columns(instance: Model, fields, connection) -> tuple[str, str, list]:
    """``(table, columns)`` quoted, and the parameters of a new row; runs ``pre_save`` of the fields."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    params = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]
    return quote(instance._meta.db_table), columns, params


def _set_new_pk(instance: Model, pk, using: str) -> None:
    meta = instance._meta
    connection = connections[using]
    for converter in meta.pk.get_db_converters(connection):
        pk = converter(pk, meta.pk, connection)
    setattr(instance, meta.pk.attname, pk)
    instance._state.db, instance._state.adding = using, False


def _signal(kind: str, instance: Model, using: str, created: bool = False, update_fields=None) -> None:
    from django.db.models import signals

    if kind == "pre":
        signals.pre_save.send(sender=type(instance), instance=instance, raw=False, using=using,
                              update_fields=update_fields)
    else:
        signals.post_save.send(sender=type(instance), instance=instance, created=created,
                               update_fields=update_fields, raw=False, using=using)


#: What ``save(update_fields=…)`` raises when the row is gone.
_NO_ROW = "Save with update_fields did not affect any rows."


def _update_row(instance: Model, fields, using: str, only_if: dict | None = None) -> bool:
    """The UPDATE of ``fields`` between the ``pre_save`` and ``post_save`` signals; False (and no ``post_save``)
    when no row was updated."""
    names = frozenset(field.name for field in fields)
    _signal("pre", instance, using, update_fields=names)
    connection = connections[using]
    sql, params = _update_statement(instance, fields, connection, only_if)
    with _cursor(connection) as cursor:
        cursor.execute(sql, params)
        if cursor.rowcount != 1:
            return False
    instance._state.db, instance._state.adding = using, False
    _signal("post", instance, using, update_fields=names)
    return True


def save_fields(instance: Model, update_fields: list[str] | tuple[str, ...], using: str = DEFAULT_DB_ALIAS) -> None:
    """``instance.save(update_fields=update_fields)`` for an existing row (``update_fields`` named as ``save()``
    takes them: names or attnames). Raises ``DatabaseError`` when no row was updated, as ``save()`` does."""
    from django.db import DatabaseError

    fields = _update_fields_of(instance, update_fields)
    if fields is None:
        instance.save(update_fields=update_fields, using=using)
    elif not _update_row(instance, fields, using):
        raise DatabaseError(_NO_ROW)


def insert(instance: Model, using: str = DEFAULT_DB_ALIAS) -> None:
    """``instance.save()`` for a new row of a model with an automatic primary key (set on ``instance``)."""
    fields = _insert_fields_of(instance)
    if fields is None:
        instance.save(using=using)
        return
    _signal("pre", instance, using)
    connection = connections[using]
    table, columns, params = _insert_columns(instance, fields, connection)
    key = ("insert", type(instance), connection.alias)
    sql = _write_sql.get(key)
    if sql is None:
        placeholders = ", ".join(["%s"] * len(fields))
        returning = ""
        if connection.features.can_return_columns_from_insert:
            returning = f" RETURNING {connection.ops.quote_name(instance._meta.pk.column)}"
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}){returning}"  # noqa: S608 # nosec B608
        _write_sql[key] = sql
    with _cursor(connection) as cursor:
        cursor.execute(sql, params)
        if connection.features.can_return_columns_from_insert:
            pk = cursor.fetchone()[0]
        else:
            pk = connection.ops.last_insert_id(cursor, instance._meta.db_table, instance._meta.pk.column)
    _set_new_pk(instance, pk, using)
    _signal("post", instance, using, created=True)


def save_fields_and_insert(instance: Model, update_fields: list[str] | tuple[str, ...], new: Model, *,
                           only_if: dict | None = None, using: str = DEFAULT_DB_ALIAS) -> bool:
    """:func:`save_fields` of ``instance`` and :func:`insert` of ``new`` (a change and its record), both or
    neither. On PostgreSQL in one statement (the UPDATE in a WITH clause, the INSERT taking its row from it): one
    round trip and no transaction block of its own (a savepoint inside a caller's transaction, see
    :func:`own_statement`). Elsewhere, the two writes in one transaction.

    ``only_if``: ``{attname: value}`` the row must still hold (None: the column is NULL) for anything to be
    written; False when it no longer does. Without it, a row that is gone raises ``DatabaseError`` as ``save()``
    does. Returns True when both rows were written."""
    from django.db import DatabaseError, transaction

    connection = connections[using]
    fields, new_fields = _update_fields_of(instance, update_fields), _insert_fields_of(new)
    if fields is None and only_if:
        raise ValueError("only_if needs plain fields to update")
    names = frozenset(field.name for field in fields) if fields is not None else None
    if connection.vendor != "postgresql" or fields is None or new_fields is None:
        with transaction.atomic(using=using):
            if fields is None:
                instance.save(update_fields=update_fields, using=using)
            elif not _update_row(instance, fields, using, only_if):
                if only_if is not None:
                    return False
                raise DatabaseError(_NO_ROW)
            insert(new, using=using)
        return True
    _signal("pre", instance, using, update_fields=names)
    _signal("pre", new, using)
    update, update_params = _update_statement(instance, fields, connection, only_if)
    table, columns, insert_params = _insert_columns(new, new_fields, connection)
    key = ("update+insert", update, type(new), connection.alias)
    sql = _write_sql.get(key)
    if sql is None:
        placeholders = ", ".join(["%s"] * len(new_fields))
        pk = connection.ops.quote_name(new._meta.pk.column)
        rows = f"INSERT INTO {table} ({columns}) SELECT {placeholders} FROM updated RETURNING {pk}"  # noqa: S608 # nosec B608
        sql = f"WITH updated AS ({update} RETURNING 1) {rows}"
        _write_sql[key] = sql
    with own_statement(using), _cursor(connection) as cursor:
        cursor.execute(sql, update_params + insert_params)
        row = cursor.fetchone()
    if row is None:
        if only_if is not None:
            return False
        raise DatabaseError(_NO_ROW)
    instance._state.db, instance._state.adding = using, False
    _set_new_pk(new, row[0], using)
    _signal("post", instance, using, update_fields=names)
    _signal("post", new, using, created=True)
    return True
