"""Writing to the audit log. Services call these inside their own transaction."""

import dataclasses
from datetime import date, datetime
from typing import Any

from django.db import models

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
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=actor,
                kind=AuditEntry.Kind.WRITE,
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                territory_path=path,
                params=safe,
            )
            for obj, path in zip(objs, territory_paths, strict=True)
        ],
        batch_size=1000,
    )


def audit_read(*, actor: Any, obj: models.Model, territory_path: str = "") -> AuditEntry:
    """Record that `actor` read a sensitive record."""
    return audit_record(
        actor=actor, action="read", obj=obj, territory_path=territory_path, kind=AuditEntry.Kind.READ
    )


# Reads of restricted records and of personal data -------------------------------------------------
#
# One row per read, whatever the number of records it showed: who (actor), what (the object type
# and the ids of the records shown that need recording), through which page, answer or report
# (`via`), with which filter (`filter_*`: codes, ids, dates and flags; a free-text filter is only
# recorded as given, never its text) and how many rows the read showed in all (`rows`). The
# territory is the deepest unit holding every record, so that the audit page's scope finds it.


def _filter_value(value: Any) -> Any:
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime):
        return value.strftime("%Y%m%d%H%M")
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, str) and value.isascii() and (value.isidentifier() or value.isdigit()):
        return value  # a code: a status, a format, a KATO code
    # Free text (a search, part of a name; "Сабырұлы" is a Python identifier too): that it was
    # given, never what it was. Callers pass such filters as flags already.
    return True


def read_filters(filters: Any) -> dict[str, Any]:
    """`filters` (a mapping or a dataclass of them) as audit parameters; unset filters are left out."""
    if filters is None:
        return {}
    is_instance = dataclasses.is_dataclass(filters) and not isinstance(filters, type)
    items = dataclasses.asdict(filters) if is_instance else dict(filters)
    return {
        f"filter_{name}": _filter_value(value)
        for name, value in items.items()
        if value is not None and value != "" and value is not False and value != []
    }


def _reader(actor: Any) -> Any:
    """The user to record, or None: anonymous, or a command's unsaved stand-in (`kelisim summary`)."""
    return actor if getattr(actor, "is_authenticated", False) and actor.pk is not None else None


def _common_path(paths: list[str]) -> str:
    """The deepest territory path ("310000000/314800000/") that holds every one of `paths`."""
    common: list[str] = []
    for units in zip(*(p.split("/")[:-1] for p in paths), strict=False):
        if len(set(units)) != 1:
            break
        common.append(units[0])
    return "".join(f"{unit}/" for unit in common)


def audit_read_records(
    *,
    actor: Any,
    object_type: str,
    ids: list[int],
    territory_paths: list[str],
    via: str,
    rows: int,
    filters: Any = None,
) -> AuditEntry | None:
    """Record that one read showed `actor` the records `ids` (restricted or personal) among `rows`
    rows; nothing when `ids` is empty. A read of one record names it as the entry's object."""
    unique = sorted(set(ids))
    if not unique:
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
