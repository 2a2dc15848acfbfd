"""The parsers of uploaded files that `kelisim.core.sandbox` runs in its limited child process.

Each takes the file's bytes and returns plain data (lists, dicts, strings, numbers, dates). Nothing
here may import Django's settings, models or the database: the child has none of them.
"""

import io
from typing import Any


def xlsx_rows(content: bytes) -> list[list[Any]]:
    """The values of the first sheet, row by row (formulas as their last computed value)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        return [list(values) for values in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def xlsform_read(content: bytes) -> dict[str, Any]:
    """The sheets of an XLSForm workbook (.xlsx or .xls) as pyxform reads them."""
    import dataclasses

    from pyxform.xls2json_backends import get_xlsform

    file_type = ".xls" if content.startswith(b"\xd0\xcf\x11\xe0") else ".xlsx"
    return dataclasses.asdict(get_xlsform(xlsform=io.BytesIO(content), file_type=file_type))


def xlsform_convert(payload: bytes) -> dict[str, Any]:
    """pyxform's conversion of the sheets `xlsform_read` gave (as JSON, settings completed by the
    caller): the XForm and pyxform's JSON form of it."""
    import json

    from pyxform.xls2xform import convert

    result = convert(xlsform=json.loads(payload))
    return {"xform": result.xform, "definition": result._pyxform}
