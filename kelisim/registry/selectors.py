from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from kelisim.accounts import policies

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
