"""An XForm as the server runs it: the model compiled from pyxform's XForm (binds, body controls,
repeats, secondary instances, translations), and one submission checked against it as ODK Collect
and Enketo would check it — calculations, relevance (a hidden group hides everything in it),
required, types, choice lists with their filters, constraints and repeat counts.

The same check serves the three ways answers arrive: a device's instance (OpenRosa), the web form
(also while the respondent types, `live=True`), and a typist's paper entry. Answers come out keyed by
their path under the form's root (`g1/age`), a repeat as a list of its instances, each keyed by the
path inside it, so the same name may stand in two groups.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from defusedxml import ElementTree as SafeET

from . import xpath
from .xpath import Env, ExpressionError, Node, document

XF = "http://www.w3.org/2002/xforms"
H = "http://www.w3.org/1999/xhtml"
JR = "http://openrosa.org/javarosa"
ORX = "http://openrosa.org/xforms"
ODK = "http://www.opendatakit.org/xforms"

EXPRESSION_ATTRIBUTES = ("relevant", "constraint", "calculate", "required", "readonly")
CONTROL_TAGS = {"input", "select1", "select", "upload", "trigger", "range", "rank"}
META_FILLED = {"instanceID", "deprecatedID"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(element: Any, name: str, namespace: str = "") -> str | None:
    value = element.get(f"{{{namespace}}}{name}" if namespace else name)
    return value if value is None else str(value)


@dataclass
class Bind:
    path: str
    type: str = "string"
    relevant: str | None = None
    constraint: str | None = None
    calculate: str | None = None
    required: str | None = None
    readonly: str | None = None
    constraint_msg: str | None = None
    required_msg: str | None = None
    preload: str | None = None
    preload_params: str | None = None


@dataclass
class Control:
    path: str
    tag: str
    appearance: str = ""
    mediatype: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)  # inline (value, label or itext ref)
    itemset: str | None = None
    value_ref: str = "name"
    label_ref: str = "label"
    start: str | None = None
    end: str | None = None
    step: str | None = None
    query: str | None = None


@dataclass
class Problem:
    """Something in a form the server cannot honour; `where` names the bind or control."""

    where: str
    text: str


@dataclass
class Model:
    form_id: str
    version: str
    title: str
    root: str
    template: Node  # the primary instance under its document, repeat templates taken out
    prototypes: dict[str, Node]  # repeat path -> the template of one instance
    binds: dict[str, Bind]
    controls: dict[str, Control]
    repeats: dict[str, str | None]  # repeat path -> jr:count expression
    groups: set[str]
    setvalues: list[tuple[str, str, str]]  # (event, ref, value expression)
    inline: dict[str, Node]  # secondary instances written in the form
    external: dict[str, str]  # secondary instance id -> file name (jr://file-csv/x.csv)
    itext: dict[str, dict[str, dict[str, str]]]  # language -> text id -> form -> text
    attributes: dict[str, str]  # submission attributes (encryption) and the like
    actions: list[str]  # action elements the server does not run (odk:setgeopoint, ...)
    order: dict[str, list[str]]  # node path -> the names of its children, repeats included, in order

    @property
    def languages(self) -> list[str]:
        return list(self.itext)

    def instances(self, files: Mapping[str, bytes]) -> dict[str, Node]:
        found = dict(self.inline)
        for name, filename in self.external.items():
            content = files.get(filename)
            if content is not None:
                found[name] = secondary_from_file(filename, content)
        return found

    def bind_for(self, node: Node) -> Bind | None:
        return self.binds.get(node.path())

    def paths(self) -> set[str]:
        found = {n.path() for n in self.template.iter() if n.kind == "element"}
        for prototype in self.prototypes.values():
            found |= {n.path() for n in prototype.iter()}
        return found


def _strip_repeats(
    node: Node, repeats: set[str], prototypes: dict[str, Node], order: dict[str, list[str]]
) -> None:
    """Take every repeat instance (pyxform writes the jr:template and a first one) out of the
    template, keeping one as the prototype of an instance and the order of each node's children."""
    order[node.path()] = list(dict.fromkeys(c.name for c in node.children))
    kept = []
    for child in node.children:
        path = child.path()
        if path in repeats:
            if path not in prototypes:
                prototypes[path] = child
                _strip_repeats(child, repeats, prototypes, order)
            continue
        kept.append(child)
    node.children = kept
    for child in kept:
        _strip_repeats(child, repeats, prototypes, order)


