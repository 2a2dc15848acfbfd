"""An evaluator for the XPath expressions written in XLSForm cells (relevant, constraint, calculate, ...).

The server re-checks every submitted answer, so it needs the same expression language the clients
(ODK Collect, Enketo/KoboToolbox) run.  Only what XLSForm cells use is supported: `${name}` references,
`.` for the answer being checked, literals, the XPath 1.0 operators and the functions in `_FUNCTIONS`.
There are no paths, node-sets or variables; a reference is simply the answer's value.

Values are the three XPath scalar types: str, float (XPath numbers are doubles) and bool.  Answers are
normalised on the way in (`_value`): a missing or empty answer is "", a select_multiple answer is its
space-separated string, dates become ISO strings.  Conversions follow XPath 1.0 (`to_number`,
`to_string`, `to_boolean`), with one ODK addition: an ISO date or date-time string converts to a number
of days since 1970-01-01, so that `. <= today()` and `today() - ${birth_date}` work as in ODK.

Pass typed answers (int/float/Decimal for integer and decimal questions) when you have them: `=` between
two strings compares strings, so "18" = "18.0" is false while 18 = "18.0" is true, as in XPath.

`parse()` is cached per expression string and checks names, arities and literal regex patterns, so it
doubles as validation when a form is uploaded.  Hostile input is bounded: at most MAX_LENGTH characters
and MAX_DEPTH levels of nesting; the tokenizer, parser and evaluator are linear in the expression.
"""

from __future__ import annotations

import functools
import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, Final

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "ExpressionError",
    "Node",
    "Value",
    "evaluate",
    "parse",
    "references",
    "to_boolean",
    "to_number",
    "to_string",
    "truthy",
]

MAX_LENGTH: Final = 2000
# Parentheses, function calls, unary minus and the right operand of a binary operator each count one
# level.  A level costs at most four Python frames to parse and three to evaluate, so 64 levels stay far
# inside the default recursion limit of 1000 even when called from deep in a Django request.
MAX_DEPTH: Final = 64

Value = str | float | bool


class ExpressionError(ValueError):
    """The expression is malformed, or cannot be evaluated (an invalid regular expression).

    `message` is short English for the caller to map to a translated text; `position` is the 0-based
    offset in the expression it refers to, or None when it is about the expression as a whole.
    """

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message if position is None else f"{message} at position {position}")
        self.message = message
        self.position = position


# --- tokens ----------------------------------------------------------------------------------------------

# [0-9] rather than \d: \d also matches Arabic-Indic and other digits, which XPath numbers do not allow.
# Names are XML names (letters, digits, _ . -), so count-selected is one name and a-b is not a subtraction;
# an optional prefix keeps jr:choice-name together so the error can name it.
_TOKEN: Final = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)
    | '(?P<string1>[^']*)' | "(?P<string2>[^"]*)"
    | \$\{(?P<ref>[^\W\d][\w.\-]*)\}
    | (?P<name>[^\W\d][\w.\-]*(?::[^\W\d][\w.\-]*)?)
    | (?P<op>!=|<=|>=|[=<>+\-*(),.])
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


# --- syntax tree -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Literal:
    value: str | float


@dataclass(frozen=True, slots=True)
class Current:
    pass


@dataclass(frozen=True, slots=True)
class Ref:
    name: str


@dataclass(frozen=True, slots=True)
class Negate:
    operand: Node


@dataclass(frozen=True, slots=True)
class Logic:
    operator: str  # "and" or "or"
    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Chain:
    """first op1 x1 op2 x2 ..., all operators of one precedence level, applied from the left.

    A flat chain rather than nested binary nodes, so that `1+1+...+1` is evaluated by a loop and not
    by a recursion as deep as the expression is long.
    """

    first: Node
    rest: tuple[tuple[str, Node], ...]


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Node, ...]
    position: int


Node = Literal | Current | Ref | Negate | Logic | Chain | Call

