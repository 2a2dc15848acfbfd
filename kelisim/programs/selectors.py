from datetime import date
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from kelisim.accounts import policies

from .models import Edition, Program, Visit, VisitPlan


def program_list(*, user: Any, capability: str = "view_visit") -> QuerySet[Program]:
    """Programs of the user's territories and of the units above them."""
    return Program.objects.filter(policies.related_q(user, capability)).prefetch_related("editions")


def program_get_for_user(*, user: Any, pk: Any, capability: str = "view_visit") -> Program:
    try:
        return program_list(user=user, capability=capability).get(pk=int(pk))
    except (Program.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def visit_list(
    *,
    user: Any,
    territory: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    status: str | None = None,
    capability: str = "view_visit",
) -> QuerySet[Visit]:
    qs = Visit.objects.filter(policies.scope_q(user, capability))
    if territory:
        qs = qs.filter(policies.within_q(territory))
    if date_from:
        qs = qs.filter(date_end__gte=date_from)
    if date_to:
        qs = qs.filter(date_start__lte=date_to)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("territory", "edition__program").order_by("-date_start", "id")


def visit_get_for_user(*, user: Any, pk: Any, capability: str = "view_visit") -> Visit:
    try:
        return visit_list(user=user, capability=capability).get(pk=int(pk))
    except (Visit.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def plan_vs_fact(*, user: Any, edition: Edition) -> list[dict[str, Any]]:
    """Per district of the edition's plan (and any district visited without a plan)."""
    scope = policies.scope_q(user, "view_visit", path_field="district__path")
    plans = {
        p.district_id: p for p in VisitPlan.objects.filter(scope, edition=edition).select_related("district")
    }
    facts = dict(
        Visit.objects.filter(policies.scope_q(user, "view_visit"), edition=edition)
        .values_list("territory_id")
        .annotate(n=Count("id"))
    )
    rows = []
    for district_id in sorted(set(plans) | set(facts)):
        plan = plans.get(district_id)
        rows.append(
            {
                "district_id": district_id,
                "district": plan.district if plan else None,
                "planned": plan.planned if plan else 0,
                "fact": facts.get(district_id, 0),
            }
        )
    return rows
