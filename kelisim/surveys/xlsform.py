"""XLSForm in, XForm out, as pyxform reads it (.xlsx and .xls); then everything the server must run
is checked before anything is saved: every expression parses and names what exists (refused with its
row and the reason), every question type and feature is one the server supports (refused with the
list of what is, never accepted and ignored), every media file and CSV the form names is attached.
"""

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kelisim.core import files as core_files
from kelisim.core import sandbox

from . import xform, xpath

LANGUAGES = {"kk": "Kazakh (kk)", "ru": "Russian (ru)"}

# What the server runs, in the words of XLSForm; shown when a form asks for something else.
SUPPORTED = [
    "text",
    "integer",
    "decimal",
    "range",
    "date",
    "time",
    "dateTime",
    "select_one",
    "select_multiple",
    "select_one_from_file",
    "select_multiple_from_file",
    "note",
    "acknowledge",
    "calculate",
    "hidden",
    "geopoint",
    "barcode",
    "image",
    "audio",
    "video",
    "file",
    "begin_group",
    "begin_repeat",
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "phonenumber",
    "email",
    "simserial",
    "subscriberid",
    "audit",
]
# What is refused, with why (docs/adr/0006-odk-expression-engine.md keeps the same list).
UNSUPPORTED = {
    "geotrace": gettext_lazy("lines drawn on a map"),
    "geoshape": gettext_lazy("shapes drawn on a map"),
    "rank": gettext_lazy("ranking widget"),
    "start-geopoint": gettext_lazy("location taken in the background"),
    "background-audio": gettext_lazy("sound recorded in the background"),
    "select_one_external": gettext_lazy("external choice lists (itemsets.csv)"),
    "search()": gettext_lazy("search() choice appearance"),
    "external app": gettext_lazy("answers from another app (ex: appearance)"),
    "entities": gettext_lazy("entities"),
    "encryption": gettext_lazy("encrypted submissions"),
}
EXPRESSION_COLUMNS = (
    "relevant",
    "constraint",
    "calculation",
    "choice_filter",
    "required",
    "repeat_count",
    "read_only",
)
MEDIA = re.compile(r"jr://(images|audio|video|file|file-csv)/([^\s<'\"]+)")

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
    version_given: bool  # written in the settings sheet (else the server chose it)
    xform: str
    definition: dict[str, Any]
    files: tuple[str, ...]  # the attachments the form uses (media, CSV, XML)
    digest: str  # what the form says and attaches, its version left out

    @property
    def title(self) -> str:
        return str(self.definition.get("title", "") or self.form_id)


def _translate(message: str) -> str:
    row = _ROW.search(message)
    for pattern, say in _KNOWN:
        match = pattern.search(message)
        if match:
            text = say(match)
            return _("Row %(row)s: %(message)s") % {"row": row.group(1), "message": text} if row else text
    return message


def form_id_from_filename(filename: str) -> str:
    """As ODK and Kobo do without a form_id setting: the file's name, made a valid identifier."""
    stem = PurePath(filename or "").stem.strip()
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", stem).strip("_.-")
    if not slug or not re.match(r"[A-Za-z_]", slug):
        slug = f"form_{slug}" if slug else "form"
    return slug[:64]


def file_type_of(content: bytes) -> str:
    if content.startswith(b"PK\x03\x04"):
        return ".xlsx"
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        return ".xls"
    raise XLSFormError(_("This is not an Excel workbook (.xlsx or .xls)."))


def _digest(definition: dict[str, Any], files: Mapping[str, bytes]) -> str:
    body = {k: v for k, v in definition.items() if k != "version"}
    hasher = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode())
    for name in sorted(files):
        hasher.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return hasher.hexdigest()


def _rows_by_path(survey: list[dict[str, Any]], root: str) -> dict[str, int]:
    """Which row of the survey sheet each question or group comes from, by its XForm path."""
    found: dict[str, int] = {}
    stack: list[str] = []
    for index, row in enumerate(survey):
        kind = re.sub(r"[\s_]+", " ", str(row.get("type", "")).strip().lower())
        name = str(row.get("name", "")).strip()
        if kind in ("end group", "end repeat"):
            if stack:
                stack.pop()
            continue
        if not name:
            continue
        path = "/".join(["", root, *stack, name])
        found[path] = index + 2
        if kind in ("begin group", "begin repeat"):
            stack.append(name)
    return found


