"""The respondent's web form: what the page shows for each node of the instance (labels, hints,
media, appearances, choices after their filter, defaults, messages), and the state the page asks
for while the respondent types — relevance, choice lists, constraint messages, calculated values,
repeat counts — computed by the same checker that stores the response (`xform.Checker`)."""

import re
from collections.abc import Callable
from typing import Any

from . import xform
from .forms import PRELOADS
from .xlsform import label
from .xpath import ExpressionError, Node

INPUTS = {
    "int": "integer",
    "decimal": "decimal",
    "date": "date",
    "time": "time",
    "dateTime": "datetime",
    "geopoint": "geopoint",
    "barcode": "text",
    "string": "text",
}
_REFERENCE = re.compile(r"\$\{([^}]+)\}")


def display(definition: dict[str, Any], root: str, language: str) -> dict[str, dict[str, Any]]:
    """What pyxform's JSON says of each element, by XForm path: label, hint, media, appearance…"""
    found: dict[str, dict[str, Any]] = {}
    lists = definition.get("choices", {})

    def visit(element: dict[str, Any], path: str) -> None:
        for child in element.get("children", []):
            child_path = f"{path}/{child['name']}"
            bind = child.get("bind") or {}
            control = child.get("control") or {}
            media = child.get("media") or {}
            choices = child.get("choices") or lists.get(child.get("itemset", ""), [])
            found[child_path] = {
                "name": child["name"],
                "type": child.get("type", ""),
                "label": label(child, language),
                "hint": label(child, language, "hint"),
                "guidance": label(child, language, "guidance_hint"),
                "appearance": str(control.get("appearance", "") or ""),
                "media": {kind: _media_name(value, language) for kind, value in media.items()},
                "choice_media": {
                    str(c.get("name")): {
                        k: _media_name(v, language) for k, v in (c.get("media") or {}).items()
                    }
                    for c in choices
                    if isinstance(c, dict) and c.get("media")
                },
                "required_message": label(bind, language, "jr:requiredMsg"),
                "constraint_message": label(bind, language, "jr:constraintMsg"),
                "parameters": child.get("parameters") or {},
            }
            visit(child, child_path)

    visit(definition, f"/{root}")
    return found


def _media_name(value: Any, language: str) -> str:
    if isinstance(value, dict):
        return str(label({"label": value}, language))
    return str(value or "")


