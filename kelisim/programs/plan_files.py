"""The yearly plan as a spreadsheet: a template listing the region's districts, and its import.

The import checks every row first and names each bad row and column; the plan is then saved in one
transaction (`services.visit_plans_save`) or not at all."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kelisim.accounts import policies
from kelisim.core import sandbox, tabular
from kelisim.territories.models import Territory

from .models import Program, VisitPlan
from .selectors import plan_districts
from .services import MAX_PLANNED


@dataclass
class PlanUpload:
    planned: dict[Territory, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def plan_template(*, program: Program, year: int) -> bytes:
    """The districts of the program's region with this year's plan filled in, ready to edit."""
    current = dict(
        VisitPlan.objects.filter(edition__program=program, edition__year=year).values_list(
            "district_id", "planned"
        )
    )
    book = tabular.new_workbook()
    sheet = book.active
    sheet.title = str(year)
    tabular.xlsx_append(sheet, [_("KATO code"), _("district"), _("visits planned")])
    for district in plan_districts(program=program):
        # The code stays a text cell, so a spreadsheet keeps its leading digits as typed.
        tabular.xlsx_append(sheet, [str(district.code), district.name, current.get(district.pk, 0)])
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 16
    return tabular.xlsx_bytes(book)


# A plan is a few dozen rows: a child that needs more than this is parsing something else.
PARSE_LIMITS = sandbox.Limits(cpu_seconds=10, memory_bytes=512 * sandbox.MB, wall_seconds=30)


def _rows(content: bytes) -> list[list[Any]]:
    """The workbook's rows, read in a limited child process (an upload is never parsed by the
    web worker itself; the archive was measured before, in `sniff`)."""
    try:
        return sandbox.run("kelisim.programs.plan_rows:read_rows", content, limits=PARSE_LIMITS)
    except sandbox.SandboxError as error:
        raise ValidationError(_("The file is not a readable XLSX workbook.")) from error


def plan_parse(*, user: Any, program: Program, content: bytes) -> PlanUpload:
    """Rows of (KATO code, name, visits planned); the header row and empty rows are skipped.
    A district the user may not plan for is a row error, like an unknown one."""
    upload = PlanUpload()
    districts = {d.code: d for d in plan_districts(program=program)}
    seen: dict[str, int] = {}
    for number, row in enumerate(_rows(content), start=1):
        code = str(row[0]).strip() if row and row[0] is not None else ""
        value = row[2] if len(row) > 2 else None
        if not code and value in (None, ""):
            continue
        if number == 1 and not code.isdigit():
            continue  # the header
        where = {"row": number}
        if code not in districts:
            upload.errors.append(
                _("Row %(row)d, column “KATO code”: %(code)s is not a district of this program's territory.")
                % {**where, "code": code or "—"}
            )
            continue
        if not policies.can(user, "manage_visit", districts[code]):
            upload.errors.append(
                _("Row %(row)d, column “KATO code”: %(code)s is outside your territory.")
                % {**where, "code": code}
            )
            continue
        if code in seen:
            upload.errors.append(
                _("Row %(row)d: the district is already on row %(first)d.") % {**where, "first": seen[code]}
            )
            continue
        seen[code] = number
        planned = _count(value)
        if planned is None:
            upload.errors.append(
                _("Row %(row)d, column “visits planned”: give a whole number from 0 to %(max)d.")
                % {**where, "max": MAX_PLANNED}
            )
            continue
        upload.planned[districts[code]] = planned
    if not upload.planned and not upload.errors:
        upload.errors.append(_("The file has no rows of the plan."))
    return upload


def _count(value: Any) -> int | None:
    if value in (None, ""):
        return 0
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text.isdigit() or int(text) > MAX_PLANNED:
        return None
    return int(text)
