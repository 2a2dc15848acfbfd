"""The analytics page's chart: `{% index_chart cells %}`, the mean index of each group with its 95%
interval, drawn by kelisim.core.charts; the table below holds the same figures."""

import math
from collections.abc import Sequence
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kelisim.core.charts import Bar, bar_chart
from kelisim.core.templatetags.kelisim_ui import render_chart

register = template.Library()


@register.simple_tag
def index_chart(cells: Sequence[Any]) -> SafeString:
    bars = []
    for cell in cells:
        mean = cell.mean
        if not math.isfinite(mean.estimate):
            continue
        interval = math.isfinite(mean.low) and math.isfinite(mean.high)
        estimate = number_format(mean.estimate, 1)
        text = (
            f"{estimate} ({number_format(mean.low, 1)}–{number_format(mean.high, 1)})"
            if interval
            else estimate
        )
        bars.append(
            Bar(
                f"{cell.label} (n = {cell.n})",
                mean.estimate,
                text=text,
                low=mean.low if interval else None,
                high=mean.high if interval else None,
            )
        )
    chart = bar_chart(
        "chart-index-by-group",
        bars,
        # xgettext:no-python-format
        title=_("Mean index by group, with 95% intervals"),
        label_heading=_("group"),
        value_heading=_("mean (95% CI)"),
    )
    return render_chart(chart)
