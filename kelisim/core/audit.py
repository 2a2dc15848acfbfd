"""Writing to the audit log. Services call these inside their own transaction."""

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone

from . import bulk
from .models import AuditEntry

# Values allowed in audit parameters: identifiers, codes, counts and flags, never free text
# typed by a person (names, phones, appeal texts end up there otherwise).
_SAFE_TYPES = (int, float, bool, type(None))


def _safe(params: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, _SAFE_TYPES):
            clean[key] = value
        elif isinstance(value, list | tuple) and all(isinstance(v, str | int) for v in value):
            clean[key] = [v for v in value if isinstance(v, int) or v.isidentifier() or v.isdigit()]
        elif isinstance(value, str) and (value.isidentifier() or value.isdigit()):
            clean[key] = value
        else:
            raise ValueError(f"audit parameter {key!r} must be an identifier, a code or a number")
    return clean


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    territory_path: str = "",
    kind: str = AuditEntry.Kind.WRITE,
    params: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record `action` on `obj` by `actor`. Call it inside the service's transaction."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        territory_path=territory_path,
        params=_safe(params or {}),
    )


def audit_record_many(
    *, actor: Any, action: str, objs: list[Any], territory_paths: list[str], params: dict[str, Any]
) -> None:
    """One entry per object, written in one statement: for services that write many rows at once."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    safe = _safe(params)
    # Rows, not instances: an import writes one entry per appeal, and bulk_create's per-value
    # compilation was most of its commit (kelisim.core.bulk).
    actor_id = actor.pk if actor is not None else None
    now = timezone.now()
    bulk.insert_values(
        AuditEntry,
        ["id", "at", "actor_id", "kind", "action", "object_type", "object_id", "territory_path", "params"],
        (
            [
                key,
                now,
                actor_id,
                AuditEntry.Kind.WRITE,
                action,
                obj._meta.label_lower,
                str(obj.pk),
                path,
                safe,
            ]
            for key, obj, path in zip(
                bulk.allocate_keys(AuditEntry, len(objs)), objs, territory_paths, strict=True
            )
        ),
    )


def audit_read(*, actor: Any, obj: models.Model, territory_path: str = "") -> AuditEntry:
    """Record that `actor` read a sensitive record."""
    return audit_record(
        actor=actor, action="read", obj=obj, territory_path=territory_path, kind=AuditEntry.Kind.READ
    )


def _code(value: Any) -> Any:
    """A filter's value as the audit log may hold it: a code, a number, a flag; free text as True."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime):
        return value.strftime("%Y%m%d%H%M")
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    if isinstance(value, _SAFE_TYPES):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [v for v in (_code(item) for item in value) if isinstance(v, int | str)]
    text = str(value)
    if text.isascii() and (text.isidentifier() or text.isdigit()):
        return text
    # A search text or part of a name ("Сабырұлы" is a Python identifier too): that it was given,
    # never what it was.
    return True


