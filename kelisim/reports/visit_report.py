"""The visit report that goes upward: one set of figures, three formats (DOCX, PDF, XLSX).

Figures come from the same selectors as the pages, so the user's scope and the small-cell rule
hold here too; the XLSX totals are what the database says (a test adds them up again)."""

import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from kelisim.appeals.models import Appeal
from kelisim.appeals.selectors import appeal_list, reception_summary
from kelisim.core.tabular import new_workbook, xlsx_append, xlsx_bytes
from kelisim.events.selectors import EventFilters, audiences_shown, event_list_detailed, events_shown
from kelisim.programs.models import Visit
from kelisim.surveys.charts import band_shares_svg
from kelisim.surveys.models import Instrument
from kelisim.surveys.scoring import BAND_LABELS
from kelisim.surveys.selectors import focus_groups, focus_groups_shown, index_table

from .chart_images import band_shares_png


@dataclass
class ReportData:
    visit: Visit
    language: str
    events_by_day: list[tuple[date, list[Any]]] = field(default_factory=list)
    formats: list[tuple[str, int]] = field(default_factory=list)
    audiences: list[tuple[str, int]] = field(default_factory=list)
    receptions: list[dict[str, Any]] = field(default_factory=list)
    appeals_by_department: list[tuple[str, str, int]] = field(default_factory=list)
    survey_cells: list[Any] = field(default_factory=list)
    survey_bands: list[str] = field(default_factory=list)
    focus_groups: list[Any] = field(default_factory=list)
    officials: list[tuple[str, str]] = field(default_factory=list)
    chart_svg: str = ""

    @property
    def event_count(self) -> int:
        return sum(len(events) for _day, events in self.events_by_day)

    @property
    def people_reached(self) -> int:
        return sum(n for _name, n in self.audiences)


def collect(*, user: Any, visit: Visit, language: str) -> ReportData:
    with translation.override(language):
        data = ReportData(visit=visit, language=language)
        filters = EventFilters(visit=visit.pk)
        events = events_shown(
            user=user,
            events=event_list_detailed(user=user, filters=filters),
            via="visit_report",
            filters=filters,
        )
        by_day: dict[date, list[Any]] = defaultdict(list)
        formats: Counter[str] = Counter()
        audiences: Counter[str] = Counter()
        officials: dict[str, str] = {}
        for event in events:
            by_day[timezone.localtime(event.start).date()].append(event)
            formats[event.format.name] += 1
            for audience in audiences_shown(user=user, event=event):
                audiences[audience.category.name] += audience.count or 0
            for official in event.officials.all():
                name = official.person.full_name if official.person else ""
                officials[f"{name}|{official.position}"] = name
        data.events_by_day = sorted(by_day.items())
        data.formats = formats.most_common()
        data.audiences = [(name, n) for name, n in audiences.most_common() if n]
        data.officials = [(name, key.split("|", 1)[1]) for key, name in officials.items()]
        data.receptions = reception_summary(user=user, visit=visit)
        appeals = appeal_list(user=user).filter(visitor__session__visit=visit)
        counts: Counter[tuple[str, str]] = Counter()
        labels = dict(Appeal.Status.choices)
        for appeal in appeals:
            counts[(appeal.department.name, str(labels.get(appeal.status, appeal.status)))] += 1
        data.appeals_by_department = [(d, s, n) for (d, s), n in sorted(counts.items())]
        tolerance = Instrument.objects.filter(code="tolerance_index").first()
        if tolerance is not None:
            data.survey_cells = index_table(
                user=user,
                instrument=tolerance,
                group_by="age_band",
                territory=visit.territory.code,
                date_from=visit.date_start,
                date_to=visit.date_end,
                language=language,
            )
            data.survey_bands = [
                b["code"] for b in (tolerance.current.scoring.get("bands", []) if tolerance.current else [])
            ]
            data.chart_svg = (
                band_shares_svg(data.survey_cells, data.survey_bands, title=tolerance.name)
                if data.survey_cells
                else ""
            )
        data.focus_groups = focus_groups_shown(
            user=user,
            groups=focus_groups(user=user).filter(event__visit=visit),
            via="visit_report",
            language=language,
        )
    return data


def to_html(data: ReportData, *, for_pdf: bool = False) -> str:
    with translation.override(data.language):
        return render_to_string("reports/visit_report.html", {"data": data, "for_pdf": for_pdf})


