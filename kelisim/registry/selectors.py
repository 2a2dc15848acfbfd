"""Reads of the registry. People are personal data: whatever shows them passes them through
`people_shown`, which writes one audit row per read; organizations are not."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from kelisim.accounts import policies
from kelisim.core.audit import audit_read_records

from .models import Organization, Person


def organization_list(*, user: Any, q: str = "", capability: str = "view_registry") -> QuerySet[Organization]:
    qs = Organization.objects.filter(policies.scope_q(user, capability), merged_into__isnull=True)
    if q:
        qs = qs.filter(Q(name_kk__icontains=q) | Q(name_ru__icontains=q))
    return qs.select_related("territory", "head").order_by("name_kk")


def person_list(*, user: Any, q: str = "", capability: str = "view_registry") -> QuerySet[Person]:
    qs = Person.objects.filter(policies.scope_q(user, capability), merged_into__isnull=True)
    if q:
        qs = qs.filter(full_name__icontains=q)
    return qs.select_related("territory").prefetch_related("positions").order_by("full_name")


def organization_get_for_user(*, user: Any, pk: Any, capability: str = "view_registry") -> Organization:
    try:
        return (
            Organization.objects.filter(policies.scope_q(user, capability))
            .select_related("territory")
            .get(pk=int(pk))
        )
    except (Organization.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def person_get_for_user(*, user: Any, pk: Any, capability: str = "view_registry") -> Person:
    try:
        return (
            Person.objects.filter(policies.scope_q(user, capability))
            .select_related("territory")
            .get(pk=int(pk))
        )
    except (Person.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def people_shown(*, user: Any, people: Iterable[Person], via: str, filters: Any = None) -> list[Person]:
    """`people` as a list, after one audit row naming them; `via` names the page or answer."""
    shown = list(people)
    audit_read_records(
        actor=user,
        object_type=Person._meta.label_lower,
        ids=[p.pk for p in shown],
        territory_paths=[p.territory.path for p in shown],
        via=via,
        rows=len(shown),
        filters=filters,
    )
    return shown
