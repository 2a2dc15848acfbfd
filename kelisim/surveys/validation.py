"""Every answer checked on the server — relevance, constraints, required, choice lists, types —
whatever the client (a browser, ODK Collect, a typist) did or did not check."""

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from .xlsform import label, walk
from .xpath import ExpressionError, evaluate, truthy

SELECT_ONE, SELECT_MANY = "select one", "select all that apply"


@dataclass
class Checked:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _is_required(question: dict[str, Any]) -> bool:
    flag = str((question.get("bind") or {}).get("required", "")).strip().lower()
    return flag in ("yes", "true", "true()")


def _choices(
    question: dict[str, Any], definition: dict[str, Any], values: dict[str, Any]
) -> list[dict[str, Any]]:
    choices = question.get("choices") or definition.get("choices", {}).get(question.get("itemset", ""), [])
    condition = question.get("choice_filter")
    if not condition:
        return list(choices)
    kept = []
    for choice in choices:
        # In a choice_filter the choice's own columns are named bare (name, or any extra column).
        scope = {**values, **{k: v for k, v in choice.items() if isinstance(v, str)}}
        try:
            if truthy(condition, scope, current=choice.get("name")):
                kept.append(choice)
        except ExpressionError:
            kept.append(choice)
    return kept


def _typed(question: dict[str, Any], raw: str, options: list[dict[str, Any]]) -> Any:
    kind = question["type"]
    names = {str(c["name"]) for c in options}
    if kind == "integer":
        return int(raw)
    if kind == "decimal":
        return float(raw.replace(",", "."))
    if kind == "date":
        return date.fromisoformat(raw).isoformat()
    if kind == SELECT_ONE:
        if raw not in names:
            raise ValueError
        return raw
    if kind == SELECT_MANY:
        picked = raw.split()
        if not picked or any(p not in names for p in picked):
            raise ValueError
        return " ".join(dict.fromkeys(picked))
    return raw


def check(definition: dict[str, Any], raw: dict[str, Any], language: str = "kk") -> Checked:
    result = Checked()
    values: dict[str, Any] = {}
    for question in walk(definition):
        name, kind = question["name"], question["type"]
        bind = question.get("bind") or {}
        if kind == "note":
            continue
        if kind == "calculate":
            try:
                computed = evaluate(bind.get("calculate", "''"), values)
            except ExpressionError:
                computed = ""
            # NaN and infinity (a calculation over an empty answer) are stored as "no value".
            if isinstance(computed, float) and not math.isfinite(computed):
                computed = ""
            values[name] = computed
            result.answers[name] = values[name]
            continue
        relevant = bind.get("relevant")
        try:
            shown = truthy(relevant, values) if relevant else True
        except ExpressionError:
            shown = True
        value = raw.get(name)
        text = (
            " ".join(value)
            if isinstance(value, list | tuple)
            else ("" if value is None else str(value).strip())
        )
        if not shown:
            values[name] = ""  # an answer to a hidden question is dropped, as ODK does
            continue
        title = label(question, language) or name
        if not text:
            values[name] = ""
            if _is_required(question):
                result.errors[name] = _("“%(question)s” needs an answer.") % {"question": title}
            continue
        try:
            typed = _typed(
                question,
                text,
                _choices(question, definition, values) if kind in (SELECT_ONE, SELECT_MANY) else [],
            )
        except ValueError:
            result.errors[name] = _("“%(question)s”: “%(value)s” is not an allowed answer.") % {
                "question": title,
                "value": text[:40],
            }
            values[name] = ""
            continue
        values[name] = typed
        constraint = bind.get("constraint")  # checked only on a given answer, as ODK does
        if constraint:
            try:
                ok = truthy(constraint, values, current=typed)
            except ExpressionError:
                ok = True
            if not ok:
                message = bind.get("jr:constraintMsg") or question.get("constraint_message")
                if isinstance(message, dict):
                    message = message.get("Kazakh (kk)" if language == "kk" else "Russian (ru)") or next(
                        iter(message.values()), ""
                    )
                result.errors[name] = str(
                    message or _("“%(question)s”: the answer is out of range.") % {"question": title}
                )
                continue
        result.answers[name] = typed
    return result
