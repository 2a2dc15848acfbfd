"""Many rows written by one prepared INSERT and the driver's `executemany`, for imports.

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


def _converter(field: models.Field) -> Converter:
    if isinstance(field, _PLAIN):
        return _plain
    # The backend's adapter alone: get_db_prep_save's chain around it costs more than the insert.
    if isinstance(field, models.DateTimeField):
        return _datetime(connection.ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return _date(connection.ops.adapt_datefield_value)
    return lambda value: field.get_db_prep_save(value, connection)


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
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # nosec B608  # noqa: S608 - names from the model
        quoted(model._meta.db_table),
        ", ".join(quoted(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    prepared = [[c(v) for c, v in zip(converters, row, strict=True)] for row in rows]
    if prepared:
        with connection.cursor() as cursor:
            cursor.executemany(sql, prepared)
    return len(prepared)


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