def _common_path(paths: Iterable[str]) -> str:
    """The deepest territory holding every path ("" = the whole country): who may read the entry."""
    listed = list(paths)
    if not listed or "" in listed:
        return ""
    common = []
    for parts in zip(*(path.rstrip("/").split("/") for path in listed), strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "/".join(common) + "/" if common else ""


def audit_export(
    *,
    actor: Any,
    kind: str,
    fmt: str,
    rows: int,
    obj: models.Model | type[models.Model] | None,
    filters: Mapping[str, Any] | Any = None,
    paths: Iterable[str] = (),
    source: str = "web",
) -> AuditEntry:
    """Record that `actor` took data out of Kelisim: which export (`kind`, `fmt`), with which filters
    and how many rows. `obj` is the one record exported from (a visit, an instrument), or the model
    whose rows a list export holds (Appeal, Event), or None (a backup: the whole database).

    `filters` (a mapping or a dataclass) keep only the filters that were set, as codes and numbers;
    a free-text filter is recorded as True. `paths` are the territories the export covers (the
    filter's territory, or the user's scope), so that the territory's auditors see the entry.
    `source` is "web" or "command" (a command has no signed-in user).
    """
    given: Mapping[str, Any] = {}
    if dataclasses.is_dataclass(filters) and not isinstance(filters, type):
        given = dataclasses.asdict(filters)
    elif isinstance(filters, Mapping):
        given = filters
    params: dict[str, Any] = {"format": fmt, "rows": int(rows), "source": source}
    for key, value in given.items():
        if value is None or value is False or (isinstance(value, str | list | tuple) and not value):
            continue  # only the filters that were set
        params[f"filter_{key}"] = _code(value)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) and getattr(actor, "pk", None) else None,
        kind=AuditEntry.Kind.EXPORT,
        action=f"export.{kind}",
        object_type=obj._meta.label_lower if obj is not None else "database",
        object_id="" if obj is None or isinstance(obj, type) else str(obj.pk),
        territory_path=_common_path(paths),
        params=_safe(params),
    )


# Reads of restricted records and of personal data -------------------------------------------------
#
# One row per read, whatever the number of records it showed: who (actor), what (the object type
# and the ids of the records shown that need recording), through which page, answer or report
# (`via`), with which filter (`filter_*`: codes, ids, dates and flags; a free-text filter is only
# recorded as given, never its text) and how many rows the read showed in all (`rows`). The
# territory is the deepest unit holding every record, so that the audit page's scope finds it.


def read_filters(filters: Any) -> dict[str, Any]:
    """`filters` (a mapping or a dataclass of them) as audit parameters; unset filters are left out."""
    if filters is None:
        return {}
    is_instance = dataclasses.is_dataclass(filters) and not isinstance(filters, type)
    items = dataclasses.asdict(filters) if is_instance else dict(filters)
    return {
        f"filter_{name}": _code(value)
        for name, value in items.items()
        if value is not None and value != "" and value is not False and value != []
    }


def _reader(actor: Any) -> Any:
    """The user to record, or None: anonymous, or a command's unsaved stand-in (`kelisim summary`)."""
    return actor if getattr(actor, "is_authenticated", False) and actor.pk is not None else None


def audit_read_records(
    *,
    actor: Any,
    object_type: str,
    ids: list[int],
    territory_paths: list[str],
    via: str,
    rows: int,
    filters: Any = None,
    always: bool = False,
) -> AuditEntry | None:
    """Record that one read showed `actor` the records `ids` (restricted or personal) among `rows`
    rows; nothing when `ids` is empty, unless `always` (a lookup of a person is recorded even when
    it found nothing). A read of one record names it as the entry's object."""
    unique = sorted(set(ids))
    if not unique and not always:
        return None
    return AuditEntry.objects.create(
        actor=_reader(actor),
        kind=AuditEntry.Kind.READ,
        action="read",
        object_type=object_type,
        object_id=str(unique[0]) if len(unique) == 1 else "",
        territory_path=_common_path(territory_paths),
        params=_safe({"via": via, "rows": rows, "ids": unique, **read_filters(filters)}),
    )


def audit_read_aggregate(
    *,
    actor: Any,
    object_type: str,
    counted: int,
    territory_paths: list[str],
    via: str,
    rows: int,
    filters: Any = None,
) -> AuditEntry | None:
    """Record that figures shown to `actor` counted `counted` restricted records among `rows`
    (a dashboard: the records themselves were not shown, so the filter says which they were)."""
    if not counted:
        return None
    return AuditEntry.objects.create(
        actor=_reader(actor),
        kind=AuditEntry.Kind.READ,
        action="read",
        object_type=object_type,
        object_id="",
        territory_path=_common_path(territory_paths),
        params=_safe({"via": via, "rows": rows, "restricted": counted, **read_filters(filters)}),
    )