def _to_node(element: Any, parent: Node | None = None) -> Node:
    node = Node(_local(element.tag), (element.text or "").strip() if len(element) == 0 else "", parent)
    for key, value in element.attrib.items():
        node.attributes[_local(key)] = value
    for child in element:
        _to_node(child, node)
    return node


def compile_xform(text: str) -> Model:
    """The model of a pyxform XForm. Raises ValueError if it is not an XForm."""
    root = SafeET.fromstring(text.encode("utf-8") if isinstance(text, str) else text)
    head = root.find(f"{{{H}}}head")
    body = root.find(f"{{{H}}}body")
    model = head.find(f"{{{XF}}}model") if head is not None else None
    if model is None or body is None:
        raise ValueError("not an XForm")
    title = head.findtext(f"{{{H}}}title") or "" if head is not None else ""
    primary = None
    inline: dict[str, Node] = {}
    external: dict[str, str] = {}
    for instance in model.findall(f"{{{XF}}}instance"):
        ident = instance.get("id")
        if ident is None:
            primary = primary if primary is not None else instance
            continue
        src = instance.get("src")
        if src:
            external[ident] = src.rsplit("/", 1)[-1]
        elif len(instance):
            inline[ident] = document(_to_node(instance[0]))
    if primary is None or not len(primary):
        raise ValueError("no primary instance")
    data = primary[0]
    template = document(_to_node(data))
    root_node = template.children[0]
    repeats: dict[str, str | None] = {}
    groups: set[str] = set()
    controls: dict[str, Control] = {}
    actions: list[str] = []

    def visit(element: Any) -> None:
        tag = _local(element.tag)
        if tag == "repeat":
            repeats[element.get("nodeset", "")] = element.get(f"{{{JR}}}count")
        elif tag == "group" and element.get("ref"):
            groups.add(element.get("ref"))
        elif tag in CONTROL_TAGS and element.get("ref"):
            controls[element.get("ref")] = _control(element)
        if tag in ("setgeopoint", "recordaudio") or (tag == "setvalue" and element.get("event") is None):
            actions.append(tag)
        for child in element:
            if _local(child.tag) not in CONTROL_TAGS or tag in ("group", "repeat", "body"):
                visit(child)

    visit(body)
    binds: dict[str, Bind] = {}
    for element in model.findall(f"{{{XF}}}bind"):
        path = element.get("nodeset", "")
        bind = binds.setdefault(path, Bind(path))
        bind.type = _local(element.get("type") or bind.type).removeprefix("xsd:")
        for name in EXPRESSION_ATTRIBUTES:
            if element.get(name) is not None:
                setattr(bind, name, element.get(name))
        bind.constraint_msg = _attr(element, "constraintMsg", JR) or bind.constraint_msg
        bind.required_msg = _attr(element, "requiredMsg", JR) or bind.required_msg
        bind.preload = _attr(element, "preload", JR) or bind.preload
        bind.preload_params = _attr(element, "preloadParams", JR) or bind.preload_params
    setvalues = []
    for element in [*model.iter(f"{{{XF}}}setvalue"), *body.iter(f"{{{XF}}}setvalue")]:
        event = element.get("event", "")
        value = element.get("value")
        if value is None:
            value = f"'{element.text}'" if element.text and "'" not in element.text else "''"
        setvalues.append((event, element.get("ref", ""), value))
    for tag in ("setgeopoint", "recordaudio"):
        found = [*model.iter(f"{{{ODK}}}{tag}"), *body.iter(f"{{{ODK}}}{tag}")]
        actions.extend(tag for _element in found)
    prototypes: dict[str, Node] = {}
    order: dict[str, list[str]] = {}
    _strip_repeats(root_node, set(repeats), prototypes, order)
    for prototype in prototypes.values():
        prototype.attributes.pop("template", None)
    itext: dict[str, dict[str, dict[str, str]]] = {}
    for translation in model.iter(f"{{{XF}}}translation"):
        texts: dict[str, dict[str, str]] = {}
        for item in translation.findall(f"{{{XF}}}text"):
            forms = {}
            for value in item.findall(f"{{{XF}}}value"):
                forms[value.get("form", "")] = "".join(value.itertext()).strip()
            texts[item.get("id", "")] = forms
        itext[translation.get("lang", "")] = texts
    submission = model.find(f"{{{XF}}}submission")
    attributes = {_local(k): v for k, v in (submission.attrib.items() if submission is not None else [])}
    return Model(
        form_id=data.get("id", ""),
        version=data.get("version") or data.get(f"{{{ORX}}}version") or "",
        title=title,
        root=root_node.name,
        template=template,
        prototypes=prototypes,
        binds=binds,
        controls=controls,
        repeats=repeats,
        groups=groups,
        setvalues=setvalues,
        inline=inline,
        external=external,
        itext=itext,
        attributes=attributes,
        actions=actions,
        order=order,
    )


