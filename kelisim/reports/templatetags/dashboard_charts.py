"""The dashboard's charts: `{% dashboard_chart board "events_by_month" %}` (and events_by_format,
appeals_by_status), drawn by kelisim.core.charts beside the tables that hold the same figures."""

from collections.abc import Callable
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kelisim.appeals.models import Appeal
from kelisim.core.charts import Bar, Chart, bar_chart, line_chart
from kelisim.core.templatetags.kelisim_ui import render_chart, status_family

register = template.Library()


def _russian() -> bool:
    return (translation.get_language() or "kk").startswith("ru")


def _events_by_month(board: Any) -> Chart:
    points = [
        (str(date_filter(row["month"], "YEAR_MONTH_FORMAT")), row["n"]) for row in board.events_by_month
    ]
    return line_chart(
        "chart-events-by-month",
        points,
        title=_("Events by month"),
        label_heading=_("month"),
        value_heading=_("events"),
    )


def _events_by_format(board: Any) -> Chart:
    suffix = "ru" if _russian() else "kk"
    bars = [
        Bar(row.get(f"format__name_{suffix}") or row.get("format__name_kk") or "—", row["n"])
        for row in board.events_by_format
    ]
    return bar_chart(
        "chart-events-by-format",
        bars,
        title=_("Events by format"),
        label_heading=_("format"),
        value_heading=_("events"),
    )


def _appeals_by_status(board: Any) -> Chart:
    labels = dict(Appeal.Status.choices)
    bars = [
        Bar(str(labels.get(row["status"], row["status"])), row["n"], family=status_family(row["status"]))
        for row in board.appeals_by_status
    ]
    return bar_chart(
        "chart-appeals-by-status",
        bars,
        title=_("Appeals by status"),
        label_heading=_("status"),
        value_heading=_("appeals"),
    )


CHARTS: dict[str, Callable[[Any], Chart]] = {
    "events_by_month": _events_by_month,
    "events_by_format": _events_by_format,
    "appeals_by_status": _appeals_by_status,
}


@register.simple_tag
def dashboard_chart(board: Any, name: str) -> SafeString:
    # The heading just above names the chart; the caption stays for screen readers.
    return render_chart(CHARTS[name](board), caption=False)