# Binary operators from the loosest to the tightest binding (XPath 1.0, 3.4-3.5), all left-associative.
_LEVELS: Final = (("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod"))
_LEVEL: Final = {op: level for level, ops in enumerate(_LEVELS) for op in ops}


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index = min(self.index + 1, len(self.tokens) - 1)  # stay on "end"
        return token

    def at(self, op: str) -> bool:
        token = self.peek()
        return token.kind == "op" and token.text == op

    def enter(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("expression nested too deeply", token.position)

    def expect(self, op: str) -> None:
        if not self.at(op):
            raise ExpressionError(f"expected {op!r}", self.peek().position)
        self.advance()

    def parse(self) -> Node:
        node = self.binary(0)
        if self.peek().kind != "end":
            raise ExpressionError(f"unexpected {_describe(self.peek())}", self.peek().position)
        return node

    def level(self) -> int:
        """The precedence level of the next token as a binary operator, or -1 if it is not one."""
        # "and", "or", "div" and "mod" are name tokens; in operator position they can only be operators.
        token = self.peek()
        return _LEVEL.get(token.text, -1) if token.kind in ("op", "name") else -1

    def binary(self, min_level: int) -> Node:
        """Precedence climbing: an operand, then operators that bind at least as tightly as min_level.

        Unlike one function per level, this costs a few Python frames per nesting level rather than one
        per precedence level, and each right operand counts towards MAX_DEPTH, so the stack stays bounded
        even for `1 or 1 and 1 = 1 < 1 + 1 * (...)` nested as deep as allowed.
        """
        node = self.unary()
        while (level := self.level()) >= min_level:
            rest: list[tuple[str, Node]] = []
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

    def unary(self) -> Node:
        if not self.at("-"):
            return self.primary()
        self.enter(self.advance())
        node = Negate(self.unary())
        self.depth -= 1
        return node

    def primary(self) -> Node:
        token = self.advance()
        match token.kind:
            case "number":
                return Literal(float(token.text))
            case "string":
                return Literal(token.text)
            case "ref":
                return Ref(token.text)
            case "op" if token.text == ".":
                return Current()
            case "op" if token.text == "(":
                self.enter(token)
                node = self.binary(0)
                self.expect(")")
                self.depth -= 1
                return node
            case "name" if self.at("("):
                return self.call(token)
        raise ExpressionError(f"unexpected {_describe(token)}", token.position)

    def call(self, name: _Token) -> Node:
        function = _FUNCTIONS.get(name.text)
        if function is None:
            raise ExpressionError(f"unknown function {name.text!r}", name.position)
        self.advance()  # the "("
        self.enter(name)
        args: list[Node] = []
        starts: list[int] = []
        while not self.at(")"):
            if args:
                self.expect(",")
            starts.append(self.peek().position)
            args.append(self.binary(0))
        self.advance()  # the ")"
        self.depth -= 1
        most = len(args) if function.max_args is None else function.max_args
        if not function.min_args <= len(args) <= most:
            raise ExpressionError(f"wrong number of arguments for {name.text}()", name.position)
        # A literal pattern is checked now, so that a bad regex is reported when the form is uploaded.
        if name.text == "regex" and isinstance(pattern := args[1], Literal):
            try:
                _compile_regex(to_string(pattern.value))
            except ExpressionError as error:
                raise ExpressionError(error.message, starts[1]) from None
        return Call(name.text, tuple(args), name.position)


@functools.lru_cache(maxsize=2048)
def parse(expression: str) -> Node:
    """Parse an expression into a syntax tree (cached); raise ExpressionError if it is malformed."""
    if len(expression) > MAX_LENGTH:
        raise ExpressionError("expression too long")
    try:
        return _Parser(expression).parse()
    except RecursionError:  # only a safety net: MAX_DEPTH keeps the parser far from the limit
        raise ExpressionError("expression nested too deeply") from None


def references(expression: str) -> frozenset[str]:
    """The names referenced as ${name}, e.g. to order calculations by their dependencies."""
    names: set[str] = set()
    stack: list[Node] = [parse(expression)]
    while stack:
        match stack.pop():
            case Ref(name):
                names.add(name)
            case Negate(operand):
                stack.append(operand)
            case Logic(_, operands) | Call(_, operands, _):
                stack.extend(operands)
            case Chain(first, rest):
                stack.append(first)
                stack.extend(node for _, node in rest)
    return frozenset(names)


# --- conversions (XPath 1.0, section 4) -------------------------------------------------------------------

_NUMBER: Final = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_ISO_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9:.]+(?:Z|[+-][0-9:]+)?)?")
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


def to_number(value: Value) -> float:
    """XPath number(): "" and non-numeric text are NaN; no exponents, no leading "+"."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    text = value.strip()
    if _NUMBER.fullmatch(text):
        return float(text)
    if _ISO_DATE.fullmatch(text):
        return _days_since_epoch(text)
    return math.nan


def _days_since_epoch(text: str) -> float:
    # ODK compares and subtracts dates as days since the epoch; date-times without an offset are UTC.
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return math.nan
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH).total_seconds() / 86400


def to_string(value: Value) -> str:
    """XPath string(): numbers without exponent or trailing zeros (40, not 40.0), booleans true/false."""
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
    """XPath boolean(): a number is true unless 0 or NaN, a string unless empty (so "false" is true)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    return value != ""


