"""Many rows written by one prepared INSERT and the driver's `executemany` (COPY on PostgreSQL), for
imports.

`bulk_create` compiles every value of every row through the ORM (field_as_sql, prepare_value,
get_db_prep_save and an INSERT of hundreds of placeholders per batch): for an import of 100,000
appeals that preparation was most of the commit, the database itself about a twentieth
(docs/benchmarks.md). The rows written here were validated before (clean_fields or a form), so
plain values (str, int, bool) go to the driver as they are; dates and times through the backend's
adapter after the ORM's own normalisation (a naive time read in the current time zone, a datetime
given to a date column cut to its date), and other types (JSON, UUIDs, decimals) through their
field's conversion.

Primary keys are taken before the insert, so callers get them without RETURNING (which
`executemany` can't give on SQLite): on PostgreSQL from the table's sequence; on SQLite after the
table's largest key, which no one else can take meanwhile because the transaction already holds
the database's write lock (`transaction_mode` IMMEDIATE in the settings).
"""

import enum
import operator
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone
from django.utils.functional import Promise

Converter = Callable[[Any], Any]
M = TypeVar("M", bound=models.Model)

# Values of these fields reach both drivers unchanged (an int, a str, a bool or None).
_PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.IntegerField,
    models.BooleanField,
    models.CharField,
    models.TextField,
    models.ForeignKey,
)


# What both drivers take as it is: a row whose plain columns hold only these needs no conversion.
_DRIVER_TYPES = frozenset({str, int, bool, type(None)})


def _converter(field: models.Field) -> Converter:
    if isinstance(field, _PLAIN):
        return _plain
    # The backend's adapter alone: get_db_prep_save's chain around it costs more than the insert.
    # An import's rows share a few days and one time of writing: each is adapted once per call.
    if isinstance(field, models.DateTimeField):
        return _remembered(_datetime(connection.ops.adapt_datetimefield_value))
    if isinstance(field, models.DateField):
        return _remembered(_date(connection.ops.adapt_datefield_value))
    if field.null:
        # NULL whatever the type: a null JSON field stores None as SQL NULL too.
        return lambda value: None if value is None else field.get_db_prep_save(value, connection)
    return lambda value: field.get_db_prep_save(value, connection)


def _remembered(convert: Converter) -> Converter:
    known: dict[Any, Any] = {}

    def remembered(value: Any) -> Any:
        try:
            return known[value]
        except KeyError:
            known[value] = found = convert(value)
            return found

    return remembered


def _plain(value: Any) -> Any:
    # A TextChoices member is a str; the drivers take it, but its value is what is meant. A lazy
    # translation is a promise of a str, which the drivers refuse.
    if isinstance(value, enum.Enum):
        return value.value
    return str(value) if isinstance(value, Promise) else value


def _datetime(adapt: Callable[[Any], Any]) -> Converter:
    def convert(value: Any) -> Any:
        if value is None:
            return None
        if timezone.is_naive(value):
            # As the ORM reads a naive time: in the current time zone (Asia/Almaty).
            value = timezone.make_aware(value)
        return adapt(value)

    return convert


def _date(adapt: Callable[[Any], Any]) -> Converter:
    def convert(value: Any) -> Any:
        if value is None:
            return None
        return adapt(value.date() if isinstance(value, datetime) else value)

    return convert


def _fields(model: type[models.Model], names: Sequence[str]) -> list[models.Field]:
    by_name = {f.name: f for f in model._meta.concrete_fields} | {
        f.attname: f for f in model._meta.concrete_fields
    }
    return [by_name[name] for name in names]


def allocate_keys(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys of `model`'s table, in order, reserved for this transaction."""
    if count == 0:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("keys are reserved inside a transaction")
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quoted = connection.ops.quote_name
        # AUTOINCREMENT never reuses a deleted row's key: the sequence table remembers the largest.
        cursor.execute(
            f"SELECT max(coalesce((SELECT max({quoted(column)}) FROM {quoted(table)}), 0), "  # nosec B608  # noqa: S608 - names from the model
            "coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        last = cursor.fetchone()[0]
    return list(range(last + 1, last + 1 + count))


def insert_values(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` (values in the order of `names`, field names or attnames, the key included
    when the table's own isn't wanted). Returns how many were written."""
    fields = _fields(model, names)
    converters = [_converter(f) for f in fields]
    quoted = connection.ops.quote_name
    table = quoted(model._meta.db_table)
    columns = ", ".join(quoted(f.column) for f in fields)
    prepared = _prepared(converters, rows)
    if not prepared:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, f"COPY {table} ({columns}) FROM STDIN", prepared)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)  # nosec B608  # noqa: S608 - names from the model
    return len(prepared)


def _prepared(converters: list[Converter], rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    """The rows with their dates, times and other values adapted; the plain columns (text, numbers,
    keys) looked at by type, and converted only when a row holds something else there (a choice's
    member, a lazy translation)."""
    plain = [i for i, c in enumerate(converters) if c is _plain]
    other = [(i, c) for i, c in enumerate(converters) if c is not _plain]
    pick: Callable[[list[Any]], Iterable[Any]] = (
        operator.itemgetter(*plain) if len(plain) > 1 else lambda row: [row[i] for i in plain]
    )
    prepared = []
    for values in rows:
        if len(values) != len(converters):
            raise ValueError(f"a row of {len(values)} values for {len(converters)} columns")
        row = list(values)
        for i, convert in other:
            row[i] = convert(row[i])
        if not _DRIVER_TYPES.issuperset(map(type, pick(row))):
            for i in plain:
                if type(row[i]) not in _DRIVER_TYPES:
                    row[i] = _plain(row[i])
        prepared.append(row)
    return prepared


def _copy(cursor: Any, sql: str, rows: list[list[Any]]) -> None:
    """PostgreSQL's COPY: the rows go as one stream the server parses as it reads, about four times
    faster than executemany's statement per row. Errors come as Django's (IntegrityError), as they
    would from an INSERT."""
    with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def insert_objects(model: type[M], objs: list[M]) -> list[M]:
    """Insert unsaved instances of `model` with new keys, as `bulk_create` would (auto_now dates
    filled, instances marked saved), without its per-value compilation."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for obj in objs:
        for field in fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                field.pre_save(obj, add=True)
    keys = allocate_keys(model, len(objs))
    names = [model._meta.pk.attname, *(f.attname for f in fields)]
    insert_values(
        model,
        names,
        ([key, *(getattr(obj, f.attname) for f in fields)] for key, obj in zip(keys, objs, strict=True)),
    )
    for key, obj in zip(keys, objs, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs
