"""The expression engine over an instance tree: paths, predicates, node-sets, secondary instances,
current(), repeats, and the functions that read a tree, the clock or chance."""

import math
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from kelisim.surveys import xpath
from kelisim.surveys.xpath import Env, ExpressionError, Node, document, evaluate, to_string

# Every function whose cases are here rather than in test_xpath.py's table.
TREE_FUNCTIONS = {
    "count",
    "count-non-empty",
    "sum",
    "name",
    "local-name",
    "instance",
    "current",
    "randomize",
    "indexed-repeat",
    "pulldata",
    "jr:choice-name",
    "jr:itext",
    "now",
    "uuid",
    "random",
    "area",
    "distance",
}


def tree(spec: dict | list, name: str = "data") -> Node:
    """{"a": "1", "g": {"b": ""}, "hh": [{"x": "1"}, {"x": "2"}]} as an instance under a document."""

    def build(key: str, value: object, parent: Node | None) -> Node:
        node = Node(key, "", parent)
        if isinstance(value, dict):
            for k, v in value.items():
                if isinstance(v, list):
                    for item in v:
                        build(k, item, node)
                else:
                    build(k, v, node)
        else:
            node.text = str(value)
        return node

    return document(build(name, spec, None))


def at(doc: Node, path: str) -> Node:
    found = evaluate(path, node=doc)
    assert isinstance(found, list) and found, path
    return found[0]


HOUSEHOLD = {
    "region": "zh",
    "district": "talgar",
    "n": "3",
    "g": {"name": "Айгүл", "age": "34"},
    "hh": [{"m": "Ali", "age": "40"}, {"m": "Dana", "age": "12"}, {"m": "", "age": ""}],
    "langs": "kk ru",
}
DISTRICTS = tree(
    {
        "item": [
            {"name": "korday", "label": "Қордай", "region": "zh"},
            {"name": "shu", "label": "Шу", "region": "zh"},
            {"name": "talgar", "label": "Талғар", "region": "al"},
        ]
    },
    "root",
)


@pytest.fixture
def doc() -> Node:
    return tree(HOUSEHOLD)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("/data/g/name", "Айгүл"),
        ("string(/data/g/age + 1)", "35"),
        ("/data/g/age > 30", True),
        ("count(/data/hh)", 3),
        ("count(/data/hh[age > 18])", 1),
        ("count(//age)", 4),
        ("count(/data/*)", 8),
        ("string(/data/hh[2]/m)", "Dana"),
        ("string(/data/hh[last()]/age)", ""),
        ("string(/data/hh[position() = 1]/m)", "Ali"),
        ("count-non-empty(/data/hh/m)", 2),
        ("sum(/data/hh[age != '']/age)", 52),
        ("sum(/data/hh/age)", math.nan),  # an empty answer is NaN, as in Collect
        ("max(/data/hh[age != '']/age)", 40),
        ("min(/data/hh[age != '']/age, 5)", 5),
        ("concat(/data/hh/m)", "AliDana"),  # ODK: every node's value
        ("join('-', /data/hh/m)", "Ali-Dana-"),
        ("/data/hh/age = 12", True),  # a node-set equals if any node does
        ("/data/hh/age != 12", True),
        ("/data/nothing = ''", False),  # an empty node-set equals nothing
        ("not(/data/nothing)", True),
        ("count(/data/hh/m | /data/g/name)", 4),
        ("name(/data/g/*)", "name"),
        ("local-name(/data/g)", "g"),
        ("selected(/data/langs, 'ru')", True),
        ("count(instance('districts')/root/item[region = /data/region])", 2),
        ("instance('districts')/root/item[name = /data/district]/label", "Талғар"),
        ("pulldata('districts', 'label', 'name', 'shu')", "Шу"),
        ("pulldata('districts', 'label', 'name', 'nowhere')", ""),
        ("indexed-repeat(/data/hh/m, /data/hh, 2)", "Dana"),
        ("indexed-repeat(/data/hh/m, /data/hh, 9)", ""),
        ("count(randomize(/data/hh))", 3),
    ],
)
def test_paths_predicates_and_node_sets(doc: Node, expression: str, expected: object) -> None:
    env = Env(instances={"districts": DISTRICTS})
    result = evaluate(expression, node=at(doc, "/data"), env=env)
    if isinstance(result, list):
        result = to_string(result)
    if isinstance(expected, float) and math.isnan(expected):
        assert isinstance(result, float) and math.isnan(result)
    else:
        assert result == expected, result


def test_randomize_with_a_seed_gives_one_order() -> None:
    env = Env(instances={"districts": DISTRICTS})
    orders = {
        tuple(n.value() for n in evaluate("randomize(instance('districts')/root/item/name, 7)", env=env))  # type: ignore[union-attr]
        for _ in range(3)
    }
    assert len(orders) == 1 and sorted(next(iter(orders))) == ["korday", "shu", "talgar"]


def test_relative_paths_and_current_read_from_the_question_being_checked(doc: Node) -> None:
    second = at(doc, "/data/hh[2]/age")
    assert to_string(evaluate("../m", node=second)) == "Dana"
    assert evaluate(". < 18", node=second) is True
    assert evaluate("position(..)", node=second) == 2
    # A choice filter inside a repeat: current() is the question, the item is the context of [ ].
    env = Env(instances={"districts": DISTRICTS})
    region = at(doc, "/data/region")
    filtered = evaluate(
        "instance('districts')/root/item[region = current()/../region]/name", node=region, env=env
    )
    assert [n.value() for n in filtered] == ["korday", "shu"]  # type: ignore[union-attr]


