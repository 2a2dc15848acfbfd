"""Appeals dashboard aggregates: through the application's selectors, and as hand-written SQL."""

from typing import Any

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from bench.measure import figure, median, repeat


def app_dashboard(user_id: int) -> dict[str, Any]:
    """What the dashboard of a coordinator asks, as a request would: the user read afresh (so the
    grants are read too), queue summaries by department and territory, counts by status, overdue."""
    from kelisim.accounts.models import User
    from kelisim.appeals import selectors
    from kelisim.appeals.selectors import AppealFilters

    user = User.objects.get(pk=user_id)
    by_department = selectors.queue_summary(user=user, group_by="department")
    by_territory = selectors.queue_summary(user=user, group_by="territory")
    by_status = selectors.appeal_list(user=user).order_by().values("status").annotate(n=Count("*"))
    overdue = selectors.appeal_list(user=user, filters=AppealFilters(overdue=True)).count()
    total = selectors.appeal_list(user=user).count()
    return {
        "department": sorted(tuple(r.values()) for r in by_department),
        "territory": sorted(tuple(r.values()) for r in by_territory),
        "status": sorted((r["status"], r["n"]) for r in by_status),
        "overdue": overdue,
        "total": total,
    }


# The region's territories first, then the appeals by the territory key's index: what one writes by
# hand once the join with LIKE on every appeal has proved slow (it is also what the application does).
SCOPE = (
    "FROM appeals_appeal a WHERE a.territory_id IN "
    "(SELECT t.id FROM territories_territory t WHERE t.path LIKE %s)"
)
OPEN = "a.status NOT IN ('answered', 'closed', 'redirected')"


def _queue(column: str) -> str:
    return (
        f"SELECT a.{column}, COUNT(*), COUNT(*) FILTER (WHERE a.due_date = %s), "
        "COUNT(*) FILTER (WHERE a.due_date > %s AND a.due_date <= %s), "
        f"COUNT(*) FILTER (WHERE a.due_date < %s) {SCOPE} AND {OPEN} GROUP BY a.{column} ORDER BY a.{column}"
    )


def sql_dashboard(prefix: str, today: Any, risk_until: Any) -> dict[str, Any]:
    """The same aggregates written by hand, on the same connection."""
    like = prefix + "%"
    adapt = connection.ops.adapt_datefield_value
    t, r = adapt(today), adapt(risk_until)
    with connection.cursor() as cursor:
        cursor.execute(_queue("department_id"), [t, t, r, t, like])
        by_department = sorted(tuple(row) for row in cursor.fetchall())
        cursor.execute(_queue("territory_id"), [t, t, r, t, like])
        by_territory = sorted(tuple(row) for row in cursor.fetchall())
        cursor.execute(f"SELECT a.status, COUNT(*) {SCOPE} GROUP BY a.status", [like])
        by_status = sorted(tuple(row) for row in cursor.fetchall())
        cursor.execute(f"SELECT COUNT(*) {SCOPE} AND {OPEN} AND a.due_date < %s", [like, t])
        overdue = cursor.fetchone()[0]
        cursor.execute(f"SELECT COUNT(*) {SCOPE}", [like])
        total = cursor.fetchone()[0]
    return {
        "department": by_department,
        "territory": by_territory,
        "status": by_status,
        "overdue": overdue,
        "total": total,
    }


def run(database: str, user_id: int, region_path: str, repetitions: int) -> list[dict[str, Any]]:
    from kelisim.appeals.selectors import _windows

    today, risk_until = _windows(timezone.localdate())
    app_times, app_result = repeat(lambda: app_dashboard(user_id), repetitions)
    sql_times, sql_result = repeat(lambda: sql_dashboard(region_path, today, risk_until), repetitions)
    return [
        figure(
            "appeals dashboard aggregates",
            database,
            median(app_times) * 1000,
            "ms",
            median(sql_times) * 1000,
            baseline_name="hand-written SQL, same database",
            target={"on": "ratio", "op": "<=", "limit": 1.3, "text": "≤ 1.3× SQL"},  # issue 17
            n=app_result["total"],
            repetitions=repetitions,
            same_answer=app_result == sql_result,
            detail="queue_summary by department and by territory, appeal_list counts by status, "
            "overdue and total, for a regional coordinator",
        )
    ]
