"""Reads of the audit log; the caller supplies the scope its policy allows."""

from datetime import date

from django.db.models import Q, QuerySet

from .models import AuditEntry


def audit_entries(
    *,
    scope: Q,
    actor_id: int | None = None,
    object_type: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.filter(scope).select_related("actor")
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs


def audit_object_types() -> list[str]:
    return list(AuditEntry.objects.order_by().values_list("object_type", flat=True).distinct())
