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
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A signed number written as text ("-5", "+7.5") is a number, not a formula: it keeps its sign.
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_NUMBERS = (int, float, Decimal)


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
        else:
            row.append(value)
    return row


def xlsx_append(sheet: Any, values: Iterable[Any]) -> None:
    sheet.append(xlsx_row(sheet, values))


def new_workbook(*, write_only: bool = False) -> Any:
    from openpyxl import Workbook

    return Workbook(write_only=write_only)


def xlsx_bytes(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_table(title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> tuple[bytes, int]:
    """A workbook of one sheet (written as it streams), and its number of rows."""
    book = new_workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(title))
    xlsx_append(sheet, header)
    count = 0
    for row in rows:
        xlsx_append(sheet, row)
        count += 1
    return xlsx_bytes(book), count


def sheet_title(text: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of : \\ / ? * [ ]."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(text))[:31] or "Sheet"
