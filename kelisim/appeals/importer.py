"""Bulk import of appeals (an e-Otinish export, a spreadsheet): check every row first, report each
bad row and field, then register all of them in one transaction or none."""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kelisim.accounts import policies
from kelisim.accounts.models import Department
from kelisim.accounts.selectors import territory_choices
from kelisim.core import files, sandbox

from .columns import HEADINGS, choice_words, column_of, fold, names_index
from .models import Appeal, Category
from .services import RowInvalid, appeals_register_many, validate_applicant

COLUMNS = [
    "external_number",
    "type",
    "channel",
    "applicant_kind",
    "applicant_name",
    "applicant_contact",
    "territory",
    "department",
    "category",
    "text",
    "received_on",
]
REQUIRED = {"type", "channel", "territory", "department", "text", "received_on"}
# A department's year, 100,000 rows, unpacks to about 180 MB at a ratio of 16 and takes some 25 s
# of CPU and 400 MB to read: the limits leave room for that, and for no zip bomb.
ARCHIVE_LIMITS = files.ZipLimits(max_unpacked=256 * files.MB)
PARSE_LIMITS = sandbox.Limits(cpu_seconds=180, memory_bytes=2048 * sandbox.MB, wall_seconds=900)
PREVIEW_ROWS = 50


@dataclass
class RowError:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, column “%(field)s”: %(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class Parsed:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def check_upload(name: str, content: bytes) -> None:
    """What the web request checks before the worker reads the file: an XLSX is measured unopened."""
    if name.lower().endswith(".xlsx"):
        files.check_archive(content, limits=ARCHIVE_LIMITS)


def _read(name: str, content: bytes) -> Iterator[list[Any]]:
    if name.lower().endswith(".xlsx"):
        check_upload(name, content)
        try:
            rows = sandbox.run("kelisim.core.parsers:xlsx_rows", content, limits=PARSE_LIMITS)
        except sandbox.SandboxError as error:  # openpyxl raises many kinds for a broken file
            raise files.parse_refusal(
                error, unreadable=_("The file is not a readable XLSX workbook.")
            ) from error
        yield from rows
        return
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(_("The CSV file is not UTF-8 text.")) from error
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:
        raise ValidationError(
            _("Line %(line)d of the CSV file cannot be read: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _one(
    number: int,
    column: str,
    value: str,
    index: dict[str, list[Any]],
    errors: list[RowError],
    territory: Any = None,
) -> Any:
    """The department or topic a cell names by its code or its name; an error when none or several.
    Districts have departments of one name ("Білім бөлімі"): the row's territory, or the nearest
    unit above it, decides which is meant."""
    if not value:
        return None
    found = index.get(fold(value), [])
    if len(found) > 1 and territory is not None:
        holding = [d for d in found if territory.path.startswith(d.territory.path)]
        nearest = max((len(d.territory.path) for d in holding), default=0)
        found = [d for d in holding if len(d.territory.path) == nearest] or found
    if len(found) == 1:
        return found[0]
    if found:
        errors.append(
            RowError(
                number, column, _("several are named “%(value)s”; give the code") % {"value": value[:40]}
            )
        )
    elif column == "department":
        errors.append(
            RowError(number, column, _("no department with the code “%(value)s”") % {"value": value[:40]})
        )
    else:
        errors.append(RowError(number, column, _("unknown category")))
    return None


def parse(*, name: str, content: bytes, user: Any) -> Parsed:
    """Every row checked; nothing written."""
    result = Parsed()
    rows = _read(name, content)
    header = [column_of(h) for h in next(rows, [])]
    missing = REQUIRED - set(header)
    if missing:
        result.errors.append(
            RowError(1, ", ".join(str(HEADINGS[c]) for c in sorted(missing)), _("these columns are missing"))
        )
        return result
    # Only the units the user may import into: a code elsewhere reads like a code that does not exist.
    territories = {t.code: t for t in territory_choices(user=user, capability="import_appeals")}
    departments = names_index(
        Department.objects.filter(policies.scope_q(user, "view_department")).select_related("territory")
    )
    categories = names_index(Category.objects.all())
    types, channels, kinds = (choice_words(c) for c in (Appeal.Type, Appeal.Channel, Appeal.Applicant))
    for number, values in enumerate(rows, start=2):
        cells = {h: values[i] if i < len(values) else None for i, h in enumerate(header)}
        if not any(v not in (None, "") for v in cells.values()):
            continue

        def get(k: str, cells: dict[str, Any] = cells) -> str:
            return "" if cells.get(k) is None else str(cells.get(k)).strip()

        row: dict[str, Any] = {"_row": number}
        errors: list[RowError] = []
        for column in REQUIRED:
            if not get(column):
                errors.append(RowError(number, column, _("required")))
        kind_type = types.get(fold(get("type"))) if get("type") else None
        if get("type") and kind_type is None:
            errors.append(
                RowError(number, "type", _("unknown type “%(value)s”") % {"value": get("type")[:30]})
            )
        channel = channels.get(fold(get("channel"))) if get("channel") else None
        if get("channel") and channel is None:
            errors.append(
                RowError(number, "channel", _("unknown channel “%(value)s”") % {"value": get("channel")[:30]})
            )
        kind = kinds.get(fold(get("applicant_kind"))) if get("applicant_kind") else "person"
        if kind is None:
            errors.append(RowError(number, "applicant_kind", _("unknown applicant kind")))
        territory = territories.get(get("territory"))
        if get("territory") and territory is None:
            errors.append(
                RowError(
                    number,
                    "territory",
                    _("no KATO unit with the code “%(value)s” among your territories")
                    % {"value": get("territory")[:12]},
                )
            )
        department = _one(number, "department", get("department"), departments, errors, territory)
        category = _one(number, "category", get("category"), categories, errors)
        try:
            received = _date(cells.get("received_on")) if get("received_on") else None
        except ValueError:
            received = None
            errors.append(RowError(number, "received_on", _("give the date as YYYY-MM-DD or DD.MM.YYYY")))
        row.update(
            external_number=get("external_number"),
            type=kind_type or "",
            channel=channel or "",
            applicant_kind=kind or "",
            applicant_name=get("applicant_name"),
            applicant_contact=get("applicant_contact"),
            territory=territory,
            department=department,
            category=category,
            text=get("text"),
            received_on=received,
        )
        if not errors:
            try:
                validate_applicant(row)
            except ValidationError as error:
                for name_, messages in error.message_dict.items():
                    errors.extend(RowError(number, name_, m) for m in messages)
        result.errors.extend(errors)
        if not errors:
            result.rows.append(row)
    return result


def commit(*, parsed: Parsed, user: Any, progress: Callable[[int], None] | None = None) -> list[Appeal]:
    """Register every row, or none: any failure rolls the whole import back."""
    if parsed.errors:
        raise ValidationError([str(e) for e in parsed.errors])
    rows = parsed.rows
    try:
        return appeals_register_many(
            actor=user, rows=[{k: v for k, v in r.items() if k != "_row"} for r in rows], progress=progress
        )
    except RowInvalid as error:
        line = rows[error.index]["_row"]
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        raise ValidationError(
            [str(RowError(line, f, m)) for f, ms in messages.items() for m in ms]
        ) from error


def upload_dir() -> Path:
    """Where an uploaded file waits between its check and its import: private, outside the web root."""
    return files.waiting_dir()


def preview_save(stored: str, parsed: Parsed) -> None:
    """What the preview page shows of a checked file, kept (0600) beside it until it expires."""
    rows = [
        {
            "external_number": r["external_number"],
            "type": r["type"],
            "territory": r["territory"].name if r["territory"] else "",
            "department": r["department"].name if r["department"] else "",
            "text": r["text"][:80],
        }
        for r in parsed.rows[:PREVIEW_ROWS]
    ]
    data = {"count": len(parsed.rows), "rows": rows}
    files.write_private(
        files.waiting_path(stored).with_name(f"{stored}.preview.json"), json.dumps(data).encode()
    )


def preview_load(stored: str) -> dict[str, Any] | None:
    try:
        path = files.waiting_path(stored).with_name(f"{stored}.preview.json")
        return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except (FileNotFoundError, ValueError):
        return None


def export_xlsx(appeals: Iterable[Appeal]) -> tuple[bytes, int]:
    """The appeals as XLSX in the reader's words, which the import reads back, and how many there
    are (for the audit log)."""
    from kelisim.core.tabular import xlsx_table

    rows = (
        [
            a.number,
            a.external_number,
            a.get_type_display(),
            a.get_channel_display(),
            a.get_applicant_kind_display(),
            a.applicant_name,
            a.applicant_contact,
            a.territory.code,
            a.department.name,
            a.category.name if a.category else "",
            a.text,
            a.received_on,
            a.get_status_display(),
            a.due_date,
        ]
        for a in appeals
    )
    headings = [HEADINGS[c] for c in ("number", *COLUMNS, "status", "due_date")]
    return xlsx_table(_("Appeals"), [str(h) for h in headings], rows)
