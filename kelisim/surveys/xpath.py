"""The one expression engine of the surveys: XPath 1.0 with the ODK XForms function library.

Every `relevant`, `constraint`, `calculation`, `choice_filter`, `required`, `repeat_count` and
dynamic `default` of a form goes through here: on upload (`parse`, which checks names, arities and
literal regular expressions, so that a form the engine cannot run is refused with its row), when a
submission from ODK Collect, the web form or a typist is checked (`evaluate` over the instance
tree, see `xform.py`), and while a respondent types in the web form (the page asks the server).
docs/adr/0006-odk-expression-engine.md says why it is ours and not a general XPath library.

Two ways in:

* Over an instance tree (`Node`): location paths (`/data/g/age`, `../name`, `.`, `..`, `//x`,
  `@id`, the parent, child, self, descendant(-or-self), ancestor(-or-self), attribute and sibling
  axes), predicates, unions, `instance('list')/root/item[...]` and `current()`, as ODK Collect and
  Enketo evaluate the binds of an XForm.
* Over plain values (`evaluate(expression, {"age": 21}, current=...)`): an XLSForm cell with
  `${name}` references and `.` for the answer being checked, without a tree. Paths select nothing.

Values are the XPath types: str, float (XPath numbers are doubles), bool and node-sets (lists of
`Node`, in document order). Conversions follow XPath 1.0 with the ODK extension of `number()`: a date
or date-time string converts to days since 1970-01-01 UTC, so dates compare and subtract.

An expression the engine cannot evaluate raises `ExpressionError`; nothing is ever taken as true
because it could not be computed. Hostile input is bounded: at most MAX_LENGTH characters and
MAX_DEPTH levels of nesting.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import itertools
import math
import operator
import re
import secrets
import string
import uuid as uuid_module
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, Final

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "Env",
    "ExpressionError",
    "Node",
    "Value",
    "evaluate",
    "function_names",
    "parse",
    "references",
    "to_boolean",
    "to_number",
    "to_string",
    "truthy",
]

MAX_LENGTH: Final = 2000
# Parentheses, function calls, unary minus, predicates, path steps and the right operand of a binary
# operator each count one level. A level costs a few Python frames to parse and to evaluate, so 64
# levels stay far inside the default recursion limit of 1000 even deep in a Django request.
MAX_DEPTH: Final = 64


class ExpressionError(ValueError):
    """The expression is malformed, or cannot be evaluated.

    `message` is short English for the caller to map to a translated text; `position` is the 0-based
    offset in the expression it refers to, or None when it is about the expression as a whole.
    """

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message if position is None else f"{message} at position {position}")
        self.message = message
        self.position = position


# --- the instance tree -------------------------------------------------------------------------------------


class Node:
    """An element (or the document above the root element, or an attribute) of an instance.

    Names are local names: ODK forms address the primary instance without namespace prefixes, and
    `orx:instanceID` matches `instanceID`.
    """

    __slots__ = ("attributes", "children", "kind", "name", "parent", "text")

    def __init__(self, name: str, text: str = "", parent: Node | None = None, kind: str = "element") -> None:
        self.name = name
        self.text = text
        self.kind = kind  # element, document or attribute
        self.parent = parent
        self.children: list[Node] = []
        self.attributes: dict[str, str] = {}
        if parent is not None and kind == "element":
            parent.children.append(self)

    def __repr__(self) -> str:
        return f"<Node {self.path()}>"

    def child(self, name: str) -> Node | None:
        return next((c for c in self.children if c.name == name), None)

    def value(self) -> str:
        """The XPath string-value: the text of a leaf, the text of every descendant otherwise."""
        if not self.children:
            return self.text
        return "".join(node.text for node in self.iter() if not node.children)

    def iter(self) -> Iterable[Node]:
        """This node and its descendants, in document order."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def ancestors(self) -> Iterable[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def document(self) -> Node:
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    def index(self) -> int:
        """1-based position among the siblings of the same name (a repeat instance's number)."""
        if self.parent is None or self.kind != "element":
            return 1
        number = 0
        for sibling in self.parent.children:
            if sibling.name == self.name:
                number += 1
            if sibling is self:
                return number
        return number

    def path(self, *, indexes: bool = False) -> str:
        """/data/g/age, or with indexes /data/hh[2]/age for the second repeat instance."""
        parts = []
        node: Node | None = self
        while node is not None and node.kind != "document":
            part = ("@" if node.kind == "attribute" else "") + node.name
            if indexes and node.kind == "element" and node.parent is not None:
                same = [c for c in node.parent.children if c.name == node.name]
                if len(same) > 1:
                    part += f"[{node.index()}]"
            parts.append(part)
            node = node.parent
        return "/" + "/".join(reversed(parts))

    def order(self) -> tuple[int, ...]:
        """A key that sorts nodes of one document into document order."""
        key: list[int] = []
        node = self
        while node.parent is not None:
            parent = node.parent
            if node.kind == "attribute":
                key.append(-1)
            else:
                key.append(next(i for i, c in enumerate(parent.children) if c is node))
            node = parent
        key.append(id(node))
        return tuple(reversed(key))

    def attribute(self, name: str) -> Node | None:
        if name not in self.attributes:
            return None
        node = Node(name, self.attributes[name], self, kind="attribute")
        return node

    def copy(self, parent: Node | None = None) -> Node:
        twin = Node(self.name, self.text, parent, self.kind)
        twin.attributes = dict(self.attributes)
        for child in self.children:
            child.copy(twin)
        return twin


def document(root: Node) -> Node:
    """Put an element under a document node, so that /root/... selects it."""
    top = Node("#document", kind="document")
    top.children.append(root)
    root.parent = top
    return top


NodeSet = list[Node]
Value = str | float | bool | NodeSet


@dataclass
class Env:
    """What an evaluation may ask of the form and of the moment: secondary instances, choice labels,
    translations, the clock and the language. One per submission or page being checked."""

    instances: Mapping[str, Node] = field(default_factory=dict)
    choice_label: Callable[[str, str], str] | None = None  # (question path, choice value) -> label
    itext: Callable[[str], str] | None = None
    language: str = "en"
    now: datetime | None = None
    tz: tzinfo | None = None

    def moment(self) -> datetime:
        if self.tz is not None:
            return (self.now or datetime.now(UTC)).astimezone(self.tz)
        return self.now if self.now is not None else datetime.now(UTC).astimezone()


_PLAIN_ENV: Final = Env()


# --- tokens ------------------------------------------------------------------------------------------------