class Page:
    """One rendering of the form for an instance: a tree of items for the template, and the state."""

    def __init__(
        self,
        checker: xform.Checker,
        definition: dict[str, Any],
        language: str,
        media_url: Callable[[str], str],
    ) -> None:
        self.checker = checker
        self.model = checker.model
        self.elements = display(definition, self.model.root, language)
        self.media_url = media_url

    # state --------------------------------------------------------------------------------------------------

    def state(self, outcome: xform.Outcome) -> dict[str, Any]:
        """What the page script applies as the respondent types."""
        doc = outcome.document
        choices: dict[str, list[list[str]]] = {}
        labels: dict[str, str] = {}
        for node in doc.iter():
            if node.kind != "element" or node.parent is None or node.parent.kind == "document":
                continue
            key = self.checker.key(node)
            control = self.model.controls.get(node.path())
            if control is not None and control.itemset is not None and control.tag in ("select1", "select"):
                choices[key] = [[v, text] for v, text in self._options(node)]
            element = self.elements.get(node.path())
            if element and "${" in element["label"]:
                labels[key] = self._label(element["label"], node)
        return {
            "relevant": outcome.relevant,
            "errors": outcome.errors,
            "choices": choices,
            "values": outcome.values,
            "counts": outcome.counts,
            "labels": labels,
        }

    def _options(self, node: Node) -> list[tuple[str, str]]:
        try:
            return self.checker.options(node) or []
        except ExpressionError:
            return []

    def _label(self, text: str, node: Node) -> str:
        """A label with ${name} replaced by that question's value (the nearest one, in a repeat)."""

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            candidates = [n for n in node.document().iter() if n.name == name and not n.children]
            if not candidates:
                return ""
            ancestors = set(map(id, node.ancestors()))
            near = [
                c
                for c in candidates
                if any(id(a) in ancestors for a in c.ancestors() if a.parent is not None)
            ]
            chosen = (near or candidates)[0]
            return chosen.text

        return _REFERENCE.sub(value, text)

    # layout -------------------------------------------------------------------------------------------------

    def items(self, outcome: xform.Outcome, errors: dict[str, str] | None = None) -> list[dict[str, Any]]:
        errors = errors if errors is not None else outcome.errors
        root = outcome.document.children[0]
        return self._children(root, outcome, errors)

    def _children(self, node: Node, outcome: xform.Outcome, errors: dict[str, str]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        done: set[str] = set()
        for child in node.children:
            path = child.path()
            if path in self.model.repeats:
                if path in done:
                    continue
                done.add(path)
                found.append(self._repeat(node, path, outcome, errors))
                continue
            item = self._item(child, outcome, errors)
            if item is not None:
                found.append(item)
        for path in self.model.repeats:  # a repeat with no instance yet still shows its button
            if path.rpartition("/")[0] == node.path() and path not in done:
                position = self.model.order.get(node.path(), []).index(path.rpartition("/")[2])
                item = self._repeat(node, path, outcome, errors)
                names = self.model.order.get(node.path(), [])
                at = sum(1 for f in found if f.get("name") in names[:position])
                found.insert(at, item)
        return found

    def _repeat(
        self, parent: Node, path: str, outcome: xform.Outcome, errors: dict[str, str]
    ) -> dict[str, Any]:
        element = self.elements.get(path, {})
        instances = [c for c in parent.children if c.path() == path]
        prefix = self.checker.key(parent)
        name = path.rpartition("/")[2]
        key = f"{prefix}/{name}" if prefix else name
        prototype = self.model.prototypes[path].copy()
        prototype.parent = parent
        return {
            "kind": "repeat",
            "name": name,
            "key": key,
            "label": element.get("label", ""),
            "hint": element.get("hint", ""),
            "fixed": bool(self.model.repeats[path]),
            "count": outcome.counts.get(key),
            "instances": [
                {
                    "number": i,
                    "key": self.checker.key(instance),
                    "relevant": outcome.relevant.get(self.checker.key(instance), True),
                    "children": self._children(instance, outcome, errors),
                }
                for i, instance in enumerate(instances, start=1)
            ],
            "blank": self._blank(prototype, key),
            "error": errors.get(key, ""),
        }

    def _blank(self, prototype: Node, key: str) -> list[dict[str, Any]]:
        """The items of a new instance, numbered __N__ for the page script to fill in."""
        empty = xform.Outcome(prototype.document())
        items = self._children(prototype, empty, {})
        marker = f"{key}[__N__]"

        def renumber(entries: list[dict[str, Any]]) -> None:
            for entry in entries:
                for field in ("key",):
                    if isinstance(entry.get(field), str):
                        entry[field] = re.sub(rf"^{re.escape(key)}(\[\d+\])?", marker, entry[field], count=1)
                renumber(entry.get("children", []))
                for instance in entry.get("instances", []):
                    renumber(instance.get("children", []))

        renumber(items)
        return items

    def _item(self, node: Node, outcome: xform.Outcome, errors: dict[str, str]) -> dict[str, Any] | None:
        path = node.path()
        element = self.elements.get(path, {})
        kind = element.get("type", "")
        if node.name == "meta" or kind in ("calculate", "hidden") or kind in PRELOADS:
            return None
        key = self.checker.key(node)
        relevant = outcome.relevant.get(key, True)
        base = {
            "name": node.name,
            "key": key,
            "relevant": relevant,
            "label": self._label(element.get("label", ""), node) if element else node.name,
            "dynamic_label": "${" in element.get("label", ""),
            "hint": element.get("hint", ""),
            "guidance": element.get("guidance", ""),
            "appearance": element.get("appearance", ""),
            "media": {k: self.media_url(v) for k, v in element.get("media", {}).items() if v},
            "error": errors.get(key, ""),
        }
        if path in self.model.groups or node.children:
            if path not in self.model.groups and not self.elements.get(path):
                return None
            return {**base, "kind": "group", "children": self._children(node, outcome, errors)}
        bind = self.model.binds.get(path) or xform.Bind(path)
        control = self.model.controls.get(path)
        if control is None:
            return None
        readonly = bool(bind.readonly and bind.readonly.strip() not in ("false()",))
        widget = self._widget(control, bind, element, readonly)
        item = {
            **base,
            "kind": "question",
            "widget": widget,
            "value": node.text,
            "values": node.text.split(),
            "required": bool(bind.required and bind.required.strip() != "false()"),
            "required_message": element.get("required_message", ""),
            "constraint_message": element.get("constraint_message", ""),
            "readonly": readonly,
            "accept": control.mediatype,
            "min": control.start,
            "max": control.end,
            "step": control.step or ("any" if bind.type == "decimal" else None),
        }
        if widget in ("radio", "checkbox", "dropdown", "multi-dropdown"):
            media = element.get("choice_media", {})
            item["choices"] = [
                {
                    "value": value,
                    "label": text,
                    "media": {k: self.media_url(v) for k, v in media.get(value, {}).items() if v},
                }
                for value, text in self._options(node)
            ]
            item["filtered"] = control.itemset is not None and "[" in control.itemset
        return item

    @staticmethod
    def _widget(control: xform.Control, bind: xform.Bind, element: dict[str, Any], readonly: bool) -> str:
        appearance = element.get("appearance", "")
        if control.tag == "trigger":
            return "acknowledge"
        if control.tag == "upload":
            return "file"
        if control.tag == "select1":
            return "dropdown" if re.search(r"\b(minimal|autocomplete)\b", appearance) else "radio"
        if control.tag == "select":
            return "multi-dropdown" if "minimal" in appearance else "checkbox"
        if control.tag == "range":
            return "integer" if bind.type == "int" else "decimal"
        if readonly and element.get("type") == "note":
            return "note"
        if bind.type == "string" and "multiline" in appearance:
            return "textarea"
        if bind.type == "date" and "month-year" in appearance:
            return "month"
        return INPUTS.get(bind.type, "text")
