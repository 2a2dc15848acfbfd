"""The codes printed on a paper questionnaire, and reading them back when a typist enters a row.

One source of truth: `coded_questions` numbers every question and every choice; the printed
questionnaire (`surveys/print.html`) shows those numbers and the paper-entry grid accepts them.
A choice list whose names are all whole numbers (the 1-6 agreement scale) keeps its names as
codes, so what is printed is what the respondent circled; any other list is numbered 1, 2, 3...
in the order of the form. The choice names themselves are still accepted, for typists used to them.
"""

import re
from typing import Any

from django.utils.translation import gettext as _

from .forms import questions_for_display

SELECTS = ("select one", "select all that apply")  # pyxform's names for select_one, select_multiple


def coded_questions(definition: dict[str, Any], language: str) -> list[dict[str, Any]]:
    """The questions as printed: `number` (1, 2, ... skipping notes), `choices` each with its `code`."""
    shown = questions_for_display(definition, language)
    number = 0
    for question in shown:
        if question["type"] != "note":
            number += 1
            question["number"] = number
        choices = question["choices"]
        numeric = bool(choices) and all(c["name"].isdecimal() for c in choices)
        for position, choice in enumerate(choices, start=1):
            choice["code"] = choice["name"] if numeric else str(position)
        question["codes"] = ", ".join(c["code"] for c in choices)
    return shown


def _one(question: dict[str, Any], typed: str) -> str | None:
    """The printed code first, for every choice: a choice named "3" must not take the answer of
    the choice printed as 3. A name is read only when it is nobody's code."""
    for choice in question["choices"]:
        if typed == choice["code"]:
            return str(choice["name"])
    for choice in question["choices"]:
        if typed == choice["name"]:
            return str(choice["name"])
    return None


def decode(questions: list[dict[str, Any]], typed: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Typed codes to the choice names the form stores; an unknown code is an error naming the
    question's number and the codes it allows. Other answers pass through unchanged."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for question in questions:
        name = question["name"]
        raw = typed.get(name, "").strip()
        if not raw or question["type"] not in SELECTS:
            values[name] = raw
            continue
        parts = [p for p in re.split(r"[\s,;]+", raw) if p] if question["type"] == SELECTS[1] else [raw]
        names = [_one(question, part) for part in parts]
        if None in names:
            errors[name] = _(
                "Question %(number)s: “%(typed)s” is not a code of this question; codes: %(codes)s."
            ) % {
                "number": question.get("number", ""),
                "typed": raw,
                "codes": question["codes"],
            }
            values[name] = raw
            continue
        values[name] = " ".join(str(n) for n in names)
    return values, errors