def _control(element: Any) -> Control:
    control = Control(
        path=element.get("ref", ""),
        tag=_local(element.tag),
        appearance=element.get("appearance", ""),
        mediatype=element.get("mediatype", ""),
        start=element.get("start"),
        end=element.get("end"),
        step=element.get("step"),
        query=element.get("query"),
    )
    for item in element.findall(f"{{{XF}}}item"):
        value = (item.findtext(f"{{{XF}}}value") or "").strip()
        label = item.find(f"{{{XF}}}label")
        ref = label.get("ref") if label is not None else None
        control.items.append(
            (value, ref or ("".join(label.itertext()).strip() if label is not None else value))
        )
    itemset = element.find(f"{{{XF}}}itemset")
    if itemset is not None:
        control.itemset = itemset.get("nodeset", "")
        value = itemset.find(f"{{{XF}}}value")
        label = itemset.find(f"{{{XF}}}label")
        control.value_ref = (value.get("ref") if value is not None else None) or "name"
        control.label_ref = (label.get("ref") if label is not None else None) or "label"
    return control


def secondary_from_file(filename: str, content: bytes) -> Node:
    """A CSV (first row: column names; ODK's convention) or XML file as a secondary instance."""
    if filename.lower().endswith(".csv"):
        text = content.decode("utf-8-sig")
        reader = csv.reader(io.StringIO(text))
        rows = list(reader)
        root = Node("root")
        if rows:
            header = [h.strip() for h in rows[0]]
            for row in rows[1:]:
                if not any(cell.strip() for cell in row):
                    continue
                item = Node("item", parent=root)
                for name, cell in zip(header, row, strict=False):
                    if name:
                        Node(name, cell.strip(), item)
        return document(root)
    element = SafeET.fromstring(content)
    return document(_to_node(element))


def csv_columns(content: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return [h.strip() for h in rows[0]] if rows else []


# --- checking one submission ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    document: Node
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # key (path with repeat numbers) -> message
    relevant: dict[str, bool] = field(default_factory=dict)
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)  # calculated and preloaded values
    counts: dict[str, int] = field(default_factory=dict)  # repeat key -> jr:count
    files: dict[str, str] = field(default_factory=dict)  # key -> attached file name


@dataclass
class Messages:
    """Translated texts the check needs; kept out of this module so that it stays free of Django."""

    required: Callable[[str], str]
    invalid: Callable[[str, str], str]
    constraint: Callable[[str], str]
    unknown_field: Callable[[str], str]
    repeat_count: Callable[[str, int], str]
    cannot_evaluate: Callable[[str, str], str]
    missing_file: Callable[[str, str], str]


