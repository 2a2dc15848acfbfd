"""The command line: read each file, extract its events, print one JSON line per file.

Shared by `kelisim extract` (the Django management command) and `python -m kelisim.text.extract`
(no Django needed). A file that cannot be read as a Kazakh or Russian release gets a message on
stderr, a line with no events and an "error" code on stdout, and makes the exit status 1.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from . import NotAPressRelease, extract_events
from .language import Language, detect_language
from .latin import is_kazakh_latin
from .reading import UnreadableDocument, read_text


def _(message: str) -> str:
    """Django's gettext when Django is configured (the management command), the message itself otherwise."""
    try:
        from django.conf import settings

        if settings.configured:
            from django.utils.translation import gettext

            return gettext(message)
    except ImportError:  # the extractor runs without Django too
        pass
    return message


def _looks_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum("a" <= c.lower() <= "z" for c in letters) > len(letters) / 2


def explain(reason: str, path: str, detail: str = "") -> str:
    """A message for the person who gave the file: what is wrong and what to do."""
    messages = {
        "empty": _("%(path)s: the file is empty; there is no press release to read."),
        "binary": _("%(path)s: this is not a text file; give a press release as .txt (UTF-8) or .docx."),
        "not_utf8": _("%(path)s: the text is not in UTF-8; save it as UTF-8 text or .docx and try again."),
        "bad_docx": _("%(path)s: the .docx file cannot be opened (%(detail)s)."),
        "unreadable": _("%(path)s: the file cannot be read (%(detail)s)."),
        "too_short": _("%(path)s: the text is too short to be a press release."),
        "english": _(
            "%(path)s: the text looks English; only press releases in Kazakh or Russian can be read."
        ),
        "language": _(
            "%(path)s: the text is neither Kazakh nor Russian; only those two languages can be read."
        ),
    }
    return messages[reason] % {"path": path, "detail": detail}


def extract_file(
    path: Path, language: Language | None, pub_date: dt.date | None
) -> tuple[dict[str, object], str | None]:
    """The output line for one file, and the error message if it could not be read."""
    try:
        text = read_text(path)
        detected = "kk" if is_kazakh_latin(text) else detect_language(text)
        if detected is None:
            letters = sum(c.isalpha() for c in text)
            reason = "too_short" if letters < 20 else "english" if _looks_latin(text) else "language"
            raise NotAPressRelease(reason)
        events = extract_events(text, language or detected, pub_date)
    except UnreadableDocument as error:
        return {"file": str(path), "events": [], "error": error.reason}, explain(
            error.reason, str(path), error.detail
        )
    except NotAPressRelease as error:
        reason = str(error) if str(error) in ("english", "language", "too_short") else "language"
        return {"file": str(path), "events": [], "error": reason}, explain(reason, str(path))
    return {"file": str(path), "language": language or detected, "events": events}, None


def run(
    paths: Iterable[str], language: Language | None, pub_date: dt.date | None, out: TextIO, err: TextIO
) -> int:
    """Process every file; 0 when all were read, 1 when any was refused."""
    status = 0
    for name in paths:
        line, problem = extract_file(Path(name), language, pub_date)
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        if problem:
            err.write(problem + "\n")
            status = 1
    out.flush()
    return status
