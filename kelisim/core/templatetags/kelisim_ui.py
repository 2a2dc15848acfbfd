"""Tags for the shared components in templates/core/."""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()

# A status belongs to a family; the family chooses the colour, the label always says the status.
FAMILIES: dict[str, str] = {
    # still to do
    "registered": "open",
    "assigned": "open",
    "in_progress": "open",
    "extended": "open",
    "reopened": "open",
    "planned": "open",
    "pending": "open",
    "waiting": "open",
    "queued": "open",
    "checking": "open",
    "writing": "open",
    # late, or gone wrong
    "overdue": "overdue",
    "at_risk": "overdue",
    "failed": "overdue",
    # finished
    "answered": "done",
    "closed": "done",
    "completed": "done",
    "reported": "done",
    "done": "done",
    "accepted": "done",
    "resolved": "done",
    "advice": "done",
    "appeal": "done",
    # needs an extra capability to see
    "restricted": "restricted",
    "sensitive": "restricted",
}


def status_family(code: str) -> str:
    return FAMILIES.get(str(code), "neutral")


@register.simple_tag
def status_tag(code: Any, label: Any = "", family: str = "") -> SafeString:
    """`{% status_tag appeal.status appeal.get_status_display %}`: a badge whose text names the status."""
    return render_to_string(
        "core/_tag.html", {"label": label or code, "family": family or status_family(str(code))}
    )


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters replaced: `?{% query_with page=2 %}`."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        from django.http import QueryDict

        query = QueryDict(mutable=True)
    for name, value in changes.items():
        if value is None or value == "":
            query.pop(name, None)
        else:
            query[name] = str(value)
    return query.urlencode()


def render_chart(chart: Any, *, caption: bool = True) -> SafeString:
    """A `kelisim.core.charts.Chart` as a figure with its table of figures (core/_chart.html)."""
    return render_to_string("core/_chart.html", {"chart": chart, "show_caption": caption})


@register.simple_tag
def chart(chart: Any, caption: bool = True) -> SafeString:
    """`{% chart some_chart %}`; `caption=False` when a heading just above already names it."""
    return render_chart(chart, caption=caption)


@register.simple_tag
def working_days_left(left: int | None) -> str:
    """ "3 working days left" or, past the due date, "870 working days overdue": never a minus sign."""
    from django.utils.translation import ngettext

    if left is None:
        return "—"
    if left < 0:
        return ngettext("%(n)d working day overdue", "%(n)d working days overdue", -left) % {"n": -left}
    return ngettext("%(n)d working day left", "%(n)d working days left", left) % {"n": left}