class Checker:
    """Checks and completes instances of one form version."""

    def __init__(
        self,
        model: Model,
        *,
        files: Mapping[str, bytes] | None = None,
        language: str = "",
        messages: Messages,
        titles: Mapping[str, str] | None = None,
        now: datetime | None = None,
    ) -> None:
        self.model = model
        self.files = files or {}
        self.language = language
        self.messages = messages
        self.titles = titles or {}
        self.env = Env(
            instances=model.instances(self.files),
            choice_label=self.choice_label,
            itext=self.itext,
            language=language.split("(")[-1].rstrip(")") if "(" in language else language or "en",
            now=now,
        )
        self._document = model.template
        self._static: dict[str, list[tuple[str, str]]] = {}  # choice lists without a filter
        self._touched: set[str] = set()
        self._numbers: set[int] = set()  # calculated nodes whose value is a number

    # translations -------------------------------------------------------------------------------------------

    def itext(self, key: str, form: str = "") -> str:
        table = self.model.itext.get(self.language) or next(iter(self.model.itext.values()), {})
        forms = table.get(key) or {}
        return forms.get(form, "") if form else forms.get("", "") or next(iter(forms.values()), "")

    def text(self, value: str | None) -> str:
        """A message or label as written, or its translation when it is jr:itext('id')."""
        if not value:
            return ""
        match = re.fullmatch(r"\s*jr:itext\(\s*'([^']*)'\s*\)\s*", value)
        return self.itext(match.group(1)) if match else value

    def title(self, node: Node) -> str:
        return self.titles.get(node.path()) or node.name

    # choices ------------------------------------------------------------------------------------------------

    def options(self, node: Node) -> list[tuple[str, str]] | None:
        """The choices a select offers at this node now (its filter applied), or None if no select."""
        control = self.model.controls.get(node.path())
        if control is None or control.tag not in ("select1", "select", "rank"):
            return None
        static = "[" not in control.itemset if control.itemset else True
        if static and control.path in self._static:
            return self._static[control.path]
        found = self._options(node, control)
        if static:
            self._static[control.path] = found
        return found

    def _options(self, node: Node, control: Control) -> list[tuple[str, str]]:
        if control.itemset is None:
            return [
                (value, self.text(label) if label.startswith("jr:itext") else label)
                for value, label in control.items
            ]
        items = xpath.evaluate(control.itemset, node=node, env=self.env)
        if not isinstance(items, list):
            raise ExpressionError("the choice list is not a node-set")
        found = []
        for item in items:
            value = xpath.to_string(xpath.evaluate(control.value_ref, node=item, env=self.env))
            if control.label_ref.startswith("jr:itext"):
                key = xpath.to_string(
                    xpath.evaluate(control.label_ref.partition("(")[2].rstrip(") "), node=item, env=self.env)
                )
                label = self.itext(key)
            else:
                label = xpath.to_string(xpath.evaluate(control.label_ref, node=item, env=self.env))
            found.append((value, label))
        return found

    def choice_label(self, path: str, value: str) -> str:
        nodes = [n for n in self._document.iter() if n.path() == path.strip()]
        if not nodes:
            return ""
        try:
            options = self.options(nodes[0]) or []
        except ExpressionError:
            return ""
        return next((label for name, label in options if name == value), "")

    # building instances -------------------------------------------------------------------------------------

    def key(self, node: Node) -> str:
        """The path under the root, with the number of each repeat instance: hh[2]/age."""
        parts = []
        current: Node | None = node
        while current is not None and current.parent is not None and current.parent.kind != "document":
            part = current.name
            if current.path() in self.model.repeats:
                part += f"[{current.index()}]"
            parts.append(part)
            current = current.parent
        return "/".join(reversed(parts))

    def new_repeat(self, parent: Node, path: str) -> Node:
        prototype = self.model.prototypes[path]
        instance = prototype.copy()
        # Placed after the last instance of the same repeat, or where the template stood.
        siblings = [i for i, c in enumerate(parent.children) if c.name == instance.name]
        instance.parent = parent
        if siblings:
            parent.children.insert(siblings[-1] + 1, instance)
        else:
            order = self.model.order.get(parent.path(), [])
            position = len(parent.children)
            if instance.name in order:
                later = set(order[order.index(instance.name) + 1 :])
                position = next((i for i, c in enumerate(parent.children) if c.name in later), position)
            parent.children.insert(position, instance)
        for event, ref, value in self.model.setvalues:
            if event == "odk-new-repeat" and ref.startswith(path + "/"):
                for target in instance.iter():
                    if target.path() == ref:
                        target.text = xpath.to_string(xpath.evaluate(value, node=target, env=self.env))
        return instance

    def from_device(self, submitted: Node) -> tuple[Node, list[str]]:
        """The submitted instance laid over the form's template: missing nodes (Collect leaves out
        what is not relevant) come back empty; nodes the form does not have are reported."""
        doc = self.model.template.copy()
        unknown: list[str] = []
        self._merge(doc.children[0], submitted, unknown)
        return doc, unknown

    def _merge(self, target: Node, source: Node, unknown: list[str]) -> None:
        names = self.model.order.get(target.path(), [])
        for child in source.children:
            if child.name not in names:
                unknown.append(f"{target.path()}/{child.name}")
        for name in names:
            path = f"{target.path()}/{name}"
            given = [c for c in source.children if c.name == name]
            if path in self.model.repeats:
                for item in given:
                    instance = self.new_repeat(target, path)
                    self._merge(instance, item, unknown)
                continue
            node = target.child(name)
            if node is None or not given:
                if node is not None and not given and not node.children:
                    node.text = ""  # left out: not relevant on the device, or empty
                continue
            if node.children or path in self.model.groups or given[0].children:
                self._merge(node, given[0], unknown)
            else:
                node.text = given[0].text
        if not source.children and not target.children:
            target.text = source.text

    def from_fields(self, fields: Mapping[str, Any], *, first_load: bool = True, minimum: int = 0) -> Node:
        """An instance from keyed answers (web form, paper): {"g1/age": "34", "hh[2]/name": "Dana"}.
        Repeats get as many instances as the highest number given (or their jr:count)."""
        doc = self.model.template.copy()
        self._document = doc
        if first_load:
            self.first_load(doc)
        wanted: dict[str, int] = {}
        for key in fields:
            for match in re.finditer(r"([^/\[\]]+)\[(\d+)\]", key):
                prefix = key[: match.end()]
                base = re.sub(r"\[\d+\]$", "", prefix)
                wanted[base] = max(wanted.get(base, 0), min(int(match.group(2)), 500))
        self._grow(doc.children[0], wanted, "", minimum)
        readonly = {p for p, b in self.model.binds.items() if b.readonly and b.readonly.strip() != "false()"}
        for node in doc.iter():
            if (
                node.kind != "element"
                or node.children
                or node.parent is None
                or node.parent.kind == "document"
            ):
                continue
            key = self.key(node)
            bind = self.model.binds.get(node.path())
            if key not in fields:
                continue
            if node.path() in readonly and not (
                bind and bind.calculate and xpath.calls(bind.calculate) & {"once"}
            ):
                continue  # not the respondent's to change
            value = fields[key]
            if isinstance(value, list | tuple):
                value = " ".join(str(v) for v in value if str(v).strip())
            node.text = "" if value is None else str(value).strip()
        return doc

    def _grow(self, node: Node, wanted: Mapping[str, int], prefix: str, minimum: int) -> None:
        for child in list(node.children):
            key = f"{prefix}{child.name}"
            self._grow(child, wanted, f"{key}/", minimum)
        for path in self.model.repeats:
            parent_path, _sep, name = path.rpartition("/")
            if parent_path != node.path():
                continue
            base = f"{prefix}{name}"
            count = wanted.get(base, minimum if not self.model.repeats[path] else 0)
            for number in range(1, count + 1):
                instance = self.new_repeat(node, path)
                self._grow(instance, wanted, f"{base}[{number}]/", minimum)

    def first_load(self, doc: Node) -> None:
        for event, ref, value in self.model.setvalues:
            if "odk-instance-first-load" in event.split():
                for target in doc.iter():
                    if target.path() == ref:
                        target.text = xpath.to_string(xpath.evaluate(value, node=target, env=self.env))

    # the check ---------------------------------------------------------------------------------------------

    def check(
        self,
        doc: Node,
        *,
        device: bool = False,
        live: bool = False,
        fill: Callable[[Node, Bind], str | None] | None = None,
        attachments: Iterable[str] = (),
        touched: Iterable[str] = (),
    ) -> Outcome:
        """Complete and check an instance. `device`: values a device computed from the clock or chance
        are kept. `live`: a page being filled in, so an empty required answer is an error only once the
        respondent has been to that question (`touched`)."""
        self._touched = set(touched)
        self._document = doc
        self._numbers = set()
        outcome = Outcome(doc)
        root = doc.children[0]
        if fill is not None:
            for node in root.iter():
                bind = self.model.binds.get(node.path())
                if bind is not None and bind.preload:
                    filled = fill(node, bind)
                    if filled is not None:
                        node.text = filled
        submitted = {id(n): n.text for n in root.iter()}
        relevant: dict[int, bool] = {}
        for _round in range(8):
            before = [(n.text, relevant.get(id(n))) for n in root.iter()]
            relevant = {}
            self._counts(root, outcome, live)
            for node in root.iter():
                parent_ok = relevant.get(id(node.parent), True) if node.parent is not None else True
                bind = self.model.binds.get(node.path())
                shown = parent_ok
                if shown and bind is not None and bind.relevant:
                    shown = self._truth(bind.relevant, node, outcome, "relevant")
                relevant[id(node)] = shown
                if not shown:
                    if not node.children:
                        node.text = ""
                    continue
                if bind is not None and bind.calculate and not node.children:
                    keep = device and xpath.volatile(bind.calculate) and submitted.get(id(node))
                    if keep:
                        node.text = submitted[id(node)]
                    else:
                        try:
                            result = xpath.evaluate(bind.calculate, node=node, env=self.env)
                            node.text = _stored(result)
                            if isinstance(result, float) and not isinstance(result, bool):
                                self._numbers.add(id(node))
                        except ExpressionError as error:
                            outcome.errors[self.key(node)] = self.messages.cannot_evaluate(
                                self.title(node), error.message
                            )
                            node.text = ""
            after = [(n.text, relevant.get(id(n))) for n in root.iter()]
            if after == before:
                break
        attached = set(attachments)
        for node in root.iter():
            if node is root or node.kind != "element":
                continue
            key = self.key(node)
            shown = relevant.get(id(node), True)
            outcome.relevant[key] = shown
            if (
                not shown
                or node.children
                or node.path() in self.model.repeats
                or node.path() in self.model.groups
            ):
                continue
            self._check_leaf(node, key, outcome, live, attached)
        if not any(e for e in outcome.errors):
            outcome.answers = self._answers(root, relevant)
        return outcome

    def _truth(self, expression: str, node: Node, outcome: Outcome, what: str) -> bool:
        try:
            return xpath.truthy(expression, node=node, env=self.env)
        except ExpressionError as error:
            outcome.errors[self.key(node)] = self.messages.cannot_evaluate(self.title(node), error.message)
            return what == "relevant"  # shown, so that the error is seen; never a pass

    def _counts(self, root: Node, outcome: Outcome, live: bool) -> None:
        for path, count in self.model.repeats.items():
            if not count:
                continue
            parent_path = path.rpartition("/")[0]
            for parent in [n for n in root.document().iter() if n.path() == parent_path]:
                try:
                    wanted = xpath.to_number(xpath.evaluate(count, node=parent, env=self.env))
                except ExpressionError as error:
                    outcome.errors[self.key(parent) or path] = self.messages.cannot_evaluate(
                        path, error.message
                    )
                    continue
                n = int(wanted) if math.isfinite(wanted) and wanted > 0 else 0
                n = min(n, 500)
                key = (self.key(parent) + "/" if self.key(parent) else "") + path.rpartition("/")[2]
                outcome.counts[key] = n
                have = [c for c in parent.children if c.path() == path]
                if live:
                    while len(have) < n:
                        have.append(self.new_repeat(parent, path))
                    for extra in have[n:]:
                        parent.children.remove(extra)
                elif len(have) != n:
                    outcome.errors[key] = self.messages.repeat_count(key, n)

    def _check_leaf(self, node: Node, key: str, outcome: Outcome, live: bool, attached: set[str]) -> None:
        bind = self.model.binds.get(node.path())
        control = self.model.controls.get(node.path())
        title = self.title(node)
        try:
            options = self.options(node)
        except ExpressionError as error:
            outcome.errors[key] = self.messages.cannot_evaluate(title, error.message)
            return
        if options is not None and self.model.controls[node.path()].itemset is not None:
            outcome.choices[key] = options
        if bind is not None and (bind.calculate or bind.preload):
            outcome.values[key] = node.text
        value = node.text.strip()
        if not value:
            if (
                bind is not None
                and bind.required
                and (not live or key in self._touched)
                and self._truth(bind.required, node, outcome, "required")
            ):
                outcome.errors[key] = self.text(bind.required_msg) or self.messages.required(title)
            return
        kind = bind.type if bind is not None else "string"
        if (control is not None and control.tag in ("select1", "select")) or options is not None:
            kind = "select" if control is not None and control.tag == "select" else "select1"
        if control is not None and control.tag == "range":
            kind = "range"
        normal = normalize(kind, value, options=options, control=control)
        if normal is None:
            outcome.errors[key] = self.messages.invalid(title, value[:40])
            return
        node.text = normal
        if kind == "binary" and not live:
            if attached is not None and normal not in attached:
                outcome.errors[key] = self.messages.missing_file(title, normal)
                return
            outcome.files[key] = normal
        if (
            bind is not None
            and bind.constraint
            and not self._truth(bind.constraint, node, outcome, "constraint")
        ):
            outcome.errors.setdefault(key, self.text(bind.constraint_msg) or self.messages.constraint(title))

    def _answers(self, node: Node, relevant: Mapping[int, bool], prefix: str = "") -> dict[str, Any]:
        found: dict[str, Any] = {}
        for child in node.children:
            if not relevant.get(id(child), True):
                continue
            path = child.path()
            name = f"{prefix}{child.name}"
            if path in self.model.repeats:
                found.setdefault(name, []).append(self._answers(child, relevant))
                continue
            if child.children or path in self.model.groups:
                if child.name == "meta" and node.parent is not None and node.parent.kind == "document":
                    inner = {k: v for k, v in self._answers(child, relevant).items() if k not in META_FILLED}
                    found.update({f"meta/{k}": v for k, v in inner.items()})
                    continue
                found.update(self._answers(child, relevant, f"{name}/"))
                continue
            if child.text == "":
                continue
            bind = self.model.binds.get(path)
            kind = bind.type if bind else "string"
            if id(child) in self._numbers and kind == "string":
                kind = "int" if re.fullmatch(r"-?[0-9]+", child.text) else "decimal"
            found[name] = typed(kind, child.text)
        return found