def _check_cells(survey: list[dict[str, Any]]) -> None:
    """Every expression cell parses, and calls only functions the engine has."""
    for index, row in enumerate(survey):
        for column in EXPRESSION_COLUMNS:
            cell = str(row.get(column, "") or "").strip()
            if not cell or cell.lower() in ("yes", "no", "true", "false", "true()", "false()"):
                continue
            try:
                xpath.parse(cell)
            except xpath.ExpressionError as error:
                raise XLSFormError(
                    _("Row %(row)d, column “%(column)s”: %(reason)s")
                    % {"row": index + 2, "column": column, "reason": explain(error)}
                ) from error


def explain(error: xpath.ExpressionError) -> str:
    """The engine's short English reason, in the user's language where it is a known one."""
    message = error.message
    if message.startswith("unknown function"):
        text = _("the function %(name)s does not exist (see the list of ODK functions)") % {
            "name": message.split(" ", 2)[2]
        }
    elif message.startswith("wrong number of arguments"):
        text = _("wrong number of arguments for %(name)s") % {"name": message.rsplit(" ", 1)[1]}
    elif message == "invalid regular expression":
        text = _("the regular expression is not valid")
    elif message.startswith("unterminated string"):
        text = _("a quoted text is not closed")
    elif message.startswith("expected"):
        text = _("%(what)s is missing") % {"what": message.split(" ", 1)[1]}
    elif message.startswith("unexpected"):
        text = _("%(what)s is not expected here") % {"what": message.split(" ", 1)[1]}
    elif message.startswith("refers to nothing"):
        text = _("“%(path)s” is not a question of this form (write a value in quotes: 'yes')") % {
            "path": message.split(": ", 1)[1]
        }
    else:
        text = message
    if error.position is not None:
        text = _("%(text)s (character %(position)d)") % {"text": text, "position": error.position + 1}
    return text


# An XLSForm is a few sheets of questions: it never needs much room or time to read.
ARCHIVE_LIMITS = core_files.ZipLimits(max_unpacked=32 * core_files.MB)
PARSE_LIMITS = sandbox.Limits(cpu_seconds=30, memory_bytes=1024 * sandbox.MB, wall_seconds=120)


def _run(target: str, payload: bytes, *, trusted: bool) -> Any:
    """A parser of `kelisim.core.parsers` on `payload`: in a limited child process for an upload
    (the workbook is hostile until read), here for the ready instruments built in our own code."""
    if trusted:
        from kelisim.core import parsers

        return getattr(parsers, target)(payload)
    try:
        return sandbox.run(f"kelisim.core.parsers:{target}", payload, limits=PARSE_LIMITS)
    except sandbox.SandboxError as error:
        if "PyXFormError" in error.kinds:
            raise XLSFormError(_translate(error.message)) from error
        if error.code == "failed":
            raise XLSFormError(
                _("The workbook could not be read: %(error)s") % {"error": error.message[:200]}
            ) from error
        raise XLSFormError(
            " ".join(
                core_files.parse_refusal(
                    error, unreadable=_("This is not an Excel workbook (.xlsx or .xls).")
                ).messages
            )
        ) from error


