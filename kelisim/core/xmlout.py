"""Writing XML for clients (Open311's XML format): built as a tree and serialized by the standard
library, so every value is escaped; characters XML 1.0 cannot carry are dropped, never written."""

import re
from collections.abc import Mapping
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring  # nosec B405 - writing, not parsing

# What XML 1.0 allows: tab, newline, carriage return and the rest from U+0020, less the surrogates
# and U+FFFE/U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: Element, value: Any, items: Mapping[str, str]) -> None:
    if isinstance(value, Mapping):
        for key, child in value.items():
            _fill(SubElement(element, key), child, items)
    elif isinstance(value, list | tuple):
        tag = items.get(element.tag, "item")
        for child in value:
            _fill(SubElement(element, tag), child, items)
    else:
        element.text = _text(value)


def xml_document(root: str, value: Any, items: Mapping[str, str] | None = None) -> bytes:
    """`value` (mappings, lists, scalars) under `<root>`, UTF-8 with its declaration.

    A list's elements are named by `items[parent tag]` (`{"services": "service"}`), else `item`;
    None is an empty element and a boolean `true`/`false`.
    """
    element = Element(root)
    _fill(element, value, items or {})
    return tostring(element, encoding="utf-8", xml_declaration=True)
