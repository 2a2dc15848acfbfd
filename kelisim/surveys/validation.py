"""Every answer checked on the server — relevance (a hidden group hides all it holds), calculations,
required, types, choice lists and their filters, constraints, repeat counts — whatever the client
(a browser, ODK Collect, a typist) did or did not check. The form version's XForm is run by
`xform.Checker` with the one expression engine (`xpath`)."""

import functools
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from . import xform
from .models import InstrumentVersion
from .xlsform import itext_language, label
from .xpath import Node, format_datetime


@dataclass
class Checked:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # answer key -> attached file name
    outcome: xform.Outcome | None = None


@functools.lru_cache(maxsize=64)
def _compiled(pk: int | None, digest: str, text: str) -> xform.Model:
    return xform.compile_xform(text)


def model_for(version: InstrumentVersion) -> xform.Model:
    digest = hashlib.md5(version.xform.encode(), usedforsecurity=False).hexdigest()
    return _compiled(version.pk, digest, version.xform)


def files_for(version: InstrumentVersion) -> dict[str, bytes]:
    if version.pk is None:
        return {}
    return {f.name: bytes(f.content) for f in version.files.all()}


def titles(definition: dict[str, Any], root: str, language: str) -> dict[str, str]:
    """Each question's label (or name) by its XForm path, for messages."""
    found: dict[str, str] = {}

    def visit(element: dict[str, Any], path: str) -> None:
        for child in element.get("children", []):
            child_path = f"{path}/{child['name']}"
            found[child_path] = label(child, language) or str(child["name"])
            visit(child, child_path)

    visit(definition, f"/{root}")
    return found


def messages() -> xform.Messages:
    return xform.Messages(
        required=lambda title: _("“%(question)s” needs an answer.") % {"question": title},
        invalid=lambda title, value: (
            _("“%(question)s”: “%(value)s” is not an allowed answer.") % {"question": title, "value": value}
        ),
        constraint=lambda title: _("“%(question)s”: the answer is out of range.") % {"question": title},
        unknown_field=lambda path: _("The form has no field “%(path)s”.") % {"path": path},
        repeat_count=lambda key, n: (
            _("“%(group)s” must be given %(count)d times.") % {"group": key, "count": n}
        ),
        cannot_evaluate=lambda title, reason: (
            _("“%(question)s”: the form's rule could not be checked (%(reason)s).")
            % {"question": title, "reason": reason}
        ),
        missing_file=lambda title, name: (
            _("“%(question)s”: the file %(file)s was not sent.") % {"question": title, "file": name}
        ),
    )


@functools.lru_cache(maxsize=64)
def _version_data(pk: int, digest: str) -> dict[str, bytes]:
    version = InstrumentVersion.objects.get(pk=pk)
    return files_for(version)


@functools.lru_cache(maxsize=128)
def _titles(pk: int, digest: str, language: str) -> dict[str, str]:
    version = InstrumentVersion.objects.get(pk=pk)
    return titles(version.definition, model_for(version).root, language)


def checker(version: InstrumentVersion, language: str = "kk", now: datetime | None = None) -> xform.Checker:
    """The checker of one version (its compiled form, files and titles are kept between requests:
    a version never changes once saved)."""
    model = model_for(version)
    if version.pk is not None:
        digest = (
            version.content_digest or hashlib.md5(version.xform.encode(), usedforsecurity=False).hexdigest()
        )
        files, names = _version_data(version.pk, digest), _titles(version.pk, digest, language)
    else:
        files, names = {}, titles(version.definition, model.root, language)
    return xform.Checker(
        model,
        files=files,
        language=itext_language(model, language),
        messages=messages(),
        titles=names,
        now=timezone.localtime(now or timezone.now()),
    )


def preloads(
    *, started: datetime | None = None, username: str = "", device_id: str = ""
) -> Callable[[Node, xform.Bind], str | None]:
    """Metadata the server fills for a web or paper response (a device fills its own): start, end,
    today, deviceid, username; what a browser does not have (phone number, SIM) stays empty."""
    now = timezone.localtime()

    def fill(node: Node, bind: xform.Bind) -> str | None:
        match (bind.preload, bind.preload_params):
            case ("timestamp", "start"):
                return node.text or format_datetime(timezone.localtime(started) if started else now)
            case ("timestamp", "end"):
                return format_datetime(now)
            case ("date", "today"):
                return node.text or now.date().isoformat()
            case ("property", "deviceid"):
                return device_id
            case ("property", "username"):
                return username
            case ("uid", _):
                return node.text
            case ("property", _):
                return ""
        return None

    return fill


def check(
    version: InstrumentVersion,
    raw: Mapping[str, Any] | None = None,
    language: str = "kk",
    *,
    instance: Node | None = None,
    attachments: Mapping[str, bytes] | None = None,
    fill: Callable[[Node, xform.Bind], str | None] | None = None,
    live: bool = False,
) -> Checked:
    """Check one response: `raw` keyed by path (web form, paper) or `instance`, a device's XML."""
    run = checker(version, language)
    unknown: list[str] = []
    if instance is not None:
        doc, unknown = run.from_device(instance)
    else:
        doc = run.from_fields(raw or {})
    outcome = run.check(
        doc, device=instance is not None, live=live, fill=fill, attachments=(attachments or {}).keys()
    )
    errors = dict(outcome.errors)
    for path in unknown:
        errors.setdefault(path, messages().unknown_field(path))
    return Checked(
        answers=outcome.answers if not errors else {}, errors=errors, files=outcome.files, outcome=outcome
    )