def to_pdf(data: ReportData) -> bytes:
    from weasyprint import HTML

    return HTML(string=to_html(data, for_pdf=True)).write_pdf()


def to_docx(data: ReportData) -> bytes:
    from docx import Document
    from docx.shared import Cm

    with translation.override(data.language):
        document = Document()
        visit = data.visit
        title = _("Visit report: %(place)s") % {"place": visit.territory.name}
        properties = document.core_properties
        properties.title = title
        properties.language = data.language
        properties.author = "Kelisim"
        properties.subject = str(visit.edition.program.name)
        document.add_heading(title, level=0)
        document.add_paragraph(
            f"{visit.edition.program.name}, {visit.date_start:%d.%m.%Y}–{visit.date_end:%d.%m.%Y}"
        )
        document.add_paragraph(
            _("Events: %(events)d. People reached (head counts given): %(people)d.")
            % {"events": data.event_count, "people": data.people_reached}
        )
        document.add_heading(_("Events by day"), level=1)
        for day, events in data.events_by_day:
            document.add_heading(day.strftime("%d.%m.%Y"), level=2)
            for event in events:
                document.add_paragraph(
                    f"{timezone.localtime(event.start):%H:%M} {event.title} ({event.format.name})",
                    style="List Bullet",
                )
        _table(document, _("Events by format"), [_("format"), _("events")], data.formats)
        _table(document, _("People reached by audience"), [_("audience"), _("head count")], data.audiences)
        _table(
            document,
            _("Citizen receptions by department and outcome"),
            [_("department"), _("outcome"), _("visitors")],
            [
                (
                    r["department__name_ru"] if data.language == "ru" else r["department__name_kk"],
                    r["outcome_label"],
                    r["n"],
                )
                for r in data.receptions
            ],
        )
        _table(
            document,
            _("Appeals by department and status"),
            [_("department"), _("status"), _("appeals")],
            data.appeals_by_department,
        )
        _table(
            document,
            _("Tolerance Index by age band"),
            [_("group"), "n", _("mean")],
            [(c.label, c.n, f"{c.mean.estimate:.1f}") for c in data.survey_cells],
        )
        if data.survey_cells and data.survey_bands:
            document.add_picture(
                io.BytesIO(band_shares_png(data.survey_cells, data.survey_bands)), width=Cm(16)
            )
        _table(document, _("Officials present"), [_("name"), _("position")], data.officials)
        for shown in data.focus_groups:
            _focus_group_docx(document, shown, data.language)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()


def focus_group_facts(shown: Any, language: str) -> list[tuple[str, Any]]:
    """A session's facts as the report prints them, in every format."""
    group = shown.group
    return [
        (_("date"), group.held_on.strftime("%d.%m.%Y") if group.held_on else ""),
        (_("territory"), (group.territory or group.event.territory).name),
        (_("moderator"), group.moderator.full_name if group.moderator else ""),
        (_("participants"), shown.participants),
    ]


def finding_rows(shown: Any) -> list[tuple[str, str, str]]:
    """(theme, tension signal's severity or "", quote) of each finding."""
    return [
        (str(f.get_theme_display()), str(f.get_severity_display()) if f.tension_signal else "", f.quote)
        for f in shown.findings
    ]


def _focus_group_docx(document: Any, shown: Any, language: str) -> None:
    group = shown.group
    document.add_heading(_("Focus group"), level=1)
    for key, value in focus_group_facts(shown, language):
        document.add_paragraph(f"{key}: {value}")
    rows = [(part.label, label, n) for part in shown.composition for _code, label, n in part.counts]
    _table(document, _("Composition by group"), [_("group"), _("category"), _("participants")], rows)
    summary = group.summary_ru if language == "ru" else group.summary_kk
    if summary:
        document.add_paragraph(summary)
    _table(document, _("Findings"), [_("theme"), _("tension signal"), _("quote")], finding_rows(shown))


def _table(document: Any, title: str, header: list[str], rows: list[Any]) -> None:
    if not rows:
        return
    document.add_heading(title, level=1)
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)


