"""Declarative scoring keys: items, scale, reversed items, subscales, total and bands.

A key is data kept with each instrument version, so an analyst can change the subscales (the
published keys of the Tolerance Index differ between sources) without a code change.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .answers import answer_in

# What the band codes of the shipped keys say to a person; a key with other codes shows its codes.
BAND_LABELS = {
    "low": _("low"),
    "medium": _("medium"),
    "high": _("high"),
    "close": _("close"),
    "moderate": _("moderate"),
    "distant": _("distant"),
}

TOLERANCE_ITEMS = [f"t{n:02d}" for n in range(1, 23)]
TOLERANCE_DIRECT = {1, 9, 11, 14, 16, 20, 21, 22}
TOLERANCE_KEY: dict[str, Any] = {
    "kind": "likert",
    "items": TOLERANCE_ITEMS,
    "scale": [1, 6],
    "reverse": [f"t{n:02d}" for n in range(1, 23) if n not in TOLERANCE_DIRECT],
    # One published split; replace it by uploading a version with another key.
    "subscales": {
        "ethnic": ["t02", "t04", "t07", "t09", "t12", "t16", "t22"],
        "social": ["t01", "t05", "t06", "t08", "t10", "t13", "t18", "t20"],
        "personal": ["t03", "t11", "t14", "t15", "t17", "t19", "t21"],
    },
    "bands": [
        {"code": "low", "min": 22, "max": 60},
        {"code": "medium", "min": 61, "max": 99},
        {"code": "high", "min": 100, "max": 132},
    ],
}
BOGARDUS_TARGETS = ["bg_other_ethnic", "bg_other_faith", "bg_migrants"]
BOGARDUS_KEY: dict[str, Any] = {
    "kind": "bogardus",
    "items": BOGARDUS_TARGETS,
    "scale": [1, 7],  # 1: would accept into the family … 7: would keep out of the country
    "reverse": [],
    "subscales": {target: [target] for target in BOGARDUS_TARGETS},
    "bands": [
        {"code": "close", "min": 3, "max": 8},
        {"code": "moderate", "min": 9, "max": 14},
        {"code": "distant", "min": 15, "max": 21},
    ],
}


@dataclass(frozen=True)
class Score:
    total: int | None
    band: str
    subscales: dict[str, int]


class KeyError_(ValueError):
    """The scoring key itself is malformed."""


def check_key(key: dict[str, Any]) -> None:
    items = key.get("items")
    scale = key.get("scale")
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        raise KeyError_("items must be a non-empty list of question names")
    if not (
        isinstance(scale, list)
        and len(scale) == 2
        and all(isinstance(v, int) for v in scale)
        and scale[0] < scale[1]
    ):
        raise KeyError_("scale must be [lowest, highest]")
    unknown = (set(key.get("reverse", [])) | {i for s in key.get("subscales", {}).values() for i in s}) - set(
        items
    )
    if unknown:
        raise KeyError_(f"not among the items: {', '.join(sorted(unknown))}")


def score(key: dict[str, Any], answers: dict[str, Any]) -> Score:
    """The scored response; no total when an item is unanswered (partial sums mislead)."""
    if not key:
        return Score(None, "", {})
    low, high = key["scale"]
    reverse = set(key.get("reverse", []))
    points: dict[str, int] = {}
    for item in key["items"]:
        raw = answer_in(answers, item)  # an item is a path, or a name unique in the form
        try:
            value = int(str(raw))
        except (TypeError, ValueError):
            continue
        if low <= value <= high:
            points[item] = (low + high - value) if item in reverse else value
    subscales = {
        name: sum(points[i] for i in members)
        for name, members in key.get("subscales", {}).items()
        if all(i in points for i in members)
    }
    if len(points) != len(key["items"]):
        return Score(None, "", subscales)
    total = sum(points.values())
    band = next((b["code"] for b in key.get("bands", []) if b["min"] <= total <= b["max"]), "")
    return Score(total, band, subscales)