def convert_xlsform(
    content: bytes,
    *,
    filename: str = "",
    files: Mapping[str, bytes] | None = None,
    default_version: Callable[[str], str] | None = None,
    trusted: bool = False,
) -> Converted:
    """Convert and check an XLSForm; `attachments` are its files by name. Raises XLSFormError with a
    translated reason naming the row, the type or the file; nothing is saved by this function.
    `files` are the form's attachments by name.

    The workbook is measured before it is opened, then read and converted by pyxform in a limited
    child process (kelisim.core.sandbox); the checks run here on what came back."""
    attachments = dict(files or {})
    file_type = file_type_of(content)
    if file_type == ".xlsx" and not trusted:
        try:
            core_files.check_archive(content, limits=ARCHIVE_LIMITS)
        except ValidationError as error:
            raise XLSFormError(" ".join(error.messages)) from error
    data = _run("xlsform_read", content, trusted=trusted)
    survey = [dict(row) for row in (data.get("survey") or [])]
    settings = dict((data.get("settings") or [{}])[0]) if data.get("settings") else {}
    form_id = str(settings.get("form_id") or settings.get("id_string") or "").strip()
    form_id = form_id or form_id_from_filename(filename)
    version = str(settings.get("version") or "").strip()
    given = bool(version)
    if not version:
        version = default_version(form_id) if default_version else "1"
    settings.update({"form_id": form_id, "version": version})
    if not settings.get("form_title"):
        settings["form_title"] = form_id
    _check_cells(survey)
    data.update(
        settings=[settings],
        settings_header=[dict.fromkeys(settings)],
        fallback_form_name=data.get("fallback_form_name") or "data",
    )
    result = _run("xlsform_convert", json.dumps(data, default=str).encode(), trusted=trusted)
    xform_text, definition = result["xform"], result["definition"]
    model = xform.compile_xform(xform_text)
    rows = _rows_by_path(survey, model.root)
    check_supported(model, definition, rows)
    check_expressions(model, rows)
    needed = check_files(model, xform_text, attachments)
    used = {name: attachments[name] for name in needed}
    return Converted(
        form_id=form_id,
        form_version=version,
        version_given=given,
        xform=xform_text,
        definition=definition,
        files=tuple(sorted(needed)),
        digest=_digest(definition, used),
    )


def _where(rows: Mapping[str, int], path: str) -> str:
    row = rows.get(path)
    return _("Row %(row)d") % {"row": row} if row else path


def unsupported_message(found: dict[str, str]) -> str:
    listed = "; ".join(
        (f"{where}: " if where else "") + f"{feature} ({UNSUPPORTED[feature]})"
        for feature, where in found.items()
    )
    return _("This form uses what the server cannot collect: %(found)s. Supported: %(supported)s.") % {
        "found": listed,
        "supported": ", ".join(SUPPORTED),
    }


def check_supported(model: xform.Model, definition: dict[str, Any], rows: Mapping[str, int]) -> None:
    found: dict[str, str] = {}
    for path, bind in model.binds.items():
        if bind.type in ("geotrace", "geoshape"):
            found.setdefault(bind.type, _where(rows, path))
    for path, control in model.controls.items():
        if control.tag == "rank":
            found.setdefault("rank", _where(rows, path))
        if control.query is not None:
            found.setdefault("select_one_external", _where(rows, path))
        appearance = control.appearance.replace(" ", "")
        if "search(" in appearance:
            found.setdefault("search()", _where(rows, path))
        if appearance.startswith("ex:") or " ex:" in f" {control.appearance}":
            found.setdefault("external app", _where(rows, path))
    for action in model.actions:
        if action == "setgeopoint":
            found.setdefault("start-geopoint", "")
        elif action == "recordaudio":
            found.setdefault("background-audio", "")
    if any(n.name == "entity" for n in model.template.iter()):
        found.setdefault("entities", "")
    if model.attributes.get("base64RsaPublicKey"):
        found.setdefault("encryption", "settings")
    for element in walk_all(definition):
        if element.get("control", {}).get("intent"):
            found.setdefault("external app", element.get("name", ""))
    if found:
        raise XLSFormError(unsupported_message(found))