def test_an_absolute_path_inside_a_repeat_means_the_same_repeat_instance(doc: Node) -> None:
    # ODK's deviation from XForms 1.0: /data/hh/m for a question of the second member is Dana.
    second = at(doc, "/data/hh[2]/age")
    assert evaluate("/data/hh/m = 'Dana'", node=second) is True
    assert evaluate("/data/hh/m = 'Ali'", node=second) is False
    # Outside the repeat the same path is every member.
    assert evaluate("count(/data/hh/m)", node=at(doc, "/data/n")) == 3


def test_once_keeps_a_value_the_node_has(doc: Node) -> None:
    age = at(doc, "/data/g/age")
    assert evaluate("once(99)", node=age) == "34"
    age.text = ""
    assert evaluate("once(99)", node=age) == 99


def test_choice_name_and_itext_ask_the_form() -> None:
    labels = {("/data/district", "talgar"): "Талғар"}
    env = Env(choice_label=lambda path, value: labels.get((path, value), ""), itext=lambda key: f"[{key}]")
    assert evaluate("jr:choice-name('talgar', ' /data/district ')", env=env) == "Талғар"
    assert evaluate("jr:itext('hello')", env=env) == "[hello]"
    assert evaluate("jr:choice-name('x', '/data/q')") == ""  # no form: no label


def test_now_uuid_and_random() -> None:
    moment = datetime(2024, 5, 10, 9, 30, 0, tzinfo=timezone(timedelta(hours=5)))
    env = Env(now=moment)
    assert evaluate("now()", env=env) == "2024-05-10T09:30:00.000+05:00"
    assert evaluate("today()", env=env) == "2024-05-10"
    assert evaluate("format-date-time(now(), '%Y-%m-%d %H:%M')", env=env) == "2024-05-10 09:30"
    assert evaluate("decimal-date-time(now()) > 19853", env=env) is True
    assert evaluate("now()", env=Env(now=datetime(2024, 1, 1, tzinfo=UTC))) == "2024-01-01T00:00:00.000+00:00"
    assert re.fullmatch(r"[0-9a-f-]{36}", str(evaluate("uuid()")))
    assert re.fullmatch(r"[A-Za-z0-9]{8}", str(evaluate("uuid(8)")))
    draws = {evaluate("random()") for _ in range(5)}
    assert all(isinstance(d, float) and 0 <= d < 1 for d in draws) and len(draws) > 1


def test_distance_and_area_on_the_earth() -> None:
    one_degree = evaluate("distance('0 0 0 0;0 1 0 0')")
    assert isinstance(one_degree, float) and abs(one_degree - 111318.8) < 1
    square = evaluate("area('0 0;0 1;1 1;1 0;0 0')")
    assert isinstance(square, float) and abs(square / 1e9 - 12.36) < 0.05
    doc = tree({"p": ["43.2 76.9", "43.3 76.9"]})
    by_nodes = evaluate("distance(/data/p)", node=at(doc, "/data"))
    assert isinstance(by_nodes, float) and abs(by_nodes - 11131.9) < 1


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("count('a')", "argument is not a node-set"),
        ("instance('nowhere')/root", "no instance 'nowhere'"),
        ("position(/data/hh)", "position() needs a single node"),
        ("/data/hh | 'x'", "an operand of | is not a node-set"),
    ],
)
def test_what_cannot_be_evaluated_is_an_error_not_a_pass(doc: Node, expression: str, message: str) -> None:
    with pytest.raises(ExpressionError) as raised:
        evaluate(expression, node=at(doc, "/data"))
    assert raised.value.message == message


def test_function_list_is_the_odk_library() -> None:
    spec = {
        *[
            "string",
            "concat",
            "join",
            "substr",
            "substring-before",
            "substring-after",
            "translate",
            "string-length",
        ],
        *[
            "normalize-space",
            "contains",
            "starts-with",
            "ends-with",
            "uuid",
            "digest",
            "pulldata",
            "if",
            "coalesce",
            "once",
        ],
        *[
            "true",
            "false",
            "boolean",
            "boolean-from-string",
            "not",
            "regex",
            "checklist",
            "weighted-checklist",
            "number",
        ],
        *[
            "random",
            "int",
            "sum",
            "max",
            "min",
            "round",
            "pow",
            "log",
            "log10",
            "abs",
            "sin",
            "cos",
            "tan",
            "asin",
            "acos",
            "atan",
            "atan2",
            "sqrt",
        ],
        *[
            "exp",
            "exp10",
            "pi",
            "count",
            "count-non-empty",
            "position",
            "instance",
            "current",
            "randomize",
            "today",
            "now",
        ],
        *[
            "format-date",
            "format-date-time",
            "date",
            "decimal-date-time",
            "decimal-time",
            "selected",
            "selected-at",
        ],
        *["count-selected", "jr:choice-name", "jr:itext", "indexed-repeat", "area", "distance"],
    }
    assert spec <= xpath.function_names()
