from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from kelisim.accounts import policies
from kelisim.accounts.models import Department
from kelisim.registry.models import Person, Position
from kelisim.territories.models import Level, Territory

from .models import Member, Program, Visit, VisitPlan

# A visit is a fact of the plan once it has taken place.
HELD = (Visit.Status.COMPLETED, Visit.Status.REPORTED)


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
    year: int | None = None,
    capability: str = "view_visit",
) -> QuerySet[Visit]:
    """Visits in the user's scope; `status` may also be "held" (completed or reported) or
    "upcoming" (not yet held), the two columns of the plan."""
    qs = Visit.objects.filter(policies.scope_q(user, capability, within=territory or None))
    if date_from:
        qs = qs.filter(date_end__gte=date_from)
    if date_to:
        qs = qs.filter(date_start__lte=date_to)
    if year:
        qs = qs.filter(edition__year=year)
    if status == "held":
        qs = qs.filter(status__in=HELD)
    elif status == "upcoming":
        qs = qs.exclude(status__in=HELD)
    elif status:
        qs = qs.filter(status=status)
    return qs.select_related("territory", "edition__program").order_by("-date_start", "id")


def visit_get_for_user(*, user: Any, pk: Any, capability: str = "view_visit") -> Visit:
    try:
        return visit_list(user=user, capability=capability).get(pk=int(pk))
    except (Visit.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def visit_public_get(*, slug: str) -> Visit:
    """A visit whose public page is open, by its public address; 404 for any other."""
    if not slug:
        raise Http404
    try:
        return Visit.objects.select_related("territory", "edition__program").get(
            public_slug=slug, public=True
        )
    except Visit.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class PlanRow:
    """One district's plan and fact (`district` is None on the total row)."""

    district: Territory | None
    planned: int
    held: int
    upcoming: int


@dataclass(frozen=True)
class PlanTable:
    year_from: int
    year_to: int
    rows: list[PlanRow]
    total: PlanRow

    @property
    def year(self) -> int | None:
        """The one year the table covers, for links to its visits (None for several years)."""
        return self.year_from if self.year_from == self.year_to else None


def plan_table(
    *,
    user: Any,
    year_from: int,
    year_to: int,
    territory: str | None = None,
    program: Program | None = None,
) -> PlanTable:
    """Visits planned per district against visits held (completed or reported): a planned or
    running visit is not a fact yet, so it is counted apart as upcoming. Districts planned or
    visited in the years, inside the user's scope (and under `territory`, a KATO code)."""
    plans = VisitPlan.objects.filter(
        policies.scope_q(user, "view_visit", path_field="district__path"),
        edition__year__gte=year_from,
        edition__year__lte=year_to,
    )
    visits = Visit.objects.filter(
        policies.scope_q(user, "view_visit"), edition__year__gte=year_from, edition__year__lte=year_to
    )
    if program is not None:
        plans, visits = plans.filter(edition__program=program), visits.filter(edition__program=program)
    if territory:
        plans = plans.filter(policies.within_q(territory, "district__path"))
        visits = visits.filter(policies.within_q(territory))
    planned = dict(plans.order_by().values_list("district_id").annotate(n=Sum("planned")))
    facts = {
        row["territory_id"]: row
        for row in visits.order_by()
        .values("territory_id")
        .annotate(
            held=Count("id", filter=Q(status__in=HELD)),
            upcoming=Count("id", filter=~Q(status__in=HELD)),
        )
    }
    districts = Territory.objects.in_bulk(set(planned) | set(facts))
    rows = [
        PlanRow(
            district=district,
            planned=planned.get(district.pk, 0),
            held=facts.get(district.pk, {}).get("held", 0),
            upcoming=facts.get(district.pk, {}).get("upcoming", 0),
        )
        for district in sorted(districts.values(), key=lambda t: t.code)
    ]
    total = PlanRow(
        district=None,
        planned=sum(r.planned for r in rows),
        held=sum(r.held for r in rows),
        upcoming=sum(r.upcoming for r in rows),
    )
    return PlanTable(year_from=year_from, year_to=year_to, rows=rows, total=total)


def plan_districts(*, program: Program) -> QuerySet[Territory]:
    """The districts and cities a program's yearly plan can name: those of its region."""
    if program.territory.level >= Level.DISTRICT:
        return Territory.objects.filter(pk=program.territory_id)
    return Territory.objects.filter(parent=program.territory, level=Level.DISTRICT, is_active=True).order_by(
        "code"
    )


def visit_plan_list(
    *,
    user: Any,
    program: int | None = None,
    year: int | None = None,
    territory: str | None = None,
    capability: str = "view_visit",
) -> QuerySet[VisitPlan]:
    qs = VisitPlan.objects.filter(policies.scope_q(user, capability, path_field="district__path"))
    if program:
        qs = qs.filter(edition__program_id=program)
    if year:
        qs = qs.filter(edition__year=year)
    if territory:
        qs = qs.filter(policies.within_q(territory, "district__path"))
    return qs.select_related("district", "edition__program").order_by("-edition__year", "district__code")


def staff_directory(*, user: Any, visit: Visit) -> QuerySet[Person]:
    """People the user may see in the visit's district and in the region above it (the regional
    departments send most of the working group), not yet in this visit's group."""
    return (
        Person.objects.filter(policies.related_q(user, "view_registry"), merged_into__isnull=True)
        .exclude(memberships__visit=visit)
        .prefetch_related(
            Prefetch("positions", queryset=Position.objects.select_related("department", "organization"))
        )
        .order_by("full_name")
    )


def member_departments(*, user: Any, visit: Visit) -> QuerySet[Department]:
    """Bodies a member can come from: those of the visit's district and of the units above it."""
    parts = [p for p in visit.territory.path.split("/") if p]
    above = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    return (
        Department.objects.filter(policies.related_q(user, "view_department"), is_active=True)
        .filter(Q(territory__path__in=above) | Q(territory__path__prefix=visit.territory.path))
        .select_related("territory")
        .order_by("territory__code", "name_kk")
    )


def working_group(*, visit: Visit) -> QuerySet[Member]:
    return visit.members.select_related("person", "department", "subgroup").order_by(
        "subgroup__name_kk", "department__name_kk", "person__full_name"
    )