# [0-9] rather than \d: \d also matches Arabic-Indic and other digits, which XPath numbers do not allow.
# Names are XML names (letters, digits, _ . -), so count-selected is one name and a-b is not a
# subtraction; an optional prefix keeps jr:choice-name together.
_TOKEN: Final = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)
    | '(?P<string1>[^']*)' | "(?P<string2>[^"]*)"
    | \$\{(?P<ref>[^\W\d][\w.\-]*)\}
    | (?P<name>[^\W\d][\w.\-]*(?::(?:[^\W\d][\w.\-]*|\*))?)
    | (?P<op>!=|<=|>=|//|::|\.\.|[=<>+\-*(),./@\[\]|])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # number, string, ref, name, op or end
    text: str  # for strings and references: the content, without the quotes or ${ }
    position: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            if text[position] in "'\"":
                raise ExpressionError("unterminated string", position)
            if text.startswith("${", position):
                raise ExpressionError("invalid reference", position)
            raise ExpressionError(f"unexpected character {text[position]!r}", position)
        group = match.lastgroup or ""
        if group != "space":
            kind = "string" if group.startswith("string") else group
            tokens.append(_Token(kind, match.group(group), position))
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _describe(token: _Token) -> str:
    match token.kind:
        case "end":
            return "end of expression"
        case "string":
            return "string"
        case "ref":
            return f"${{{token.text}}}"
        case _:
            return repr(token.text)


# --- syntax tree -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Literal:
    value: str | float


@dataclass(frozen=True, slots=True)
class Current:
    """`.` on its own: the context node, or the answer being checked when there is no tree."""


@dataclass(frozen=True, slots=True)
class Ref:
    name: str


@dataclass(frozen=True, slots=True)
class Negate:
    operand: Node_


@dataclass(frozen=True, slots=True)
class Logic:
    operator: str  # "and" or "or"
    operands: tuple[Node_, ...]


@dataclass(frozen=True, slots=True)
class Chain:
    """first op1 x1 op2 x2 ..., all operators of one precedence level, applied from the left; a loop
    rather than a recursion as deep as the expression is long."""

    first: Node_
    rest: tuple[tuple[str, Node_], ...]


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Node_, ...]
    position: int


@dataclass(frozen=True, slots=True)
class Step:
    axis: str  # child, parent, self, attribute, descendant, descendant-or-self, ...
    test: str  # a name, "*" or "node()" / "text()"
    predicates: tuple[Node_, ...]


@dataclass(frozen=True, slots=True)
class Path:
    """A location path; `start` is None for a relative path from the context node, "/" for the
    document, or an expression (a filter such as instance('x') or current()) the steps start from."""

    start: Node_ | str | None
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class Filter:
    primary: Node_
    predicates: tuple[Node_, ...]


@dataclass(frozen=True, slots=True)
class Union:
    operands: tuple[Node_, ...]


Node_ = Literal | Current | Ref | Negate | Logic | Chain | Call | Path | Filter | Union

