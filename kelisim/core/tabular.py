"""Every CSV and XLSX that Kelisim writes goes through here, so that no cell is ever run as a formula.

Spreadsheet programs run a cell that starts with = + - @ (or a tab or a carriage return before
one) as a formula: =HYPERLINK(...) sends data to a stranger's server, DDE starts programs. The text
in our exports is typed by people (an anonymous Open311 caller's name, an event title, a survey
answer), so it is never trusted:

- CSV: a text value starting with one of those characters gets a single quote in front (OWASP's
  advice); numbers, including negative ones, stay numbers.
- XLSX: text is written as a text cell, never a formula cell, and a text that would look like a
  formula carries Excel's "quote prefix" flag, so that editing the cell does not turn it into one
  either. The value itself is kept as it was typed.

`tests/test_export_safety.py` reads every export back and finds any writer that bypasses this module.

Workbooks also read well when opened: columns as wide as their content (a date never prints as
###), dates in the Kazakh day.month.year order, and the file's title and language set.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from typing import Any

from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A signed number written as text ("-5", "+7.5") is a number, not a formula: it keeps its sign.
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_NUMBERS = (int, float, Decimal)
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
# Column widths in characters: never narrower than a date, never wider than a readable line.
MIN_WIDTH, MAX_WIDTH = 10, 60
# A streamed sheet is measured on its first rows: widths must be set before any row is written.
MEASURED_ROWS = 500


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START) and not _NUMBER.match(text)


def csv_value(value: Any) -> Any:
    """One CSV cell: numbers as they are, text defused with a leading quote when it could run."""
    if value is None:
        return ""
    if isinstance(value, (bool, *_NUMBERS)):
        return value
    text = str(value)
    return "'" + text if looks_like_formula(text) else text


def csv_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> tuple[bytes, int]:
    """The CSV file (UTF-8 with a BOM, so that Excel reads Cyrillic right) and its number of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_value(v) for v in header])
    count = 0
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
        count += 1
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), count


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """The cells of one row for `sheet.append`: text as text cells, never formulas.

    Works for ordinary and write-only worksheets alike (both accept ready cells).
    """
    row: list[Any] = []
    for value in values:
        if isinstance(value, str):
            text = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XLSX cannot hold
            cell = Cell(sheet, row=1, column=1)  # placed by append()
            cell.value = text
            cell.data_type = "s"  # openpyxl would make "=…" a formula
            if looks_like_formula(text):
                cell.quotePrefix = True
            row.append(cell)
        elif isinstance(value, date):
            cell = Cell(sheet, row=1, column=1)
            if isinstance(value, datetime):
                # Excel has no time zones: the wall-clock time of the reader's zone is written.
                cell.value = (
                    timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
                )
                cell.number_format = DATETIME_FORMAT
            else:
                cell.value = value
                cell.number_format = DATE_FORMAT
            row.append(cell)
        else:
            row.append(value)
    return row


def _shown_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len(DATETIME_FORMAT)
    if isinstance(value, date):
        return len(DATE_FORMAT)
    return max((len(line) for line in str(value).splitlines()), default=0)


def column_widths(rows: Iterable[Sequence[Any]]) -> list[float]:
    """Widths (in characters) that fit the longest value of each column, within MIN..MAX_WIDTH."""
    widest: list[int] = []
    for row in rows:
        for index, value in enumerate(row):
            if index == len(widest):
                widest.append(0)
            widest[index] = max(widest[index], _shown_length(value))
    return [float(min(MAX_WIDTH, max(MIN_WIDTH, n + 2))) for n in widest]


def set_column_widths(sheet: Any, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def fit_columns(sheet: Any) -> None:
    """Size the columns of an ordinary (not streamed) sheet to what it holds, except those whose
    width the writer chose itself."""
    for index, width in enumerate(column_widths(sheet.iter_rows(values_only=True)), start=1):
        letter = get_column_letter(index)
        if letter not in sheet.column_dimensions:  # looking one up would create it
            sheet.column_dimensions[letter].width = width


def xlsx_append(sheet: Any, values: Iterable[Any]) -> None:
    sheet.append(xlsx_row(sheet, values))


def new_workbook(*, write_only: bool = False, title: str = "") -> Any:
    from django.utils import translation
    from openpyxl import Workbook

    book = Workbook(write_only=write_only)
    book.properties.title = str(title) or None
    book.properties.language = translation.get_language() or None
    book.properties.creator = "Kelisim"
    return book


def xlsx_bytes(book: Any) -> bytes:
    """The file; an ordinary workbook's columns are sized to their content first."""
    if not getattr(book, "write_only", False):
        for sheet in book.worksheets:
            fit_columns(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_table(title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> tuple[bytes, int]:
    """A workbook of one sheet (written as it streams), and its number of rows."""
    book = new_workbook(write_only=True, title=title)
    sheet = book.create_sheet(sheet_title(title))
    rows = iter(rows)
    first = list(islice(rows, MEASURED_ROWS))
    set_column_widths(sheet, column_widths([header, *first]))
    xlsx_append(sheet, header)
    count = 0
    for row in chain(first, rows):
        xlsx_append(sheet, row)
        count += 1
    return xlsx_bytes(book), count


def sheet_title(text: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of : \\ / ? * [ ]."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(text))[:31] or "Sheet"
