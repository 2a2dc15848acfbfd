"""The monthly or quarterly summary of a region, for a scheduler to produce: XLSX and DOCX."""

import calendar
import io
import re
from datetime import date
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from kelisim.core.tabular import new_workbook, sheet_title, xlsx_append, xlsx_bytes

from .dashboards import Dashboard, build

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def parse_period(text: str) -> tuple[date, date]:
    """ "2023-05" is a month, "2023-Q2" a quarter; anything else is refused with an example."""
    month, quarter = _MONTH.match(text), _QUARTER.match(text)
    if month and 1 <= int(month.group(2)) <= 12:
        year, number = int(month.group(1)), int(month.group(2))
        return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])
    if quarter:
        year, number = int(quarter.group(1)), int(quarter.group(2))
        first = 3 * number - 2
        return date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1])
    raise ValueError(
        _("Give the period as YYYY-MM (a month) or YYYY-Qn (a quarter), e.g. 2023-05 or 2023-Q2.")
    )


def _rows(board: Dashboard, language: str) -> list[tuple[str, list[list[Any]]]]:
    name = "name_ru" if language == "ru" else "name_kk"
    plans = board.plan_vs_fact
    assert plans is not None
    return [
        (
            _("Totals"),
            [
                [_("visits held"), board.visits],
                [_("events"), board.events],
                [_("people reached"), board.people_reached],
                [_("open appeals"), board.appeals_open],
                [_("overdue"), board.appeals_overdue],
                [_("visits not yet held"), board.visits_upcoming],
            ],
        ),
        (_("Events by format"), [[r[f"format__{name}"], r["n"]] for r in board.events_by_format]),
        (_("Appeals by status"), [[str(r["label"]), r["n"]] for r in board.appeals_by_status]),
        (
            _("Appeals by department"),
            [
                [r[f"department__{name}"], r["n"], r["open"], r["overdue"]]
                for r in board.appeals_by_department
            ],
        ),
        (
            _("Visits: plan and fact"),
            [
                [_("district"), _("visits planned"), _("visits held"), _("not yet held")],
                *(
                    [getattr(r.district, name) or r.district.name_ru, r.planned, r.held, r.upcoming]
                    for r in plans.rows
                    if r.district is not None
                ),
                [_("Total"), plans.total.planned, plans.total.held, plans.total.upcoming],
            ],
        ),
    ]


def summary_files(
    *, user: Any, region: str, period: str, language: str = "kk"
) -> tuple[dict[str, bytes], int]:
    """The summary as XLSX and DOCX, and its number of table rows (for the audit log)."""
    start, end = parse_period(period)
    with translation.override(language):
        board = build(
            user=user, territory=region, date_from=start, date_to=end, language=language, via="summary"
        )
        sections = _rows(board, language)
        title = _("Summary for %(period)s") % {"period": period}
        from docx import Document

        book = new_workbook()
        book.remove(book.active)
        document = Document()
        document.add_heading(f"{title} ({region})", level=0)
        for heading, rows in sections:
            sheet = book.create_sheet(sheet_title(heading))
            document.add_heading(heading, level=1)
            table = document.add_table(rows=0, cols=max((len(r) for r in rows), default=1))
            table.style = "Table Grid"
            for row in rows:
                xlsx_append(sheet, row)
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=False):
                    cell.text = str(value)
        docx_buffer = io.BytesIO()
        document.save(docx_buffer)
    count = sum(len(section_rows) for _heading, section_rows in sections)
    return {"xlsx": xlsx_bytes(book), "docx": docx_buffer.getvalue()}, count