def check_expressions(model: xform.Model, rows: Mapping[str, int]) -> None:
    """Every expression of the XForm parses, calls known functions, names existing secondary
    instances, and its paths lead to nodes of the form."""
    known = model.paths()
    # (the row's path, the column, the expression, the node it is evaluated for)
    expressions: list[tuple[str, str, str, str]] = []
    for path, bind in model.binds.items():
        for name in xform.EXPRESSION_ATTRIBUTES:
            value = getattr(bind, name)
            if value and value.strip() not in ("true()", "false()"):
                expressions.append((path, name, value, path))
    for path, count in model.repeats.items():
        if count:
            expressions.append((path, "repeat_count", count, path.rpartition("/")[0]))
    for path, control in model.controls.items():
        if control.itemset:
            expressions.append((path, "choice_filter", control.itemset, path))
    for _event, ref, value in model.setvalues:
        expressions.append((ref, "default", value, ref))
    instances = set(model.inline) | set(model.external)
    for path, column, expression, context in expressions:
        try:
            xpath.parse(expression)
            for call in _instance_names(expression):
                if call not in instances:
                    raise xpath.ExpressionError(f"refers to nothing: instance('{call}')")
            for node in xpath.paths(expression):
                target = _resolve(node, context, model.root)
                if target is not None and target not in known and not target.startswith("/#"):
                    raise xpath.ExpressionError(f"refers to nothing: {target}")
        except xpath.ExpressionError as error:
            raise XLSFormError(
                _("%(where)s, %(column)s: %(reason)s")
                % {"where": _where(rows, path), "column": column, "reason": explain(error)}
            ) from error


def _instance_names(expression: str) -> set[str]:
    return set(re.findall(r"instance\(\s*['\"]([^'\"]*)['\"]\s*\)", expression))


def _resolve(path: xpath.Path, context: str, root: str) -> str | None:
    """The instance path a simple location path leads to from `context`, or None when it is not
    simple enough to say (axes other than child, parent and self; wildcards; //)."""
    parts = [] if path.start == "/" else context.strip("/").split("/")
    for step in path.steps:
        if step.axis == "self":
            continue
        if step.axis == "parent":
            if not parts:
                return None
            parts.pop()
            continue
        if step.axis != "child" or step.test in ("*", "node()", "text()") or step.test.endswith(":*"):
            return None
        parts.append(step.test.rpartition(":")[2])
    if not parts:
        return None
    return "/" + "/".join(parts)


def check_files(model: xform.Model, text: str, files: Mapping[str, bytes]) -> set[str]:
    """The attachments the form names (media, CSV and XML instances); all must be attached."""
    needed = {name for _kind, name in MEDIA.findall(text)}
    needed |= set(model.external.values())
    missing = sorted(needed - set(files))
    if missing:
        raise XLSFormError(_("Attach the files the form names: %(files)s.") % {"files": ", ".join(missing)})
    for name, filename in model.external.items():
        content = files[filename]
        try:
            instance = xform.secondary_from_file(filename, content)
        except Exception as error:  # a CSV or XML file that cannot be read
            raise XLSFormError(
                _("The file %(file)s could not be read: %(error)s")
                % {"file": filename, "error": str(error)[:120]}
            ) from error
        if filename.lower().endswith(".csv"):
            columns = set(xform.csv_columns(content))
            for control in model.controls.values():
                if control.itemset and f"instance('{name}')" in control.itemset.replace('"', "'"):
                    wanted = {control.value_ref, control.label_ref} - {"jr:itext(itextId)"}
                    lacking = sorted(c for c in wanted if c not in columns and "(" not in c)
                    if lacking:
                        raise XLSFormError(
                            _("The file %(file)s needs the columns %(columns)s.")
                            % {"file": filename, "columns": ", ".join(lacking)}
                        )
        del instance
    return needed


def walk_all(definition: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for child in definition.get("children", []):
        found.append(child)
        found.extend(walk_all(child))
    return found


def walk(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """Every question, groups opened, in order (the meta block left out)."""
    found: list[dict[str, Any]] = []
    for child in definition.get("children", []):
        if child.get("name") == "meta":
            continue
        if child.get("type") in ("group", "repeat"):
            found.extend(walk(child))
        else:
            found.append(child)
    return found


def label(element: dict[str, Any], language: str, key: str = "label") -> str:
    value = element.get(key, "")
    if isinstance(value, dict):
        return str(
            value.get(LANGUAGES.get(language, ""), "")
            or value.get(LANGUAGES["kk"], "")
            or value.get("default", "")
            or next(iter(value.values()), "")
        )
    return str(value or "")


def itext_language(model: xform.Model, language: str) -> str:
    """The form's translation for a UI language: "Kazakh (kk)" for kk, else the default."""
    for name in model.languages:
        if name.endswith(f"({language})"):
            return name
    wanted = LANGUAGES.get(language, "")
    if wanted in model.languages:
        return wanted
    return next(iter(model.languages), "")