def _value(raw: Any) -> Value:
    """Normalise an answer (or the current value) as stored by the caller into an XPath value."""
    match raw:
        case None:
            return ""
        case bool() | str() | float():
            return raw
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


# --- operators ---------------------------------------------------------------------------------------------


def _equal(a: Value, b: Value) -> bool:
    # XPath 1.0, 3.4: a boolean makes it a boolean comparison, else a number a numeric one (NaN equals
    # nothing), else strings are compared.
    if isinstance(a, bool) or isinstance(b, bool):
        return to_boolean(a) == to_boolean(b)
    if isinstance(a, float) or isinstance(b, float):
        return to_number(a) == to_number(b)
    return a == b


def _divide(a: Value, b: Value) -> float:
    # IEEE 754, as XPath requires; Python would raise ZeroDivisionError.
    x, y = to_number(a), to_number(b)
    if y == 0:
        return math.nan if x == 0 or math.isnan(x) else math.copysign(math.inf, x) * math.copysign(1, y)
    return x / y


def _modulo(a: Value, b: Value) -> float:
    # XPath mod is the remainder of a truncating division (sign of the dividend), which is math.fmod;
    # fmod raises where IEEE gives NaN.
    x, y = to_number(a), to_number(b)
    if y == 0 or math.isinf(x):
        return math.nan
    return math.fmod(x, y)


def _relational(compare: Callable[[float, float], bool]) -> Callable[[Value, Value], bool]:
    # < <= > >= always compare numbers; NaN makes every one of them false.
    return lambda a, b: compare(to_number(a), to_number(b))


def _arithmetic(compute: Callable[[float, float], float]) -> Callable[[Value, Value], float]:
    # Float + - * never raise: overflow gives inf, inf - inf gives NaN.
    return lambda a, b: compute(to_number(a), to_number(b))


_BINARY: Final[dict[str, Callable[[Value, Value], Value]]] = {
    "=": _equal,
    "!=": lambda a, b: not _equal(a, b),
    "<": _relational(operator.lt),
    "<=": _relational(operator.le),
    ">": _relational(operator.gt),
    ">=": _relational(operator.ge),
    "+": _arithmetic(operator.add),
    "-": _arithmetic(operator.sub),
    "*": _arithmetic(operator.mul),
    "div": _divide,
    "mod": _modulo,
}


# --- functions -------------------------------------------------------------------------------------------


def _compile_regex(pattern: str) -> re.Pattern[str]:
    # re.ASCII: in Java (Collect) and JavaScript (Enketo) \d, \w and \s are ASCII-only.  re caches compiled
    # patterns itself.  Differences that remain: Java-only syntax such as \p{L} is rejected, and $ also
    # matches before a final newline (as in Java, unlike JavaScript).
    try:
        return re.compile(pattern, re.ASCII)
    except (re.error, OverflowError, RecursionError):
        raise ExpressionError("invalid regular expression") from None


def _regex(text: Value, pattern: Value) -> bool:
    # A search, not a full match: Collect uses Matcher.find() and Enketo RegExp.test(), which is why
    # XLSForm constraints anchor their patterns with ^ and $.
    return _compile_regex(to_string(pattern)).search(to_string(text)) is not None


def _selected_at(answer: Value, index: Value) -> str:
    items, n = to_string(answer).split(), to_number(index)
    return items[int(n)] if math.isfinite(n) and 0 <= int(n) < len(items) else ""


def _substr(text: Value, start: Value, end: Value = math.inf) -> str:
    # ODK substr(): 0-based start, exclusive end; out-of-range indexes are clamped, not errors.
    s, first, last = to_string(text), to_number(start), to_number(end)
    if math.isnan(first) or math.isnan(last):
        return ""
    first, last = (min(max(i, 0), len(s)) for i in (first, last))
    return s[int(first) : int(last)]


def _substring_before(text: Value, separator: Value) -> str:
    s, sep = to_string(text), to_string(separator)
    return s.partition(sep)[0] if sep and sep in s else ""


def _substring_after(text: Value, separator: Value) -> str:
    s, sep = to_string(text), to_string(separator)
    if not sep:
        return s
    return s.partition(sep)[2] if sep in s else ""


