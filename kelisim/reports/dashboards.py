"""Dashboard figures for a region, a district and a period, in a fixed number of queries.

Every figure is computed inside the user's scope and links to the list of records behind it."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from kelisim.accounts import policies
from kelisim.appeals.models import Appeal
from kelisim.appeals.selectors import OPEN, AppealFilters, appeal_list
from kelisim.events.models import EventAudience
from kelisim.events.selectors import EventFilters, event_list, events_counted
from kelisim.programs.selectors import HELD, PlanTable, plan_table, visit_list
from kelisim.surveys.models import Instrument
from kelisim.surveys.selectors import SignalRow, index_table, tension_signals


@dataclass
class Dashboard:
    territory: str | None
    date_from: date
    date_to: date
    visits: int = 0  # held (completed or reported): a planned or running visit is not a fact yet
    visits_upcoming: int = 0
    events: int = 0
    people_reached: int = 0
    events_by_format: list[dict[str, Any]] = field(default_factory=list)
    events_by_month: list[dict[str, Any]] = field(default_factory=list)
    appeals_by_status: list[dict[str, Any]] = field(default_factory=list)
    appeals_by_department: list[dict[str, Any]] = field(default_factory=list)
    appeals_open: int = 0
    appeals_overdue: int = 0
    satisfaction_by_department: list[dict[str, Any]] = field(default_factory=list)
    tolerance_trend: list[Any] = field(default_factory=list)
    plan_vs_fact: PlanTable | None = None
    tension_signals: list[SignalRow] = field(default_factory=list)  # focus groups', by district and month

    @property
    def overdue_share(self) -> float:
        return self.appeals_overdue / self.appeals_open if self.appeals_open else 0.0


def build(
    *,
    user: Any,
    territory: str | None,
    date_from: date,
    date_to: date,
    language: str = "kk",
    via: str = "dashboard",
) -> Dashboard:
    board = Dashboard(territory=territory, date_from=date_from, date_to=date_to)
    filters = EventFilters(territory=territory, date_from=date_from, date_to=date_to)
    events = event_list(user=user, filters=filters)
    visits = visit_list(user=user, territory=territory, date_from=date_from, date_to=date_to)
    counted = visits.order_by().aggregate(
        held=Count("id", filter=Q(status__in=HELD)), upcoming=Count("id", filter=~Q(status__in=HELD))
    )
    board.visits, board.visits_upcoming = counted["held"], counted["upcoming"]
    board.events = events.count()
    events_counted(user=user, events=events, via=via, rows=board.events, filters=filters)
    board.events_by_format = list(
        events.order_by()
        .values("format__code", "format__name_kk", "format__name_ru")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    board.events_by_month = list(
        events.order_by()
        .annotate(month=TruncMonth("start"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    # A sensitive audience (persons on probation) counts only where the reader may see it: otherwise
    # the total, narrowed to one event, would give its count away.
    visible = Q(category__sensitive=False) | policies.scope_q(
        user, "view_sensitive", "event__territory__path"
    )
    board.people_reached = (
        EventAudience.objects.filter(visible, event__in=events.order_by().values("pk")).aggregate(
            n=Sum("count")
        )["n"]
        or 0
    )
    appeals = appeal_list(user=user, filters=AppealFilters(territory=territory)).filter(
        received_on__gte=date_from, received_on__lte=date_to
    )
    status_words = dict(Appeal.Status.choices)
    board.appeals_by_status = [
        {**row, "label": status_words.get(row["status"], row["status"])}
        # COUNT(*), not COUNT(id): no column of the row is needed, so where the filters are all in
        # an index PostgreSQL answers from the index alone
        for row in appeals.order_by().values("status").annotate(n=Count("*")).order_by("status")
    ]
    today = timezone.localdate()
    board.appeals_by_department = list(
        appeals.order_by()
        .values("department_id", "department__name_kk", "department__name_ru")
        .annotate(
            n=Count("id"),
            open=Count("id", filter=OPEN),
            overdue=Count("id", filter=OPEN & Q(due_date__lt=today)),
        )
        .order_by("-n")
    )
    totals = appeals.order_by().aggregate(
        open=Count("id", filter=OPEN), overdue=Count("id", filter=OPEN & Q(due_date__lt=today))
    )
    board.appeals_open, board.appeals_overdue = totals["open"], totals["overdue"]
    board.satisfaction_by_department = satisfaction_by_department(
        user=user, territory=territory, date_from=date_from, date_to=date_to
    )
    tolerance = Instrument.objects.filter(code="tolerance_index").prefetch_related("versions").first()
    if tolerance is not None:
        board.tolerance_trend = index_table(
            user=user, instrument=tolerance, group_by="year", territory=territory, language=language
        )
    board.plan_vs_fact = plan_table(
        user=user, year_from=date_from.year, year_to=date_to.year, territory=territory
    )
    board.tension_signals = tension_signals(
        user=user, territory=territory, date_from=date_from, date_to=date_to
    )
    return board


FEEDBACK_PREFIX = "appeal-feedback:"
# A department with fewer answers is not shown: a mean of one or two answers can name who gave them.
SATISFACTION_MIN_ANSWERS = 3


def satisfaction_by_department(
    *, user: Any, territory: str | None, date_from: date, date_to: date
) -> list[dict[str, Any]]:
    """The follow-up survey after an answer, by the department that answered: answers, the mean
    satisfaction and clarity (1-5) and the share answered on time. Only appeals the user may see,
    answers collected in the period, and only departments with enough answers."""
    from kelisim.surveys.models import Response
    from kelisim.surveys.ready import SATISFACTION_CODE

    responses = Response.objects.filter(
        version__instrument__code=SATISFACTION_CODE,
        instance_id__startswith=FEEDBACK_PREFIX,
        collected_on__gte=date_from,
        collected_on__lte=date_to,
    ).values_list("instance_id", "answers")
    by_appeal = {int(iid.removeprefix(FEEDBACK_PREFIX)): answers for iid, answers in responses}
    if not by_appeal:
        return []
    visible = appeal_list(user=user, filters=AppealFilters(territory=territory)).filter(
        pk__in=list(by_appeal)
    )
    groups: dict[int, dict[str, Any]] = {}
    for pk, department_id, name_kk, name_ru in visible.order_by().values_list(
        "pk", "department_id", "department__name_kk", "department__name_ru"
    ):
        group = groups.setdefault(
            department_id,
            {"department_id": department_id, "name_kk": name_kk, "name_ru": name_ru, "scores": []},
        )
        group["scores"].append(by_appeal[pk])
    rows = []
    for group in groups.values():
        answers = group.pop("scores")
        if len(answers) < SATISFACTION_MIN_ANSWERS:
            continue

        def mean(name: str, answers: list[dict[str, Any]] = answers) -> float | None:
            values = [int(a[name]) for a in answers if str(a.get(name, "")).isdigit()]
            return round(sum(values) / len(values), 1) if values else None

        on_time = [a.get("on_time") for a in answers if a.get("on_time") in ("yes", "no")]
        rows.append(
            {
                **group,
                "n": len(answers),
                "satisfied": mean("satisfied"),
                "clear": mean("clear"),
                "on_time": round(100 * on_time.count("yes") / len(on_time)) if on_time else None,
            }
        )
    return sorted(rows, key=lambda r: -r["n"])
