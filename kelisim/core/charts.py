"""Charts drawn on the server as SVG: no script, no CDN, and the same drawing serves a page, a DOCX or
a PDF.

Each chart is an image with a title and a description (<title>, <desc>) for screen readers, every
bar or point is labelled with its figure in text (colour never carries the meaning alone), and the
`Chart` also carries its figures as rows, which `templates/core/_chart.html` shows as a table.

The drawing is 360 units wide, so on a 390 px phone the text keeps its size; the page's CSS scales
it to the column and caps it on a wide screen.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 360
FONT = 'font-family="DejaVu Sans, system-ui, sans-serif" font-size="14"'
INK, MUTED, GRID = "#1b1f24", "#57606a", "#d0d7de"
COLOURS = {
    "default": "#0b5cad",
    "open": "#0b5cad",
    "overdue": "#b42318",
    "done": "#116329",
    "restricted": "#9a6700",
    "neutral": "#57606a",
}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str = ""  # the figure as shown; the value itself when empty
    family: str = "default"  # a colour from COLOURS
    low: float | None = None  # an interval drawn as a whisker
    high: float | None = None

    @property
    def shown(self) -> str:
        return self.text or _number(self.value)


@dataclass
class Chart:
    id: str
    title: str
    svg: SafeString
    rows: list[tuple[str, str]] = field(default_factory=list)
    label_heading: str = ""
    value_heading: str = ""


def _number(value: float) -> str:
    """A figure as people here write it: 12, 3,5 in Kazakh and Russian, 3.5 in English."""
    return str(int(value)) if float(value).is_integer() else number_format(value, 1)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 × 10^k not below `value` (an axis end)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def _svg(chart_id: str, title: str, desc: str, height: float, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" {FONT} '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # nosec B308 B703  # noqa: S308 - every text is escaped


def _describe(items: Sequence[tuple[str, str]]) -> str:
    return "; ".join(f"{label}: {shown}" for label, shown in items[:30])


def bar_chart(
    chart_id: str,
    bars: Sequence[Bar],
    *,
    title: str,
    label_heading: str = "",
    value_heading: str = "",
    maximum: float | None = None,
) -> Chart:
    """Horizontal bars, one per row: the label and the figure above the bar (long labels are cut,
    the full one is in the bar's tooltip and in the table)."""
    rows = [(bar.label, bar.shown) for bar in bars]
    ends = [b.high if b.high is not None else b.value for b in bars]
    top = maximum or nice_ceiling(max([*ends, 0.0]))
    row_height = 44
    body = []
    for index, bar in enumerate(bars):
        y = index * row_height
        colour = COLOURS.get(bar.family, COLOURS["default"])
        room = max(8, 42 - len(bar.shown) - 2)
        body.append(f"<g><title>{escape(bar.label)}: {escape(bar.shown)}</title>")
        body.append(f'<text x="0" y="{y + 15}" fill="{INK}">{escape(_clip(bar.label, room))}</text>')
        body.append(
            f'<text x="{WIDTH}" y="{y + 15}" text-anchor="end" fill="{INK}" font-weight="bold">{escape(bar.shown)}</text>'
        )
        body.append(
            f'<rect x="0" y="{y + 22}" width="{WIDTH}" height="16" rx="2" fill="{GRID}" fill-opacity="0.45"/>'
        )
        width = _scaled(bar.value, top)
        body.append(f'<rect x="0" y="{y + 22}" width="{width:.1f}" height="16" rx="2" fill="{colour}"/>')
        if bar.low is not None and bar.high is not None:
            low, high, mid = _scaled(bar.low, top), _scaled(bar.high, top), y + 30
            whisker = (
                f"M{low:.1f} {mid}H{high:.1f}M{low:.1f} {mid - 6}V{mid + 6}M{high:.1f} {mid - 6}V{mid + 6}"
            )
            # A white edge keeps the whisker visible where it crosses the bar.
            body.append(f'<path d="{whisker}" stroke="#fff" stroke-width="4" fill="none"/>')
            body.append(f'<path d="{whisker}" stroke="{INK}" stroke-width="2" fill="none"/>')
        body.append("</g>")
    height = max(1, len(bars)) * row_height
    svg = _svg(chart_id, title, _describe(rows), height, body)
    return Chart(chart_id, title, svg, rows, label_heading, value_heading)


def _scaled(value: float, top: float) -> float:
    return max(0.0, min(1.0, value / top)) * (WIDTH - 1) if top else 0.0


def line_chart(
    chart_id: str,
    points: Sequence[tuple[str, float]],
    *,
    title: str,
    label_heading: str = "",
    value_heading: str = "",
) -> Chart:
    """A figure over time: points joined by a line, each labelled with its figure when there is room."""
    rows = [(label, _number(value)) for label, value in points]
    height, left, right, top_pad, bottom = 220, 40, 16, 22, 44
    plot_w, plot_h = WIDTH - left - right, height - top_pad - bottom
    top = nice_ceiling(max([v for _label, v in points] + [0.0]))
    body = []
    for fraction in (0.0, 0.5, 1.0):
        y = top_pad + plot_h * (1 - fraction)
        body.append(f'<path d="M{left} {y:.1f}H{WIDTH - right}" stroke="{GRID}" stroke-width="1"/>')
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">{_number(top * fraction)}</text>'
        )
    count = len(points)
    step = plot_w / (count - 1) if count > 1 else 0.0
    coords = []
    for index, (_label, value) in enumerate(points):
        x = left + (index * step if count > 1 else plot_w / 2)
        y = top_pad + plot_h * (1 - max(0.0, value) / top)
        coords.append((x, y))
    if count > 1:
        path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f} {y:.1f}" for i, (x, y) in enumerate(coords))
        body.append(f'<path d="{path}" stroke="{COLOURS["default"]}" stroke-width="2.5" fill="none"/>')
    label_every = max(1, math.ceil(count / 12))
    for index, ((label, _value), (x, y)) in enumerate(zip(points, coords, strict=True)):
        shown = rows[index][1]
        body.append(f"<g><title>{escape(label)}: {escape(shown)}</title>")
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{COLOURS["default"]}"/>')
        if index % label_every == 0 or index == count - 1:
            body.append(
                f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" fill="{INK}" font-weight="bold">{escape(shown)}</text>'
            )
        body.append("</g>")
    if points:
        # The first and the last period name the axis; the table beside the chart names every one.
        first_x, last_x = coords[0][0], coords[-1][0]
        base = height - bottom + 20
        anchor = "middle" if count == 1 else "start"
        body.append(
            f'<text x="{first_x:.1f}" y="{base}" text-anchor="{anchor}" fill="{MUTED}">{escape(_clip(points[0][0], 24))}</text>'
        )
        if count > 1:
            body.append(
                f'<text x="{last_x:.1f}" y="{base}" text-anchor="end" fill="{MUTED}">{escape(_clip(points[-1][0], 24))}</text>'
            )
    svg = _svg(chart_id, title, _describe(rows), height, body)
    return Chart(chart_id, title, svg, rows, label_heading, value_heading)