def _stored(value: xpath.Value) -> str:
    """A calculation's result as the instance keeps it: NaN and infinities are no value."""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return xpath.to_string(value)


_INT = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")


def normalize(
    kind: str, value: str, *, options: list[tuple[str, str]] | None = None, control: Control | None = None
) -> str | None:
    """The value in the form the instance keeps, or None if it is not a value of this type."""
    try:
        match kind:
            case "int":
                if not _INT.fullmatch(value) or abs(int(value)) > 2**31 - 1:
                    return None
                return str(int(value))
            case "decimal":
                if not _DECIMAL.fullmatch(value):
                    return None
                number = float(value.replace(",", "."))
                return xpath.to_string(number) if math.isfinite(number) else None
            case "date":
                if re.fullmatch(r"\d{4}-\d{2}", value):  # a month-year answer
                    value = f"{value}-01"
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                    return None
                return date.fromisoformat(value).isoformat()
            case "time":
                match_ = re.fullmatch(r"(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", value)
                if not match_:
                    return None
                time(int(match_.group(1)), int(match_.group(2)), int(match_.group(3) or 0))
                return value
            case "dateTime":
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
                return value if moment else None
            case "geopoint":
                parts = value.split()
                if not 2 <= len(parts) <= 4:
                    return None
                numbers = [float(p) for p in parts]
                if not (-90 <= numbers[0] <= 90 and -180 <= numbers[1] <= 180):
                    return None
                return " ".join(parts)
            case "select1":
                names = {name for name, _ in options or []}
                return value if value in names else None
            case "select":
                picked = list(dict.fromkeys(value.split()))
                names = {name for name, _ in options or []}
                return " ".join(picked) if picked and all(p in names for p in picked) else None
            case "range":
                number = float(value.replace(",", "."))
                start = float(control.start) if control is not None and control.start else -math.inf
                end = float(control.end) if control is not None and control.end else math.inf
                step = float(control.step) if control is not None and control.step else 0.0
                low, high = min(start, end), max(start, end)
                if not low <= number <= high:
                    return None
                if step and math.isfinite(start):
                    steps = (number - start) / step
                    if abs(steps - round(steps)) > 1e-9:
                        return None
                return xpath.to_string(number)
            case "boolean":
                return value if value in ("true", "false", "1", "0") else None
            case "binary":
                return value if "/" not in value and "\\" not in value else None
            case "geotrace" | "geoshape":
                return value
    except (ValueError, OverflowError):
        return None
    return value


def typed(kind: str, text: str) -> Any:
    """How an answer is stored: integers and decimals as numbers, everything else as its text."""
    try:
        if kind == "int":
            return int(text)
        if kind == "decimal":
            return float(text)
    except ValueError:
        return text
    return text
