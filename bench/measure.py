"""Timing helpers: repeated runs, medians and percentiles, and the result records."""

import math
import statistics
import time
from collections.abc import Callable
from typing import Any


def repeat(fn: Callable[[], Any], repetitions: int, warmup: int = 1) -> tuple[list[float], Any]:
    """Seconds of each of `repetitions` calls after `warmup` unrecorded ones, and the last result."""
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def figure(
    name: str,
    database: str,
    value: float,
    unit: str,
    baseline: float,
    *,
    baseline_name: str,
    target: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One result record. `ratio` is value / baseline; `target` is {"on": "ratio"|"value", "op": "<="|">=",
    "limit": x, "text": "..."} and `target_met` says whether the figure meets it."""
    ratio = value / baseline if baseline else math.nan
    met = None
    if target is not None:
        subject = ratio if target["on"] == "ratio" else value
        met = subject <= target["limit"] if target["op"] == "<=" else subject >= target["limit"]
    return {
        "name": name,
        "database": database,
        "value": round(value, 4),
        "unit": unit,
        "baseline": round(baseline, 4),
        "baseline_name": baseline_name,
        "ratio": round(ratio, 3),
        "target": target,
        "target_met": met,
        **extra,
    }


def not_measured(name: str, database: str, reason: str) -> dict[str, Any]:
    return {
        "name": name,
        "database": database,
        "value": None,
        "unit": None,
        "baseline": None,
        "ratio": None,
        "target": None,
        "target_met": None,
        "not_measured": reason,
    }
