"""Reads of receptions and appeals, scoped by the user; the queues executors work from.

An appeal's applicant and text, and a reception's visitors, are personal data: whatever shows them
passes them through `appeals_shown` or `visitors_shown`, which write one audit row per read."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kelisim.accounts import policies
from kelisim.accounts.models import User
from kelisim.accounts.selectors import users_with_capability
from kelisim.core.audit import audit_read_records

from . import deadlines
from .models import Appeal, ReceptionSession, Visitor

OPEN = ~Q(status__in=[Appeal.Status.ANSWERED, Appeal.Status.CLOSED, Appeal.Status.REDIRECTED])


@dataclass(frozen=True)
class AppealFilters:
    territory: str | None = None
    status: str | None = None
    department: int | None = None
    executor: int | None = None
    overdue: bool = False
    due_today: bool = False
    at_risk: bool = False
    q: str | None = None


def _windows(today: date) -> tuple[date, date]:
    return today, deadlines.cached_work_calendar().add_working_days(today, deadlines.AT_RISK_DAYS)


def appeal_list(
    *, user: Any, filters: AppealFilters | None = None, capability: str = "view_appeal"
) -> QuerySet[Appeal]:
    f = filters or AppealFilters()
    qs = Appeal.objects.filter(policies.scope_q(user, capability))
    if f.territory:
        qs = qs.filter(policies.within_q(f.territory))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.department:
        qs = qs.filter(department_id=f.department)
    if f.executor:
        qs = qs.filter(Q(lead_executor_id=f.executor) | Q(co_executors__user_id=f.executor)).distinct()
    if f.q:
        qs = qs.filter(number__icontains=f.q)
    if f.overdue or f.due_today or f.at_risk:
        today, risk_until = _windows(timezone.localdate())
        if f.overdue:
            qs = qs.filter(OPEN, due_date__lt=today)
        if f.due_today:
            qs = qs.filter(OPEN, due_date=today)
        if f.at_risk:
            qs = qs.filter(OPEN, due_date__gt=today, due_date__lte=risk_until)
    return qs.select_related("territory", "department", "lead_executor", "category").order_by(
        "due_date", "id"
    )


def appeal_get_for_user(*, user: Any, pk: Any, capability: str = "view_appeal") -> Appeal:
    try:
        return appeal_list(user=user, capability=capability).get(pk=int(pk))
    except (Appeal.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def executor_choices(*, territory: Any) -> QuerySet[User]:
    """Who may be given an appeal of `territory`: active users holding `manage_appeal` over it."""
    return users_with_capability(capability="manage_appeal", territory=territory)


def appeals_shown(*, user: Any, appeals: Iterable[Appeal], via: str, filters: Any = None) -> list[Appeal]:
    """`appeals` as a list, after one audit row naming them: for pages and answers that show an
    applicant or an appeal's text (a detail, a receipt, the API). `via` names the page or answer."""
    shown = list(appeals)
    audit_read_records(
        actor=user,
        object_type=Appeal._meta.label_lower,
        ids=[a.pk for a in shown],
        territory_paths=[a.territory.path for a in shown],
        via=via,
        rows=len(shown),
        filters=filters,
    )
    return shown


def visitors_shown(*, user: Any, session: ReceptionSession, via: str = "reception_desk") -> list[Visitor]:
    """The session's visitors (names, contacts) as a list, after one audit row naming them."""
    shown = list(session.visitors.select_related("department", "category", "settlement", "appeal"))
    audit_read_records(
        actor=user,
        object_type=Visitor._meta.label_lower,
        ids=[v.pk for v in shown],
        territory_paths=[session.territory.path],
        via=via,
        rows=len(shown),
        filters={"session": session.pk},
    )
    return shown


def queue_summary(*, user: Any, group_by: str = "department") -> list[dict[str, Any]]:
    """Open appeals per department, executor or territory: total, due today, at risk, overdue."""
    today, risk_until = _windows(timezone.localdate())
    field = {"department": "department", "executor": "lead_executor", "territory": "territory"}[group_by]
    rows = (
        Appeal.objects.filter(policies.scope_q(user, "view_appeal"))
        .filter(OPEN)
        .values(f"{field}_id")
        .annotate(
            total=Count("id"),
            due_today=Count("id", filter=Q(due_date=today)),
            at_risk=Count("id", filter=Q(due_date__gt=today, due_date__lte=risk_until)),
            overdue=Count("id", filter=Q(due_date__lt=today)),
        )
        .order_by(f"{field}_id")
    )
    return [
        {"key": r[f"{field}_id"], **{k: r[k] for k in ("total", "due_today", "at_risk", "overdue")}}
        for r in rows
    ]


def reception_list(
    *, user: Any, visit: Any = None, capability: str = "view_reception"
) -> QuerySet[ReceptionSession]:
    qs = ReceptionSession.objects.filter(policies.scope_q(user, capability))
    if visit is not None:
        qs = qs.filter(visit=visit)
    return qs.select_related("department", "territory", "specialist").annotate(
        visitor_count=Count("visitors")
    )


def reception_get_for_user(*, user: Any, pk: Any, capability: str = "view_reception") -> ReceptionSession:
    try:
        return reception_list(user=user, capability=capability).get(pk=int(pk))
    except (ReceptionSession.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def reception_summary(*, user: Any, visit: Any) -> list[dict[str, Any]]:
    """Visitors per department and outcome, for the visit's summary."""
    labels = dict(Visitor.Outcome.choices)
    rows = (
        Visitor.objects.filter(session__in=reception_list(user=user, visit=visit))
        .values("department__name_kk", "department__name_ru", "outcome")
        .annotate(n=Count("id"))
        .order_by("department__name_kk", "outcome")
    )
    return [{**row, "outcome_label": str(labels.get(row["outcome"], row["outcome"]))} for row in rows]


def open311_keys(*, user: Any) -> QuerySet[Any]:
    """Open311 keys of the territories where `user` manages them."""
    from .models import Open311Key

    return (
        Open311Key.objects.filter(policies.scope_q(user, "manage_open311"))
        .select_related("territory", "department")
        .order_by("-is_active", "territory__path", "name")
    )


def open311_key_get_for_user(*, user: Any, pk: Any) -> Any:
    try:
        return open311_keys(user=user).get(pk=int(pk))
    except (ValueError, TypeError, ObjectDoesNotExist):
        raise Http404 from None


def workday_overrides(*, year: int) -> QuerySet[Any]:
    """The administrator's transfers of one year (reference data, the same for everyone)."""
    from .models import WorkdayOverride

    return WorkdayOverride.objects.filter(date__year=year).order_by("date")


def workday_override_years() -> list[int]:
    from .models import WorkdayOverride

    return sorted({d.year for d in WorkdayOverride.objects.dates("date", "year")})


def consent_texts() -> list[tuple[Any, bool]]:
    """Every version of the consent, the one in use first, each with whether visitors agreed to it."""
    from .models import ConsentText

    used = set(Visitor.objects.filter(consent__isnull=False).values_list("consent_id", flat=True).distinct())
    return [(c, c.pk in used) for c in ConsentText.objects.order_by("-is_active", "-pk")]
