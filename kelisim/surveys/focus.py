"""A focus group's composition: the groups it is counted by, their categories, and how the counts
are shown to someone without the sensitive capability.

Counts are by group (age band, gender, ethnicity), never names. A holder of `view_sensitive` in the
session's territory sees every count; anybody else sees a count from 1 to 4 as "<5", one more
count of the same group hidden where a single small one could be recovered from the total, the
total itself as "<5" when it is that small, and no sensitive group (ethnicity) at all, as the
survey tables never group by it for them (disclosure.py)."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .disclosure import configured_sensitive_items
from .ready import DEMOGRAPHIC_CHOICES
from .stats import SUPPRESS_BELOW

PARTS: dict[str, Any] = {
    "age_band": _("age band"),
    "gender": _("gender"),
    "ethnicity": _("ethnicity"),
}
CATEGORIES: dict[str, list[tuple[str, str, str]]] = {
    part: [(code, kk, ru) for name, code, kk, ru in DEMOGRAPHIC_CHOICES if name == part] for part in PARTS
}
SMALL = "<5"
HIDDEN = "…"


def sensitive_parts() -> frozenset[str]:
    return frozenset(PARTS) & configured_sensitive_items()


def category_label(part: str, code: str, language: str) -> str:
    for known, kk, ru in CATEGORIES.get(part, []):
        if known == code:
            return ru if language == "ru" else kk
    return code


@dataclass(frozen=True)
class Part:
    code: str
    label: str
    counts: list[tuple[str, str, int | str]]  # (category code, label, count or "<5"/"…")


def _small(n: int) -> bool:
    return 0 < n < SUPPRESS_BELOW


def masked_counts(counts: dict[str, int]) -> dict[str, int | str]:
    """One group's counts as shown without the sensitive capability."""
    shown: dict[str, int | str] = {k: (SMALL if _small(v) else v) for k, v in counts.items()}
    small = [k for k, v in counts.items() if _small(v)]
    others = sorted((v, k) for k, v in counts.items() if v >= SUPPRESS_BELOW)
    if len(small) == 1 and others:
        # The total less the shown counts would give the single small one: hide one more.
        shown[others[0][1]] = HIDDEN
    return shown


def shown_composition(composition: dict[str, dict[str, int]], *, exact: bool, language: str) -> list[Part]:
    hidden_parts = set() if exact else sensitive_parts()
    parts = []
    for code, label in PARTS.items():
        counts = {k: int(v) for k, v in (composition.get(code) or {}).items()}
        if code in hidden_parts or not counts:
            continue
        values: dict[str, int | str] = dict(counts) if exact else masked_counts(counts)
        parts.append(
            Part(
                code=code,
                label=str(label),
                counts=[(k, category_label(code, k, language), values[k]) for k in counts],
            )
        )
    return parts


def shown_total(total: int, *, exact: bool) -> int | str:
    return total if exact or not _small(total) else SMALL
