"""Reading the rows of an uploaded plan workbook, in the limited child process of
`kelisim.core.sandbox` (no Django here: the child runs without Kelisim's settings)."""

import io
from typing import Any


class UnreadableWorkbook(ValueError):
    pass


def read_rows(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise UnreadableWorkbook(str(error)) from error
    try:
        # The plan has a row per district: a few hundred at most, three columns read.
        return [list(r[:3]) for r in book.worksheets[0].iter_rows(values_only=True, max_row=2000)]
    finally:
        book.close()
