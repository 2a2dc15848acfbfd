"""XML from outside (ODK submissions, the parts of an uploaded DOCX) is read here and nowhere else.

A document type declaration is refused outright (it carries entity expansion and external
references, and no ODK submission or Office part needs one), and so is nesting deeper than
MAX_DEPTH: code walking the tree recursively would otherwise run out of stack (a submission nested
1,500 deep was a server error). The depth is counted while parsing, so a deep document is refused
before its tree is complete.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import IO, TYPE_CHECKING, Any

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from defusedxml.ElementTree import ParseError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element  # nosec B405 - the type of what defusedxml returns

# ODK groups nest a handful of levels; an Office part (tables in tables) a few dozen.
MAX_DEPTH = 100
# The parts of an Office file are read whole: their sum is bounded (a small zip can unpack huge).
MAX_OFFICE_XML_BYTES = 50 * 1024 * 1024


class UnsafeXml(ValueError):
    """The XML is refused; `reason` is one of "dtd", "too_deep", "malformed", "too_large"."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)

    def message(self, name: str) -> str:
        """The refusal for people, naming the field or file part `name`."""
        values = {"name": name[:80], "depth": MAX_DEPTH}
        if self.reason == "dtd":
            return _("“%(name)s” holds a document type declaration (DTD), which is not accepted.") % values
        if self.reason == "too_deep":
            return _("“%(name)s” is nested more than %(depth)d levels deep.") % values
        if self.reason == "too_large":
            return _("“%(name)s” unpacks to more than the limit for a document.") % values
        return _("“%(name)s” is not well-formed XML.") % values


def parse(data: bytes, *, max_depth: int = MAX_DEPTH) -> Element:
    """The root of `data`, or UnsafeXml."""
    depth = 0
    root: Element | None = None
    try:
        events = SafeElementTree.iterparse(
            io.BytesIO(data), events=("start", "end"), forbid_dtd=True, forbid_entities=True
        )
        for event, element in events:
            if event == "start":
                depth += 1
                if depth > max_depth:
                    raise UnsafeXml("too_deep")
                if root is None:
                    root = element
            else:
                depth -= 1
    except DefusedXmlException:
        raise UnsafeXml("dtd") from None
    except ParseError:
        raise UnsafeXml("malformed") from None
    if root is None:
        raise UnsafeXml("malformed")
    return root


def check_office_file(file: IO[bytes] | Any) -> None:
    """Every XML part of a DOCX/XLSX (a zip) must pass `parse`; UnsafeXml names the first that fails
    through its `part` attribute. A file that is not a zip is left to the reader to refuse."""
    try:
        with zipfile.ZipFile(file) as archive:
            parts = [i for i in archive.infolist() if i.filename.endswith((".xml", ".rels"))]
            if sum(i.file_size for i in parts) > MAX_OFFICE_XML_BYTES:
                error = UnsafeXml("too_large")
                error.part = parts[0].filename if parts else ""  # type: ignore[attr-defined]
                raise error
            for info in parts:
                try:
                    parse(archive.read(info))
                except UnsafeXml as error:
                    error.part = info.filename  # type: ignore[attr-defined]
                    raise
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, NotImplementedError, zlib.error):
        return  # not a readable zip: the reader refuses it in its own words
    finally:
        if hasattr(file, "seek"):
            file.seek(0)
