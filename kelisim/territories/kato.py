"""Reading a KATO classifier file into validated units, before anything touches the database.

Accepted: a CSV (`;`, `,` or tab) with a header naming at least `code` and `name` (or `name_ru`);
optional `name_kk`, and `id`/`parent_id` as in the 2022 copy. Without `parent_id` the parent is
found from the code itself: the nearest unit whose code is this one with trailing segments zeroed.
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.utils.translation import gettext as _

from .models import Level

_CODE = re.compile(r"^\d{9}$")
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


class KatoFileError(ValueError):
    """A problem in the file, with the line it is on (1-based, the header is line 1)."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(_("Line %(line)d: %(message)s") % {"line": line, "message": message})


@dataclass(frozen=True)
class Unit:
    code: str
    parent_code: str | None
    name_ru: str
    name_kk: str
    line: int

    @property
    def level(self) -> int:
        return level_of(self.code)


def level_of(code: str) -> int:
    if code[2:] == "0000000":
        return Level.REGION
    if code[4:] == "00000":
        return Level.DISTRICT
    if code[6:] == "000":
        return Level.OKRUG
    return Level.SETTLEMENT


def _structural_parents(code: str) -> Iterable[str]:
    for keep in (6, 4, 2):
        candidate = code[:keep] + "0" * (9 - keep)
        if candidate != code:
            yield candidate


def classifier_date_from_name(path: Path) -> date | None:
    match = _DATE_IN_NAME.search(path.name)
    return date.fromisoformat(match.group(1)) if match else None


def parse(text: str) -> list[Unit]:
    """All units of the file, or KatoFileError for the first bad line."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not lines[0].strip():
        raise KatoFileError(1, _("the file is empty or has no header"))
    delimiter = max(";,\t", key=lines[0].count)
    rows = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    header = [h.strip().lower() for h in next(rows)]
    if "code" not in header or not ({"name", "name_ru"} & set(header)):
        raise KatoFileError(1, _("the header must name the columns “code” and “name” (or “name_ru”)"))
    col = {name: i for i, name in enumerate(header)}
    name_col = col.get("name_ru", col.get("name"))

    def cell(row: list[str], name: str) -> str:
        i = col.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    raw: list[tuple[int, list[str]]] = [(n, row) for n, row in enumerate(rows, start=2) if any(row)]
    by_id: dict[str, str] = {}
    for line, row in raw:
        code = cell(row, "code")
        if not _CODE.match(code):
            raise KatoFileError(line, _("the code “%(code)s” is not 9 digits") % {"code": code[:20]})
        if "id" in col:
            by_id[cell(row, "id")] = code

    units: list[Unit] = []
    seen: set[str] = set()
    codes = {cell(row, "code") for _line, row in raw}
    for line, row in raw:
        code = cell(row, "code")
        name_ru = row[name_col].strip() if name_col is not None and name_col < len(row) else ""
        if not name_ru:
            raise KatoFileError(line, _("the unit %(code)s has no name") % {"code": code})
        if code in seen:
            raise KatoFileError(line, _("the code %(code)s appears twice") % {"code": code})
        seen.add(code)
        if "parent_id" in col:
            parent_id = cell(row, "parent_id")
            parent = None if parent_id in ("", "0") else by_id.get(parent_id)
            if parent_id not in ("", "0") and parent is None:
                raise KatoFileError(
                    line, _("the parent id “%(id)s” is not in the file") % {"id": parent_id[:20]}
                )
        else:
            parent = next((c for c in _structural_parents(code) if c in codes), None)
        if parent is None and level_of(code) != Level.REGION:
            raise KatoFileError(line, _("the unit %(code)s has no parent in the file") % {"code": code})
        units.append(Unit(code, parent, name_ru, cell(row, "name_kk"), line))
    if not units:
        raise KatoFileError(2, _("the file holds no units"))
    return units


def parse_names(text: str) -> dict[str, tuple[str, str]]:
    """`code,name_kk,name_ru` overlay: better names for units the classifier lists tersely."""
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    names: dict[str, tuple[str, str]] = {}
    for line, row in enumerate(rows, start=2):
        code = (row.get("code") or "").strip()
        if not _CODE.match(code):
            raise KatoFileError(line, _("the code “%(code)s” is not 9 digits") % {"code": code[:20]})
        names[code] = ((row.get("name_kk") or "").strip(), (row.get("name_ru") or "").strip())
    return names
