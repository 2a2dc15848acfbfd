"""Reading a release from a file: UTF-8 text or .docx, with clear refusals for what is not a text.

.docx is read as the zip it is: the text of word/document.xml's w:t runs, paragraph by paragraph,
which is all extraction needs and keeps python-docx out of the dependencies.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import IO

from defusedxml import (
    DefusedXmlException,
    ElementTree,  # a .docx comes from outside: no entity expansion
)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class UnreadableDocument(ValueError):
    """The file cannot give a release's text; `reason` is a stable code, `detail` the specifics."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


def _docx_text(source: Path | IO[bytes]) -> str:
    try:
        with zipfile.ZipFile(source) as archive:
            xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise UnreadableDocument("bad_docx", str(error)) from error
    try:
        # The document comes from the user: no DTD at all (entities, external references).
        root = ElementTree.fromstring(xml, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise UnreadableDocument("bad_docx", str(error)) from error
    paragraphs = []
    for paragraph in root.iter(f"{_W}p"):
        runs = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                runs.append(node.text)
            elif node.tag in (f"{_W}tab",):
                runs.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                runs.append("\n")
        paragraphs.append("".join(runs))
    return "\n".join(paragraphs)


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data[:8192]:
        return True
    sample = data[:8192].decode("utf-8", errors="replace")
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    return controls > len(sample) * 0.02


def read_text(path: Path) -> str:
    """The text of a .txt (UTF-8, BOM allowed) or .docx file; UnreadableDocument otherwise."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableDocument("unreadable", error.strerror or str(error)) from error
    return read_bytes(data)


def read_bytes(data: bytes) -> str:
    """read_text for a file already in memory (an upload)."""
    if data.startswith(b"PK\x03\x04"):
        text = _docx_text(io.BytesIO(data))
    else:
        if _looks_binary(data):
            raise UnreadableDocument("binary")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UnreadableDocument("not_utf8", str(error)) from error
    if not text.strip():
        raise UnreadableDocument("empty")
    return text