def _integer(function: Callable[[float], int]) -> Callable[[Value], float]:
    # int(), floor(), ceiling(): NaN and infinities have no integer part and pass through.
    def apply(value: Value) -> float:
        n = to_number(value)
        return float(function(n)) if math.isfinite(n) else n

    return apply


def _round(value: Value, places: Value = 0.0) -> float:
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


def _coalesce(a: Value, b: Value) -> Value:
    return a if to_string(a) != "" else b


def _if(condition: Value, then: Value, otherwise: Value) -> Value:
    # Evaluated eagerly like every function: arguments have no side effects, so only speed would differ.
    return then if to_boolean(condition) else otherwise


@dataclass(frozen=True, slots=True)
class _Function:
    impl: Callable[..., Value]
    min_args: int
    max_args: int | None  # None: any number


_FUNCTIONS: Final[dict[str, _Function]] = {
    "selected": _Function(lambda a, c: to_string(c) in to_string(a).split(), 2, 2),
    "count-selected": _Function(lambda a: float(len(to_string(a).split())), 1, 1),
    "selected-at": _Function(_selected_at, 2, 2),
    "not": _Function(lambda x: not to_boolean(x), 1, 1),
    "true": _Function(lambda: True, 0, 0),
    "false": _Function(lambda: False, 0, 0),
    "boolean": _Function(to_boolean, 1, 1),
    "string": _Function(to_string, 1, 1),
    "number": _Function(to_number, 1, 1),
    "int": _Function(_integer(math.trunc), 1, 1),
    "floor": _Function(_integer(math.floor), 1, 1),
    "ceiling": _Function(_integer(math.ceil), 1, 1),
    "round": _Function(_round, 1, 2),
    "string-length": _Function(lambda s: float(len(to_string(s))), 1, 1),  # code points, not UTF-16 units
    "concat": _Function(lambda *parts: "".join(map(to_string, parts)), 0, None),
    "contains": _Function(lambda s, t: to_string(t) in to_string(s), 2, 2),
    "starts-with": _Function(lambda s, t: to_string(s).startswith(to_string(t)), 2, 2),
    "ends-with": _Function(lambda s, t: to_string(s).endswith(to_string(t)), 2, 2),
    "substring-before": _Function(_substring_before, 2, 2),
    "substring-after": _Function(_substring_after, 2, 2),
    "substr": _Function(_substr, 2, 3),
    "regex": _Function(_regex, 2, 2),
    "if": _Function(_if, 3, 3),
    "coalesce": _Function(_coalesce, 2, 2),
    "today": _Function(lambda: date.today().isoformat(), 0, 0),  # the server's local date
}


# --- evaluation --------------------------------------------------------------------------------------------


def _eval(node: Node, values: Mapping[str, Any], current: Value) -> Value:
    match node:
        case Literal(value):
            return value
        case Current():
            return current
        case Ref(name):
            return _value(values.get(name))
        case Negate(operand):
            return -to_number(_eval(operand, values, current))
        case Logic("or", operands):  # any() and all() stop at the first operand that decides
            return any(to_boolean(_eval(o, values, current)) for o in operands)
        case Logic(_, operands):
            return all(to_boolean(_eval(o, values, current)) for o in operands)
        case Chain(first, rest):
            result = _eval(first, values, current)
            for op, operand in rest:
                result = _BINARY[op](result, _eval(operand, values, current))
            return result
        case Call(name, args, position):
            arguments = [_eval(arg, values, current) for arg in args]
            try:
                return _FUNCTIONS[name].impl(*arguments)
            except ExpressionError as error:  # raised without a position: it is the call's
                raise ExpressionError(error.message, position) from None
    raise AssertionError(f"unknown node {node!r}")  # pragma: no cover


def evaluate(expression: str, values: Mapping[str, Any], current: Any = None) -> Value:
    """Evaluate an XLSForm expression; `values` maps field names to answers, `current` is `.`.

    Returns a str, float or bool; render a calculate result with to_string().  Raises ExpressionError
    for a malformed expression or an invalid regular expression, and nothing else.
    """
    node = parse(expression)
    try:
        return _eval(node, values, _value(current))
    except RecursionError:  # only a safety net, as in parse()
        raise ExpressionError("expression nested too deeply") from None


def truthy(expression: str, values: Mapping[str, Any], current: Any = None) -> bool:
    """Evaluate and convert the result with XPath boolean(), for relevant, constraint and required."""
    return to_boolean(evaluate(expression, values, current))