# Binary operators from the loosest to the tightest binding (XPath 1.0, 3.4-3.5), all left-associative.
_LEVELS: Final = (("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod"))
_LEVEL: Final = {op: level for level, ops in enumerate(_LEVELS) for op in ops}
_AXES: Final = {
    "child",
    "parent",
    "self",
    "attribute",
    "descendant",
    "descendant-or-self",
    "ancestor",
    "ancestor-or-self",
    "following-sibling",
    "preceding-sibling",
}
_NODE_TYPES: Final = {"node", "text"}


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index = min(self.index + 1, len(self.tokens) - 1)  # stay on "end"
        return token

    def at(self, op: str, ahead: int = 0) -> bool:
        token = self.peek(ahead)
        return token.kind == "op" and token.text == op

    def enter(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("expression nested too deeply", token.position)

    def expect(self, op: str) -> None:
        if not self.at(op):
            raise ExpressionError(f"expected {op!r}", self.peek().position)
        self.advance()

    def parse(self) -> Node_:
        node = self.binary(0)
        if self.peek().kind != "end":
            raise ExpressionError(f"unexpected {_describe(self.peek())}", self.peek().position)
        return node

    def level(self) -> int:
        """The precedence level of the next token as a binary operator, or -1 if it is not one."""
        # In operator position "*" multiplies and "and", "or", "div", "mod" are operators (XPath 3.7).
        token = self.peek()
        return _LEVEL.get(token.text, -1) if token.kind in ("op", "name") else -1

    def binary(self, min_level: int) -> Node_:
        """Precedence climbing: an operand, then operators that bind at least as tightly as min_level."""
        node = self.unary()
        while (level := self.level()) >= min_level:
            rest: list[tuple[str, Node_]] = []
            while self.level() == level:
                op = self.advance()
                self.enter(op)
                rest.append((op.text, self.binary(level + 1)))
                self.depth -= 1
            if _LEVELS[level][0] in ("or", "and"):
                node = Logic(_LEVELS[level][0], (node, *(operand for _, operand in rest)))
            else:
                node = Chain(node, tuple(rest))
        return node

    def unary(self) -> Node_:
        if not self.at("-"):
            return self.union()
        self.enter(self.advance())
        node = Negate(self.unary())
        self.depth -= 1
        return node

    def union(self) -> Node_:
        node = self.path()
        if not self.at("|"):
            return node
        operands = [node]
        while self.at("|"):
            self.enter(self.advance())
            operands.append(self.path())
            self.depth -= 1
        return Union(tuple(operands))

    def starts_step(self) -> bool:
        token = self.peek()
        if token.kind == "op":
            return token.text in (".", "..", "@", "*")
        if token.kind != "name":
            return False
        if self.at("(", 1):
            return token.text in _NODE_TYPES
        return True

    def path(self) -> Node_:
        token = self.peek()
        if token.kind == "op" and token.text in ("/", "//"):
            self.advance()
            steps: list[Step] = []
            if token.text == "//":
                steps.append(Step("descendant-or-self", "node()", ()))
                steps.extend(self.steps(token))
            elif self.starts_step():
                steps.extend(self.steps(token))
            return Path("/", tuple(steps))
        if self.starts_step():
            steps = self.steps(token)
            if len(steps) == 1 and steps[0] == Step("self", "node()", ()):
                return Current()  # "." alone keeps its meaning without a tree
            return Path(None, tuple(steps))
        node = self.primary()
        predicates = self.predicates()
        if predicates:
            node = Filter(node, predicates)
        if self.at("/") or self.at("//"):
            return Path(node, tuple(self.steps(self.peek(), after_filter=True)))
        return node

    def steps(self, first: _Token, after_filter: bool = False) -> list[Step]:
        steps: list[Step] = []
        if after_filter:
            separator = self.advance()
            if separator.text == "//":
                steps.append(Step("descendant-or-self", "node()", ()))
        while True:
            if not self.starts_step():
                raise ExpressionError(f"unexpected {_describe(self.peek())}", self.peek().position)
            self.enter(self.peek())
            steps.append(self.step())
            self.depth -= 1
            if not (self.at("/") or self.at("//")):
                return steps
            if self.advance().text == "//":
                steps.append(Step("descendant-or-self", "node()", ()))

    def step(self) -> Step:
        token = self.advance()
        if token.kind == "op" and token.text == ".":
            return Step("self", "node()", ())
        if token.kind == "op" and token.text == "..":
            return Step("parent", "node()", ())
        axis = "child"
        if token.kind == "op" and token.text == "@":
            axis = "attribute"
            token = self.advance()
        elif token.kind == "name" and self.at("::"):
            if token.text not in _AXES:
                raise ExpressionError(f"unsupported axis {token.text!r}", token.position)
            axis = token.text
            self.advance()
            token = self.advance()
        if token.kind == "op" and token.text == "*":
            test = "*"
        elif token.kind == "name":
            test = token.text
            if token.text in _NODE_TYPES and self.at("("):
                self.advance()
                self.expect(")")
                test = f"{token.text}()"
        else:
            raise ExpressionError(f"unexpected {_describe(token)}", token.position)
        return Step(axis, test, self.predicates())

    def predicates(self) -> tuple[Node_, ...]:
        found = []
        while self.at("["):
            self.enter(self.advance())
            found.append(self.binary(0))
            self.expect("]")
            self.depth -= 1
        return tuple(found)

    def primary(self) -> Node_:
        token = self.advance()
        match token.kind:
            case "number":
                return Literal(float(token.text))
            case "string":
                return Literal(token.text)
            case "ref":
                return Ref(token.text)
            case "op" if token.text == "(":
                self.enter(token)
                node = self.binary(0)
                self.expect(")")
                self.depth -= 1
                return node
            case "name" if self.at("("):
                return self.call(token)
        raise ExpressionError(f"unexpected {_describe(token)}", token.position)

    def call(self, name: _Token) -> Node_:
        function = _FUNCTIONS.get(name.text)
        if function is None:
            raise ExpressionError(f"unknown function {name.text!r}", name.position)
        self.advance()  # the "("
        self.enter(name)
        args: list[Node_] = []
        starts: list[int] = []
        while not self.at(")"):
            if args:
                self.expect(",")
            starts.append(self.peek().position)
            args.append(self.binary(0))
        self.advance()  # the ")"
        self.depth -= 1
        most = len(args) if function.max_args is None else function.max_args
        if not function.min_args <= len(args) <= most or (function.even and len(args) % 2):
            raise ExpressionError(f"wrong number of arguments for {name.text}()", name.position)
        # A literal pattern is checked now, so that a bad regex is reported when the form is uploaded.
        if name.text == "regex" and isinstance(pattern := args[1], Literal):
            try:
                _compile_regex(to_string(pattern.value))
            except ExpressionError as error:
                raise ExpressionError(error.message, starts[1]) from None
        return Call(name.text, tuple(args), name.position)


@functools.lru_cache(maxsize=4096)
def parse(expression: str) -> Node_:
    """Parse an expression into a syntax tree (cached); raise ExpressionError if it is malformed."""
    if len(expression) > MAX_LENGTH:
        raise ExpressionError("expression too long")
    try:
        return _Parser(expression).parse()
    except RecursionError:  # only a safety net: MAX_DEPTH keeps the parser far from the limit
        raise ExpressionError("expression nested too deeply") from None


def _walk(node: Node_) -> Iterable[Node_]:
    stack: list[Node_] = [node]
    while stack:
        item = stack.pop()
        yield item
        match item:
            case Negate(operand):
                stack.append(operand)
            case Logic(_, operands) | Call(_, operands, _) | Union(operands):
                stack.extend(operands)
            case Chain(first, rest):
                stack.append(first)
                stack.extend(n for _, n in rest)
            case Filter(primary, predicates):
                stack.append(primary)
                stack.extend(predicates)
            case Path(start, steps):
                if start is not None and not isinstance(start, str):
                    stack.append(start)
                for step in steps:
                    stack.extend(step.predicates)


def references(expression: str) -> frozenset[str]:
    """The names referenced as ${name}, e.g. to order calculations by their dependencies."""
    return frozenset(n.name for n in _walk(parse(expression)) if isinstance(n, Ref))


def calls(expression: str) -> frozenset[str]:
    """The functions an expression calls."""
    return frozenset(n.name for n in _walk(parse(expression)) if isinstance(n, Call))


def paths(expression: str) -> list[Path]:
    """The location paths of an expression that start from the document or from the node the
    expression is about; not those inside predicates, whose context is another node."""
    found: list[Path] = []
    stack: list[Node_] = [parse(expression)]
    while stack:
        item = stack.pop()
        match item:
            case Path(start, _steps):
                if start is None or start == "/":
                    found.append(item)
                elif not isinstance(start, str):
                    stack.append(start)
            case Negate(operand):
                stack.append(operand)
            case Logic(_, operands) | Call(_, operands, _) | Union(operands):
                stack.extend(operands)
            case Chain(first, rest):
                stack.append(first)
                stack.extend(n for _, n in rest)
            case Filter(primary, _predicates):
                stack.append(primary)
    return found


VOLATILE: Final = frozenset({"now", "today", "random", "uuid", "randomize"})


def volatile(expression: str) -> bool:
    """Whether the value depends on the moment or on chance (so a device's value is kept)."""
    return bool(calls(expression) & VOLATILE)


# --- conversions (XPath 1.0, section 4, with the ODK date extension) ---------------------------------------

_NUMBER: Final = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_ISO_DATE: Final = re.compile(r"-?[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9:.]+(?:Z|[+-][0-9:]+)?)?")
_TIME: Final = re.compile(r"([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(Z|[+-][0-9]{2}:?[0-9]{2})?")
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_OFFSET: Final = re.compile(r"(?:Z|[+-][0-9]{2}:?[0-9]{2})$")


def _string_of(value: Value) -> str | float | bool:
    if isinstance(value, list):
        return value[0].value() if value else ""
    return value


def to_number(value: Value) -> float:
    """XPath number(): "" and non-numeric text are NaN; no exponents, no leading "+"; ISO dates and
    date-times are days since 1970-01-01 UTC (ODK)."""
    value = _string_of(value)
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    text = value.strip()
    if _NUMBER.fullmatch(text):
        return float(text)
    if _ISO_DATE.fullmatch(text):
        moment = _parse_moment(text)
        return math.nan if moment is None else (moment - _EPOCH).total_seconds() / 86400
    return math.nan


def _parse_moment(text: str) -> datetime | None:
    # Date-times without an offset are UTC, as ODK takes them when it converts to a number.
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def to_string(value: Value) -> str:
    """XPath string(): numbers without exponent or trailing zeros (40, not 40.0), booleans true/false,
    a node-set its first node's value."""
    value = _string_of(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value == 0:
            return "0"  # also for -0.0
        text = format(Decimal(repr(value)), "f")  # repr: the shortest digits that round-trip
        return text.rstrip("0").rstrip(".") if "." in text else text
    return value


def to_boolean(value: Value) -> bool:
    """XPath boolean(): a number is true unless 0 or NaN, a string unless empty (so "false" is true),
    a node-set unless empty."""
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    return value != ""


def _value(raw: Any) -> Value:
    """Normalise an answer given without a tree into an XPath value."""
    match raw:
        case None:
            return ""
        case bool() | str() | float():
            return raw
        case Node():
            return [raw]
        case int() | Decimal():
            try:
                return float(raw)
            except OverflowError:  # an int beyond the range of a double
                return math.inf if raw > 0 else -math.inf
        case date():  # datetime too, being a subclass
            return raw.isoformat()
        case list() | tuple() | set() | frozenset():  # a select_multiple given as a collection
            return " ".join(to_string(_value(item)) for item in raw)
        case _:
            return str(raw)


def _nodes(value: Value, what: str = "argument") -> NodeSet:
    if not isinstance(value, list):
        raise ExpressionError(f"{what} is not a node-set")
    return value


def _items(values: Sequence[Value]) -> list[Value]:
    """Arguments with node-sets opened into their nodes' values (concat, join, max, min, checklist)."""
    found: list[Value] = []
    for value in values:
        if isinstance(value, list):
            found.extend(node.value() for node in value)
        else:
            found.append(value)
    return found


# --- operators ---------------------------------------------------------------------------------------------


def _compare_atoms(op: str, a: str | float | bool, b: str | float | bool) -> bool:
    if op in ("=", "!="):
        # XPath 1.0, 3.4: a boolean makes it a boolean comparison, else a number a numeric one (NaN
        # equals nothing), else strings are compared.
        if isinstance(a, bool) or isinstance(b, bool):
            same = to_boolean(a) == to_boolean(b)
        elif isinstance(a, float) or isinstance(b, float):
            same = to_number(a) == to_number(b)
        else:
            same = a == b
        return same if op == "=" else not same
    return _RELATIONAL[op](to_number(a), to_number(b))


_RELATIONAL: Final[dict[str, Callable[[float, float], bool]]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _compare(op: str, a: Value, b: Value) -> bool:
    # A node-set compares true if any of its nodes does (XPath 1.0, 3.4); against a boolean the
    # node-set is converted to a boolean first.
    if isinstance(a, list) and isinstance(b, bool):
        a = to_boolean(a)
    if isinstance(b, list) and isinstance(a, bool):
        b = to_boolean(b)
    left: list[str | float | bool] = [n.value() for n in a] if isinstance(a, list) else [a]
    right: list[str | float | bool] = [n.value() for n in b] if isinstance(b, list) else [b]
    return any(_compare_atoms(op, x, y) for x in left for y in right)


def _divide(x: float, y: float) -> float:
    # IEEE 754, as XPath requires; Python would raise ZeroDivisionError.
    if y == 0:
        return math.nan if x == 0 or math.isnan(x) else math.copysign(math.inf, x) * math.copysign(1, y)
    return x / y


def _modulo(x: float, y: float) -> float:
    # XPath mod is the remainder of a truncating division (sign of the dividend), which is math.fmod;
    # fmod raises where IEEE gives NaN.
    if y == 0 or math.isinf(x):
        return math.nan
    return math.fmod(x, y)


_ARITHMETIC: Final[dict[str, Callable[[float, float], float]]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "div": _divide,
    "mod": _modulo,
}


# --- evaluation --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    node: Node | None  # the context node, None without a tree
    position: int
    size: int
    current: Node | None  # current(): the node whose bind is being evaluated
    values: Mapping[str, Any]  # ${name} -> answer, without a tree
    plain: Value  # "." without a tree
    env: Env

    def at(self, node: Node, position: int, size: int) -> _Context:
        return _Context(node, position, size, self.current, self.values, self.plain, self.env)


def _eval(node: Node_, ctx: _Context) -> Value:
    match node:
        case Literal(value):
            return value
        case Current():
            return [ctx.node] if ctx.node is not None else ctx.plain
        case Ref(name):
            if name in ctx.values or ctx.node is None:
                return _value(ctx.values.get(name))
            root = ctx.node.document()
            return [n for n in root.iter() if n.name == name and n.kind == "element"][:1]
        case Negate(operand):
            return -to_number(_eval(operand, ctx))
        case Logic("or", operands):  # any() and all() stop at the first operand that decides
            return any(to_boolean(_eval(o, ctx)) for o in operands)
        case Logic(_, operands):
            return all(to_boolean(_eval(o, ctx)) for o in operands)
        case Chain(first, rest):
            result = _eval(first, ctx)
            for op, operand in rest:
                right = _eval(operand, ctx)
                if op in _ARITHMETIC:
                    result = _ARITHMETIC[op](to_number(result), to_number(right))
                else:
                    result = _compare(op, result, right)
            return result
        case Call(name, args, position):
            function = _FUNCTIONS[name]
            try:
                if function.lazy:
                    return function.impl(ctx, *args)
                return function.impl(ctx, *[_eval(arg, ctx) for arg in args])
            except ExpressionError as error:  # raised without a position: it is the call's
                if error.position is not None:
                    raise
                raise ExpressionError(error.message, position) from None
        case Union(operands):
            found: dict[int, Node] = {}
            for operand in operands:
                for item in _nodes(_eval(operand, ctx), "an operand of |"):
                    found[id(item)] = item
            return sorted(found.values(), key=Node.order)
        case Filter(primary, predicates):
            nodes = _nodes(_eval(primary, ctx), "a filtered expression")
            for predicate in predicates:
                nodes = _predicate(nodes, predicate, ctx)
            return nodes
        case Path(start, steps):
            return _path(start, steps, ctx)
    raise AssertionError(f"unknown node {node!r}")  # pragma: no cover


def _predicate(nodes: NodeSet, predicate: Node_, ctx: _Context) -> NodeSet:
    kept = []
    for position, item in enumerate(nodes, start=1):
        result = _eval(predicate, ctx.at(item, position, len(nodes)))
        if isinstance(result, float) and not isinstance(result, bool):
            if result == position:
                kept.append(item)
        elif to_boolean(result):
            kept.append(item)
    return kept


def _axis(node: Node, axis: str) -> list[Node]:
    match axis:
        case "child":
            return node.children
        case "parent":
            return [node.parent] if node.parent is not None else []
        case "self":
            return [node]
        case "attribute":
            return [a for name in node.attributes if (a := node.attribute(name)) is not None]
        case "descendant":
            return list(node.iter())[1:]
        case "descendant-or-self":
            return list(node.iter())
        case "ancestor":
            return list(node.ancestors())
        case "ancestor-or-self":
            return [node, *node.ancestors()]
        case "following-sibling" | "preceding-sibling":
            if node.parent is None or node.kind != "element":
                return []
            siblings = node.parent.children
            index = next(i for i, c in enumerate(siblings) if c is node)
            return siblings[index + 1 :] if axis == "following-sibling" else list(reversed(siblings[:index]))
    raise AssertionError(axis)  # pragma: no cover


def _matches(node: Node, test: str) -> bool:
    if test == "node()":
        return True
    if test == "text()":
        return False  # values are read through their elements; ODK forms never select text nodes
    if node.kind == "document":
        return False
    if test == "*" or test.endswith(":*"):
        return True
    return node.name == test.rpartition(":")[2]


def _path(start: Node_ | str | None, steps: tuple[Step, ...], ctx: _Context) -> NodeSet:
    if start is None:
        if ctx.node is None:
            return []
        nodes = [ctx.node]
    elif start == "/":
        anchor = ctx.current or ctx.node
        if anchor is None:
            return []
        nodes = [anchor.document()]
    else:
        assert not isinstance(start, str)
        nodes = _nodes(_eval(start, ctx), "the start of a path")
    for step in steps:
        found: dict[int, Node] = {}
        for item in nodes:
            selected = [n for n in _axis(item, step.axis) if _matches(n, step.test)]
            for predicate in step.predicates:
                selected = _predicate(selected, predicate, ctx)
            for n in selected:
                found[id(n)] = n
        nodes = list(found.values())
        if len(nodes) > 1:
            nodes.sort(key=Node.order)
        if start == "/" and ctx.current is not None and len(nodes) > 1 and step.axis == "child":
            nodes = _in_same_repeat(nodes, ctx.current)
    return nodes


def _in_same_repeat(nodes: NodeSet, current: Node) -> NodeSet:
    """ODK's deviation from XForms 1.0: an absolute path to a node inside a repeat, evaluated for a
    question inside an instance of that repeat, means the node of that same instance."""
    mine = [n for n in nodes if n is current or any(a is n for a in current.ancestors())]
    return mine if mine else nodes


def evaluate(
    expression: str,
    values: Mapping[str, Any] | None = None,
    current: Any = None,
    *,
    node: Node | None = None,
    env: Env | None = None,
) -> Value:
    """Evaluate an expression. Without `node`: `values` maps ${name} references to answers and `.` is
    `current`. With `node`: the context node of an instance tree, which is also current().

    Returns a str, float, bool or node-set; render a calculation with to_string(). Raises
    ExpressionError for a malformed expression or one that cannot be evaluated, and nothing else.
    """
    tree = parse(expression)
    ctx = _Context(node, 1, 1, node, values or {}, _value(current) if node is None else "", env or _PLAIN_ENV)
    try:
        return _eval(tree, ctx)
    except RecursionError:  # only a safety net, as in parse()
        raise ExpressionError("expression nested too deeply") from None
    except (OverflowError, ValueError, ArithmeticError) as error:
        if isinstance(error, ExpressionError):
            raise
        raise ExpressionError(f"cannot be computed ({type(error).__name__})") from None


def truthy(
    expression: str, values: Mapping[str, Any] | None = None, current: Any = None, **kwargs: Any
) -> bool:
    """Evaluate and convert the result with XPath boolean(), for relevant, constraint and required."""
    return to_boolean(evaluate(expression, values, current, **kwargs))


# --- functions ---------------------------------------------------------------------------------------------


def _compile_regex(pattern: str) -> re.Pattern[str]:
    # re.ASCII: in Java (Collect) and JavaScript (Enketo) \d, \w and \s are ASCII-only. Java-only
    # syntax such as \p{L} is rejected.
    try:
        return re.compile(pattern, re.ASCII)
    except (re.error, OverflowError, RecursionError):
        raise ExpressionError("invalid regular expression") from None


def _regex(ctx: _Context, text: Value, pattern: Value) -> bool:
    # A search, not a full match: Collect uses Matcher.find() and Enketo RegExp.test().
    return _compile_regex(to_string(pattern)).search(to_string(text)) is not None


def _selected_at(ctx: _Context, answer: Value, index: Value) -> str:
    items, n = to_string(answer).split(), to_number(index)
    return items[int(n)] if math.isfinite(n) and 0 <= int(n) < len(items) else ""


def _substr(ctx: _Context, text: Value, start: Value, end: Value = math.inf) -> str:
    # ODK substr(): 0-based start, exclusive end; out-of-range indexes are clamped, not errors.
    s, first, last = to_string(text), to_number(start), to_number(end)
    if math.isnan(first) or math.isnan(last):
        return ""
    first, last = (min(max(i, 0), len(s)) for i in (first, last))
    return s[int(first) : int(last)]


def _substring(ctx: _Context, text: Value, start: Value, length: Value = math.inf) -> str:
    # XPath 1.0 substring(): 1-based, positions rounded, characters p with start <= p < start + length.
    s = to_string(text)
    first = _round_half_up(to_number(start))
    span = _round_half_up(to_number(length))
    if math.isnan(first) or math.isnan(span):
        return ""
    last = first + span
    return "".join(c for p, c in enumerate(s, start=1) if first <= p < last)


def _round_half_up(n: float) -> float:
    return n if not math.isfinite(n) else math.floor(n + 0.5)


def _substring_before(ctx: _Context, text: Value, separator: Value) -> str:
    s, sep = to_string(text), to_string(separator)
    return s.partition(sep)[0] if sep and sep in s else ""


def _substring_after(ctx: _Context, text: Value, separator: Value) -> str:
    s, sep = to_string(text), to_string(separator)
    if not sep:
        return s
    return s.partition(sep)[2] if sep in s else ""


def _translate(ctx: _Context, text: Value, source: Value, target: Value) -> str:
    s, a, b = to_string(text), to_string(source), to_string(target)
    table: dict[int, int | None] = {}
    for i, char in enumerate(a):
        table.setdefault(ord(char), ord(b[i]) if i < len(b) else None)
    return s.translate(table)


def _normalize_space(ctx: _Context, text: Value | None = None) -> str:
    value = to_string(text) if text is not None else (ctx.node.value() if ctx.node else to_string(ctx.plain))
    return " ".join(value.split())


def _string_length(ctx: _Context, text: Value | None = None) -> float:
    value = to_string(text) if text is not None else (ctx.node.value() if ctx.node else to_string(ctx.plain))
    return float(len(value))  # code points, not UTF-16 units


def _integer(function: Callable[[float], int]) -> Callable[[_Context, Value], float]:
    # int(), floor(), ceiling(): NaN and infinities have no integer part and pass through.
    def apply(ctx: _Context, value: Value) -> float:
        n = to_number(value)
        return float(function(n)) if math.isfinite(n) else n

    return apply


def _round(ctx: _Context, value: Value, places: Value = 0.0) -> float:
    # Half away from zero, like Collect's BigDecimal HALF_UP (XPath 1.0 would give round(-2.5) = -2).
    # Rounding the shortest decimal repr avoids binary artefacts: round(2.675, 2) is 2.68, not 2.67.
    n, digits = to_number(value), to_number(places)
    if math.isnan(digits):
        return math.nan
    if not math.isfinite(n):
        return n
    digits = min(max(digits, -400), 400)  # beyond this a double has nothing left to round
    with localcontext() as context:
        context.prec = 1000
        exponent = Decimal(1).scaleb(-int(digits))
        return float(Decimal(repr(n)).quantize(exponent, rounding=ROUND_HALF_UP))


def _math(function: Callable[..., float]) -> Callable[..., float]:
    def apply(ctx: _Context, *args: Value) -> float:
        numbers = [to_number(a) for a in args]
        if any(math.isnan(n) for n in numbers):
            return math.nan
        try:
            return float(function(*numbers))
        except (ValueError, OverflowError, ZeroDivisionError):
            return math.nan

    return apply


def _log(x: float) -> float:
    if x == 0:
        return -math.inf
    return math.log(x)


def _log10(x: float) -> float:
    if x == 0:
        return -math.inf
    return math.log10(x)


def _pow(x: float, y: float) -> float:
    try:
        return math.pow(x, y)
    except OverflowError:
        return math.inf
    except ValueError:
        return math.nan


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _extreme(pick: Callable[[Iterable[float]], float]) -> Callable[..., float]:
    # max() and min() over node-sets and numbers (XPath 3.0); an empty or non-numeric value makes NaN.
    def apply(ctx: _Context, *args: Value) -> float:
        numbers = [to_number(v) for v in _items(args)]
        if not numbers or any(math.isnan(n) for n in numbers):
            return math.nan
        return pick(numbers)

    return apply


def _sum(ctx: _Context, nodes: Value) -> float:
    return math.fsum(to_number(n.value()) for n in _nodes(nodes))


def _count(ctx: _Context, nodes: Value) -> float:
    return float(len(_nodes(nodes)))


def _count_non_empty(ctx: _Context, nodes: Value) -> float:
    return float(sum(1 for n in _nodes(nodes) if n.value() != ""))


def _position(ctx: _Context, nodes: Value | None = None) -> float:
    if nodes is None:
        return float(ctx.position)
    found = _nodes(nodes)
    if len(found) != 1:
        raise ExpressionError("position() needs a single node")
    return float(found[0].index())


def _last(ctx: _Context) -> float:
    return float(ctx.size)


def _name(ctx: _Context, nodes: Value | None = None) -> str:
    found = _nodes(nodes) if nodes is not None else ([ctx.node] if ctx.node else [])
    return found[0].name if found and found[0].kind != "document" else ""


def _coalesce(ctx: _Context, a: Value, b: Value) -> Value:
    return a if to_string(a) != "" else b


def _if(ctx: _Context, condition: Node_, then: Node_, otherwise: Node_) -> Value:
    return _eval(then if to_boolean(_eval(condition, ctx)) else otherwise, ctx)


def _once(ctx: _Context, expression: Node_) -> Value:
    # The node's own value once it has one: once(random()) is drawn a single time.
    if ctx.current is not None and ctx.current.value() != "":
        return ctx.current.value()
    return _eval(expression, ctx)


def _boolean_from_string(ctx: _Context, value: Value) -> bool:
    return to_string(value).strip() in ("true", "1")


def _truth(value: Value) -> bool:
    # An answer counts in checklist() when it is a positive number or, otherwise, XPath-true.
    number = to_number(value)
    if not math.isnan(number):
        return number > 0
    if isinstance(value, str):
        return value.strip() in ("true", "yes", "1")
    return to_boolean(value)


def _checklist(ctx: _Context, low: Value, high: Value, *answers: Value) -> bool:
    count = sum(1 for v in _items(answers) if _truth(v))
    lo, hi = to_number(low), to_number(high)
    return (lo < 0 or count >= lo) and (hi < 0 or count <= hi)


def _weighted_checklist(ctx: _Context, low: Value, high: Value, *pairs: Value) -> bool:
    values = _items(pairs[0::2])
    weights = _items(pairs[1::2])
    if len(values) != len(weights):
        raise ExpressionError("weighted-checklist() needs as many weights as values")
    total = math.fsum(to_number(w) for v, w in zip(values, weights, strict=True) if _truth(v))
    lo, hi = to_number(low), to_number(high)
    return (lo < 0 or total >= lo) and (hi < 0 or total <= hi)


def _random(ctx: _Context) -> float:
    return secrets.SystemRandom().random()


def _uuid(ctx: _Context, length: Value | None = None) -> str:
    if length is None:
        return str(uuid_module.uuid4())
    n = to_number(length)
    if not math.isfinite(n) or n < 0 or n > 1000:
        raise ExpressionError("uuid() length out of range")
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(int(n)))


_DIGESTS: Final = {
    "MD5": "md5",
    "SHA-1": "sha1",
    "SHA-256": "sha256",
    "SHA-384": "sha384",
    "SHA-512": "sha512",
}


def _digest(ctx: _Context, text: Value, algorithm: Value, encoding: Value = "base64") -> str:
    name = _DIGESTS.get(to_string(algorithm).upper())
    if name is None:
        raise ExpressionError("digest(): unknown algorithm")
    raw = hashlib.new(name, to_string(text).encode("utf-8"), usedforsecurity=False).digest()
    match to_string(encoding).lower():
        case "hex":
            return raw.hex()
        case "base64":
            return base64.b64encode(raw).decode("ascii")
    raise ExpressionError("digest(): unknown encoding")


def _base64_decode(ctx: _Context, text: Value) -> str:
    try:
        return base64.b64decode(to_string(text), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""


def _join(ctx: _Context, separator: Value, *values: Value) -> str:
    return to_string(separator).join(to_string(v) for v in _items(values))


def _concat(ctx: _Context, *values: Value) -> str:
    return "".join(to_string(v) for v in _items(values))


def _selected(ctx: _Context, answer: Value, choice: Value) -> bool:
    return to_string(choice).strip() in to_string(answer).split()


def _count_selected(ctx: _Context, answer: Value) -> float:
    return float(len(to_string(answer).split()))


# Dates and times ---------------------------------------------------------------------------------------------


def _as_moment(value: Value) -> datetime | None:
    """A date, date-time or number of days as an aware datetime (UTC for what has no offset)."""
    value = _string_of(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) > 3_000_000:
            return None
        return _EPOCH + timedelta(days=value)
    text = value.strip()
    if not text:
        return None
    if _NUMBER.fullmatch(text):
        return _as_moment(float(text))
    return _parse_moment(text) if _ISO_DATE.fullmatch(text) else None


def _today(ctx: _Context) -> str:
    return ctx.env.moment().date().isoformat()


def _now(ctx: _Context) -> str:
    return format_datetime(ctx.env.moment())


def format_datetime(moment: datetime) -> str:
    """The ODK dateTime form: milliseconds and the offset as +HH:MM."""
    text = moment.isoformat(timespec="milliseconds")
    return text[:-6] + "+00:00" if text.endswith("+00:00") else text


def _date(ctx: _Context, value: Value) -> str:
    text = to_string(value).strip() if not isinstance(value, float) else ""
    if text and _ISO_DATE.fullmatch(text):
        moment = _parse_moment(text)
        if moment is None:
            return ""
        return text[:10] if len(text) == 10 else format_datetime(moment)
    moment = _as_moment(value)
    if moment is None:
        return ""
    days = to_number(value)
    if math.isfinite(days) and days == int(days):
        return moment.date().isoformat()
    return format_datetime(moment)


def _decimal_date_time(ctx: _Context, value: Value) -> float:
    moment = _as_moment(value)
    return math.nan if moment is None else (moment - _EPOCH).total_seconds() / 86400


def _decimal_time(ctx: _Context, value: Value) -> float:
    match = _TIME.fullmatch(to_string(value).strip())
    if match is None:
        return math.nan
    hours, minutes, seconds, fraction, offset = match.groups()
    clock = time(int(hours) % 24, int(minutes) % 60, int(seconds or 0) % 60)
    moment = datetime.combine(ctx.env.moment().date(), clock)
    if offset:
        tz = UTC if offset == "Z" else datetime.strptime(offset.replace(":", ""), "%z").tzinfo
        moment = moment.replace(tzinfo=tz).astimezone(ctx.env.moment().tzinfo)
    ticks = float(f"0.{fraction}") if fraction else 0.0
    return (moment.hour * 3600 + moment.minute * 60 + moment.second + ticks) / 86400


def _names(kind: str, language: str) -> list[str]:
    from babel.dates import get_day_names, get_month_names

    try:
        if kind == "month":
            names = get_month_names("abbreviated", locale=language)
            return [names[m] for m in range(1, 13)]
        days = get_day_names("abbreviated", locale=language)
        return [days[d] for d in range(7)]  # Monday first
    except Exception:  # an unknown locale: English names
        return (
            ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            if kind == "month"
            else ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        )


def _format(ctx: _Context, value: Value, pattern: Value, with_time: bool) -> str:
    moment = _as_moment(value)
    if moment is None:
        return ""
    text = _string_of(value)
    if isinstance(text, str) and len(text.strip()) > 10 and _OFFSET.search(text.strip()):
        moment = moment.astimezone(ctx.env.moment().tzinfo)  # shown in the local time
    codes = {
        "Y": f"{moment.year:04d}",
        "y": f"{moment.year % 100:02d}",
        "m": f"{moment.month:02d}",
        "n": str(moment.month),
        "b": _names("month", ctx.env.language)[moment.month - 1],
        "d": f"{moment.day:02d}",
        "e": str(moment.day),
        "a": _names("day", ctx.env.language)[moment.weekday()],
    }
    if with_time:
        codes.update(
            {
                "H": f"{moment.hour:02d}",
                "h": str(moment.hour),
                "M": f"{moment.minute:02d}",
                "S": f"{moment.second:02d}",
                "3": f"{moment.microsecond // 1000:03d}",
            }
        )
    return re.sub(r"%(.)", lambda m: codes.get(m.group(1), m.group(0)), to_string(pattern))


# Secondary instances, choices, repeats -----------------------------------------------------------------------


def _instance(ctx: _Context, name: Value) -> NodeSet:
    root = ctx.env.instances.get(to_string(name))
    if root is None:
        raise ExpressionError(f"no instance {to_string(name)!r}")
    return [root]


def _current(ctx: _Context) -> NodeSet:
    return [ctx.current] if ctx.current is not None else []


def _pulldata(ctx: _Context, name: Value, wanted: Value, key: Value, query: Value) -> str:
    root = ctx.env.instances.get(to_string(name))
    if root is None:
        raise ExpressionError(f"no instance {to_string(name)!r}")
    want, column, look_for = to_string(wanted), to_string(key), to_string(query)
    for top in root.children:
        for item in top.children:
            match = item.child(column)
            if match is not None and match.value() == look_for:
                found = item.child(want)
                return found.value() if found is not None else ""
    return ""


def _choice_name(ctx: _Context, value: Value, question: Value) -> str:
    if ctx.env.choice_label is None:
        return ""
    ref = to_string(question).strip()
    if isinstance(question, list) and question:
        ref = question[0].path()
    return ctx.env.choice_label(ref, to_string(value))


def _itext(ctx: _Context, key: Value) -> str:
    return ctx.env.itext(to_string(key)) if ctx.env.itext is not None else ""


def _indexed_repeat(ctx: _Context, target: Value, *pairs: Value) -> Value:
    if len(pairs) % 2:
        raise ExpressionError("indexed-repeat() needs a repeat and an index in pairs")
    nodes = _nodes(target)
    scope: Node | None = None
    for i in range(0, len(pairs), 2):
        repeats = _nodes(pairs[i])
        if scope is not None:
            inside = scope
            repeats = [r for r in repeats if any(a is inside for a in r.ancestors())]
        n = to_number(pairs[i + 1])
        if not math.isfinite(n) or not 1 <= int(n) <= len(repeats):
            return ""
        chosen = repeats[int(n) - 1]
        nodes = [x for x in nodes if x is chosen or any(a is chosen for a in x.ancestors())]
        scope = chosen
    return nodes[0].value() if nodes else ""


def _randomize(ctx: _Context, nodes: Value, seed: Value | None = None) -> NodeSet:
    items = list(_nodes(nodes))
    if seed is None:
        secrets.SystemRandom().shuffle(items)
        return items
    # The seeded Park-Miller generator of the ODK specification, so that a seed gives the same order.
    number = to_number(seed)
    if not math.isfinite(number):
        raise ExpressionError("randomize() seed is not a number")
    state = int(number) % 2147483647
    if state <= 0:
        state += 2147483646
    for i in range(len(items) - 1, 0, -1):
        state = state * 16807 % 2147483647
        j = int((state - 1) / 2147483646 * (i + 1))
        items[i], items[j] = items[j], items[i]
    return items


# Geography ---------------------------------------------------------------------------------------------------

_EARTH_RADIUS: Final = 6378100.0  # metres, as ODK Collect


def _points(values: Sequence[Value]) -> list[tuple[float, float]]:
    texts: list[str] = []
    for value in values:
        if isinstance(value, list):
            texts.extend(n.value() for n in value)
        else:
            texts.append(to_string(value))
    if len(texts) == 1:
        texts = texts[0].split(";")
    points = []
    for text in texts:
        parts = text.split()
        if len(parts) < 2:
            continue
        try:
            points.append((float(parts[0]), float(parts[1])))
        except ValueError:
            raise ExpressionError("not a geopoint") from None
    return points


def _distance(ctx: _Context, *values: Value) -> float:
    points = _points(values)
    total = 0.0
    for (lat1, lon1), (lat2, lon2) in itertools.pairwise(points):
        p1, p2 = math.radians(lat1), math.radians(lat2)
        dp, dl = p2 - p1, math.radians(lon2 - lon1)
        a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        total += 2 * _EARTH_RADIUS * math.asin(min(1.0, math.sqrt(a)))
    return total


def _area(ctx: _Context, *values: Value) -> float:
    points = _points(values)
    if len(points) < 3:
        return 0.0
    total = 0.0
    for (lat1, lon1), (lat2, lon2) in zip(points, points[1:] + points[:1], strict=True):
        total += math.radians(lon2 - lon1) * (2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2)))
    return abs(total * _EARTH_RADIUS * _EARTH_RADIUS / 2)


@dataclass(frozen=True, slots=True)
class _Function:
    impl: Callable[..., Value]
    min_args: int
    max_args: int | None  # None: any number
    lazy: bool = False  # gets its arguments unevaluated (if, once)
    even: bool = False  # the number of arguments must be even (weighted-checklist)


def _fixed(value: Callable[[], Value]) -> Callable[[_Context], Value]:
    return lambda ctx: value()


def _one(function: Callable[[Value], Value]) -> Callable[[_Context, Value], Value]:
    return lambda ctx, value: function(value)


# The XPath 1.0 core library and the ODK XForms specification's functions
# (https://getodk.github.io/xforms-spec/#xpath-functions), nothing treated as "unknown and valid".
_FUNCTIONS: Final[dict[str, _Function]] = {
    # strings
    "string": _Function(lambda ctx, v=None: to_string(v if v is not None else _cur(ctx)), 0, 1),
    "concat": _Function(_concat, 0, None),
    "join": _Function(_join, 1, None),
    "substr": _Function(_substr, 2, 3),
    "substring": _Function(_substring, 2, 3),
    "substring-before": _Function(_substring_before, 2, 2),
    "substring-after": _Function(_substring_after, 2, 2),
    "translate": _Function(_translate, 3, 3),
    "string-length": _Function(_string_length, 0, 1),
    "normalize-space": _Function(_normalize_space, 0, 1),
    "contains": _Function(lambda ctx, s, t: to_string(t) in to_string(s), 2, 2),
    "starts-with": _Function(lambda ctx, s, t: to_string(s).startswith(to_string(t)), 2, 2),
    "ends-with": _Function(lambda ctx, s, t: to_string(s).endswith(to_string(t)), 2, 2),
    "uuid": _Function(_uuid, 0, 1),
    "digest": _Function(_digest, 2, 3),
    "base64-decode": _Function(_base64_decode, 1, 1),
    "pulldata": _Function(_pulldata, 4, 4),
    # booleans
    "if": _Function(_if, 3, 3, lazy=True),
    "coalesce": _Function(_coalesce, 2, 2),
    "once": _Function(_once, 1, 1, lazy=True),
    "true": _Function(_fixed(lambda: True), 0, 0),
    "false": _Function(_fixed(lambda: False), 0, 0),
    "boolean": _Function(_one(to_boolean), 1, 1),
    "boolean-from-string": _Function(_boolean_from_string, 1, 1),
    "not": _Function(lambda ctx, x: not to_boolean(x), 1, 1),
    "regex": _Function(_regex, 2, 2),
    "checklist": _Function(_checklist, 2, None),
    "weighted-checklist": _Function(_weighted_checklist, 2, None, even=True),
    # numbers
    "number": _Function(lambda ctx, v=None: to_number(v if v is not None else _cur(ctx)), 0, 1),
    "random": _Function(_random, 0, 0),
    "int": _Function(_integer(math.trunc), 1, 1),
    "floor": _Function(_integer(math.floor), 1, 1),
    "ceiling": _Function(_integer(math.ceil), 1, 1),
    "round": _Function(_round, 1, 2),
    "sum": _Function(_sum, 1, 1),
    "max": _Function(_extreme(max), 1, None),
    "min": _Function(_extreme(min), 1, None),
    "pow": _Function(_math(_pow), 2, 2),
    "log": _Function(_math(_log), 1, 1),
    "log10": _Function(_math(_log10), 1, 1),
    "abs": _Function(_math(abs), 1, 1),
    "sin": _Function(_math(math.sin), 1, 1),
    "cos": _Function(_math(math.cos), 1, 1),
    "tan": _Function(_math(math.tan), 1, 1),
    "asin": _Function(_math(math.asin), 1, 1),
    "acos": _Function(_math(math.acos), 1, 1),
    "atan": _Function(_math(math.atan), 1, 1),
    "atan2": _Function(_math(math.atan2), 2, 2),
    "sqrt": _Function(_math(math.sqrt), 1, 1),
    "exp": _Function(_math(_exp), 1, 1),
    "exp10": _Function(_math(lambda x: _pow(10.0, x)), 1, 1),
    "pi": _Function(_fixed(lambda: math.pi), 0, 0),
    # node-sets
    "count": _Function(_count, 1, 1),
    "count-non-empty": _Function(_count_non_empty, 1, 1),
    "position": _Function(_position, 0, 1),
    "last": _Function(_last, 0, 0),
    "name": _Function(_name, 0, 1),
    "local-name": _Function(_name, 0, 1),
    "instance": _Function(_instance, 1, 1),
    "current": _Function(_current, 0, 0),
    "randomize": _Function(_randomize, 1, 2),
    # dates and times
    "today": _Function(_today, 0, 0),
    "now": _Function(_now, 0, 0),
    "date": _Function(_date, 1, 1),
    "date-time": _Function(_date, 1, 1),
    "decimal-date-time": _Function(_decimal_date_time, 1, 1),
    "decimal-time": _Function(_decimal_time, 1, 1),
    "format-date": _Function(lambda ctx, v, p: _format(ctx, v, p, False), 2, 2),
    "format-date-time": _Function(lambda ctx, v, p: _format(ctx, v, p, True), 2, 2),
    # selects
    "selected": _Function(_selected, 2, 2),
    "selected-at": _Function(_selected_at, 2, 2),
    "count-selected": _Function(_count_selected, 1, 1),
    "jr:choice-name": _Function(_choice_name, 2, 2),
    # translations
    "jr:itext": _Function(_itext, 1, 1),
    # repeats
    "indexed-repeat": _Function(_indexed_repeat, 3, 7),
    # geography
    "area": _Function(_area, 1, None),
    "distance": _Function(_distance, 1, None),
}


def _cur(ctx: _Context) -> Value:
    return [ctx.node] if ctx.node is not None else ctx.plain


def function_names() -> frozenset[str]:
    """Every function the engine knows: the list the upload page shows."""
    return frozenset(_FUNCTIONS)
