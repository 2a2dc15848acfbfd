"""Writing to the audit log. Services call these inside their own transaction."""

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
