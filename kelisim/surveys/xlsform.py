"""XLSForm in, XForm out, through pyxform; a form pyxform refuses gets its reason, translated
where we know the message, and nothing is saved."""

import io
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from kelisim.core import files, sandbox

LANGUAGES = {"kk": "Kazakh (kk)", "ru": "Russian (ru)"}
SUPPORTED_TYPES = {
    "select one",
    "select all that apply",
    "integer",
    "decimal",
    "text",
    "date",
    "note",
    "calculate",
    "group",
}
# pyxform's messages we can say in the user's language; the rest pass through as pyxform wrote them.
_KNOWN = [
    (
        re.compile(r"List name not in choices sheet: (\S+)"),
        lambda m: _("The choice list “%(name)s” is not on the choices sheet.") % {"name": m.group(1)},
    ),
    (
        re.compile(r"Unknown question type '([^']+)'"),
        lambda m: _("Unknown question type “%(type)s”.") % {"type": m.group(1)},
    ),
    (
        re.compile(r"The survey sheet is either empty or missing"),
        lambda m: _("The survey sheet is missing or empty."),
    ),
    (re.compile(r"Question or group with no name"), lambda m: _("A question has no name.")),
    (
        re.compile(r"Invalid question name"),
        lambda m: _("A question name is not valid: use letters, digits and _ only."),
    ),
]
_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")


class XLSFormError(ValueError):
    pass


@dataclass(frozen=True)
class Converted:
    form_id: str
    form_version: str
    xform: str
    definition: dict[str, Any]


def _translate(message: str) -> str:
    row = _ROW.search(message)
    for pattern, say in _KNOWN:
        match = pattern.search(message)
        if match:
            text = say(match)
            return _("Row %(row)s: %(message)s") % {"row": row.group(1), "message": text} if row else text
    return message


# An XLSForm is a few sheets of questions: it never needs much room or time to read.
ARCHIVE_LIMITS = files.ZipLimits(max_unpacked=32 * files.MB)
PARSE_LIMITS = sandbox.Limits(cpu_seconds=30, memory_bytes=1024 * sandbox.MB, wall_seconds=120)


def convert_xlsform(content: bytes, *, trusted: bool = False) -> Converted:
    """The XForm of an XLSForm workbook, or XLSFormError saying why not.

    An uploaded workbook is measured before it is opened and converted in a limited child process
    (kelisim.core.sandbox); `trusted` is for the ready instruments built in our own code.
    """
    if not content.startswith(b"PK"):
        raise XLSFormError(_("This is not an .xlsx workbook."))
    if trusted:
        xform, definition = _convert_here(content)
    else:
        try:
            files.check_archive(content, limits=ARCHIVE_LIMITS)
        except ValidationError as error:
            raise XLSFormError(" ".join(error.messages)) from error
        try:
            result = sandbox.run("kelisim.core.parsers:xlsform", content, limits=PARSE_LIMITS)
        except sandbox.SandboxError as error:
            if "PyXFormError" in error.kinds:
                raise XLSFormError(_translate(error.message)) from error
            if error.code == "failed":
                raise XLSFormError(
                    _("The workbook could not be read: %(error)s") % {"error": error.message[:200]}
                ) from error
            raise XLSFormError(
                " ".join(files.parse_refusal(error, unreadable=_("This is not an .xlsx workbook.")).messages)
            ) from error
        xform, definition = result["xform"], result["definition"]
    return _checked(xform, definition)


def _convert_here(content: bytes) -> tuple[str, dict[str, Any]]:
    try:
        result = convert(xlsform=io.BytesIO(content), file_type=".xlsx")
    except PyXFormError as error:
        raise XLSFormError(_translate(str(error))) from error
    except Exception as error:  # pyxform and openpyxl raise many kinds for broken workbooks
        raise XLSFormError(
            _("The workbook could not be read: %(error)s") % {"error": str(error)[:200]}
        ) from error
    return result.xform, result._pyxform  # the JSON form pyxform built; stable across pyxform 4.x


def _checked(xform: str, definition: dict[str, Any]) -> Converted:
    for question in walk(definition):
        if question["type"] not in SUPPORTED_TYPES and question["name"] != "meta":
            raise XLSFormError(
                _("The question type “%(type)s” is not supported here.") % {"type": question["type"]}
            )
    return Converted(
        form_id=str(definition.get("id_string", "")),
        form_version=str(definition.get("version", "")),
        xform=xform,
        definition=definition,
    )


def walk(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """Every question, groups opened, in order (the meta block left out)."""
    found: list[dict[str, Any]] = []
    for child in definition.get("children", []):
        if child.get("name") == "meta":
            continue
        if child.get("type") == "group":
            found.extend(walk(child))
        else:
            found.append(child)
    return found


def label(element: dict[str, Any], language: str) -> str:
    value = element.get("label", "")
    if isinstance(value, dict):
        return str(
            value.get(LANGUAGES.get(language, ""), "")
            or value.get(LANGUAGES["kk"], "")
            or next(iter(value.values()), "")
        )
    return str(value)
