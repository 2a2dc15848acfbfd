"""Loose string identity, the same notion the corpus scorer uses, for de-duplicating list fields.

Two phrases are the same item when the F1 of their word sets is at least 0.5, words being cut to
five letters after lower-casing and dropping punctuation ("облыстық ішкі саясат басқармасы" and
"Жамбыл облысы әкімдігінің ішкі саясат басқармасы" are one body).
"""

from __future__ import annotations

import functools
import re
from typing import Final

_PUNCT: Final = re.compile(r"[«»\"'“”„`.,;:!?()\[\]/\\\-–—№_]+")


def stems(text: str | None) -> set[str]:
    return set(_stems(text)) if text else set()


@functools.lru_cache(maxsize=16384)
def _stems(text: str) -> frozenset[str]:
    lowered = text.lower().replace("ё", "е").replace("i", "і")
    return frozenset(w[:5] for w in _PUNCT.sub(" ", lowered).split() if len(w) >= 2 or w.isdigit())


def same_item(a: str | None, b: str | None) -> bool:
    wa, wb = stems(a), stems(b)
    common = len(wa & wb)
    if not common:
        return False
    precision, recall = common / len(wa), common / len(wb)
    return 2 * precision * recall / (precision + recall) >= 0.5


def _overlap_f1(a: set[str], b: set[str]) -> float:
    common = len(a & b)
    return 2 * common / (len(a) + len(b)) if common else 0.0


def unique(items: list[str], *, strict: bool = False) -> list[str]:
    """Items in order without repeats; of two phrases for one item the fuller one is kept.

    `strict` counts two phrases as one item only when they share most of their words (0.8), for
    lists such as organisations where "управление по делам религий Акмолинской области" and
    "Центр исследования проблем религий Акмолинской области" are two bodies.
    """
    kept: list[str] = []
    for item in items:
        if not item:
            continue
        words = stems(item)
        fuller = next((i for i, k in enumerate(kept) if stems(k) < words), None)
        if fuller is not None:
            kept[fuller] = item
            kept = [k for n, k in enumerate(kept) if n == fuller or not stems(k) < words]
            continue
        if any(
            words <= stems(k) or (_overlap_f1(words, stems(k)) >= 0.8 if strict else same_item(item, k))
            for k in kept
        ):
            continue
        kept.append(item)
    return kept