def to_xlsx(data: ReportData) -> bytes:
    with translation.override(data.language):
        book = new_workbook(title=_("Visit report: %(place)s") % {"place": data.visit.territory.name})
        events = book.active
        events.title = _("Events")[:31]
        xlsx_append(events, [_("day"), _("time"), _("title"), _("format"), _("territory")])
        for day, day_events in data.events_by_day:
            for event in day_events:
                xlsx_append(
                    events,
                    [
                        day,
                        timezone.localtime(event.start).strftime("%H:%M"),
                        event.title,
                        event.format.name,
                        event.territory.name,
                    ],
                )
        xlsx_append(events, [_("Total"), None, data.event_count])
        audiences = book.create_sheet(_("Audiences")[:31])
        xlsx_append(audiences, [_("audience"), _("head count")])
        for name, n in data.audiences:
            xlsx_append(audiences, [name, n])
        xlsx_append(audiences, [_("Total"), data.people_reached])
        if data.audiences:
            _bar_chart(
                audiences, _("People reached by audience"), rows=len(data.audiences), column=2, anchor="D2"
            )
        receptions = book.create_sheet(_("Receptions")[:31])
        xlsx_append(receptions, [_("department"), _("outcome"), _("visitors")])
        for r in data.receptions:
            xlsx_append(
                receptions,
                [
                    r["department__name_ru"] if data.language == "ru" else r["department__name_kk"],
                    r["outcome_label"],
                    r["n"],
                ],
            )
        xlsx_append(receptions, [_("Total"), None, sum(r["n"] for r in data.receptions)])
        appeals = book.create_sheet(_("Appeals")[:31])
        xlsx_append(appeals, [_("department"), _("status"), _("appeals")])
        for row in data.appeals_by_department:
            xlsx_append(appeals, list(row))
        xlsx_append(appeals, [_("Total"), None, sum(n for *_rest, n in data.appeals_by_department)])
        survey = book.create_sheet(_("Tolerance Index")[:31])
        bands = [str(BAND_LABELS.get(band, band)) for band in data.survey_bands]
        xlsx_append(survey, [_("group"), "n", _("mean"), *bands])
        for cell in data.survey_cells:
            xlsx_append(
                survey,
                [
                    cell.label,
                    cell.n,
                    round(cell.mean.estimate, 2),
                    *[round(cell.shares[b].estimate, 4) for b in data.survey_bands],
                ],
            )
        if data.survey_cells:
            anchor = f"{get_column_letter(len(data.survey_bands) + 5)}2"
            _bar_chart(
                survey, _("Tolerance Index by age band"), rows=len(data.survey_cells), column=3, anchor=anchor
            )
        if data.focus_groups:
            sheet = book.create_sheet(_("Focus groups")[:31])
            xlsx_append(
                sheet,
                [_("date"), _("territory"), _("participants"), _("theme"), _("tension signal"), _("quote")],
            )
            for shown in data.focus_groups:
                facts = dict(focus_group_facts(shown, data.language))
                rows = finding_rows(shown) or [("", "", "")]
                for theme, severity, quote in rows:
                    xlsx_append(
                        sheet,
                        [
                            facts[_("date")],
                            facts[_("territory")],
                            facts[_("participants")],
                            theme,
                            severity,
                            quote,
                        ],
                    )
            composition = book.create_sheet(_("Focus group composition")[:31])
            xlsx_append(composition, [_("date"), _("group"), _("category"), _("participants")])
            for shown in data.focus_groups:
                for part in shown.composition:
                    for _code, label, n in part.counts:
                        xlsx_append(composition, [shown.group.held_on, part.label, label, n])
        return xlsx_bytes(book)


def _bar_chart(sheet: Any, title: str, *, rows: int, column: int, anchor: str) -> None:
    """A native Excel bar chart of one column against the labels in column A (rows 2..rows+1)."""
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.legend = None
    chart.add_data(Reference(sheet, min_col=column, min_row=1, max_row=rows + 1), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows + 1))
    chart.height = max(6.0, 1.0 * rows + 3)
    sheet.add_chart(chart, anchor)


def render(*, user: Any, visit: Visit, language: str, kind: str) -> tuple[bytes, str, int]:
    """The report's file, its content type, and the number of events it lists (for the audit log)."""
    data = collect(user=user, visit=visit, language=language)
    if kind == "docx":
        body, content_type = (
            to_docx(data),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    elif kind == "pdf":
        body, content_type = to_pdf(data), "application/pdf"
    elif kind == "xlsx":
        body, content_type = (
            to_xlsx(data),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise ValueError(kind)
    return body, content_type, data.event_count
