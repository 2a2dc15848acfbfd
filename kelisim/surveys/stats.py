"""The statistics the analytics page states: sample sizes, 95% intervals and a trend test.

No SciPy: a few closed forms are enough, and they are checked against published values in tests.
"""

import math
from dataclasses import dataclass

SUPPRESS_BELOW = 5  # a group of fewer respondents is never shown, anywhere
Z95 = 1.959963984540054
# Two-sided 95% Student t quantiles for small samples; beyond 30 the normal value is close enough.
_T95 = [
    12.706,
    4.303,
    3.182,
    2.776,
    2.571,
    2.447,
    2.365,
    2.306,
    2.262,
    2.228,
    2.201,
    2.179,
    2.160,
    2.145,
    2.131,
    2.120,
    2.110,
    2.101,
    2.093,
    2.086,
    2.080,
    2.074,
    2.069,
    2.064,
    2.060,
    2.056,
    2.052,
    2.048,
    2.045,
    2.042,
]


def t95(df: int) -> float:
    return _T95[df - 1] if 1 <= df <= len(_T95) else Z95


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float


def wilson(successes: int, n: int) -> Interval:
    """Wilson score interval for a share: honest near 0 and 1, where the plain one is not."""
    if n == 0:
        return Interval(math.nan, math.nan, math.nan)
    p = successes / n
    denominator = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denominator
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denominator
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


def mean_interval(n: int, total: float, total_of_squares: float) -> Interval:
    """Mean with a t interval, from sums (so the database can do the adding up)."""
    if n == 0:
        return Interval(math.nan, math.nan, math.nan)
    mean = total / n
    if n == 1:
        return Interval(mean, math.nan, math.nan)
    variance = max(0.0, (total_of_squares - n * mean * mean) / (n - 1))
    half = t95(n - 1) * math.sqrt(variance / n)
    return Interval(mean, mean - half, mean + half)


def rise_p_value(before: tuple[int, int], after: tuple[int, int]) -> float:
    """One-sided two-proportion z-test (pooled) that the share rose from `before` to `after`,
    each given as (cases, n). The early-warning flag is raised when p < 0.05."""
    (x1, n1), (x2, n2) = before, after
    if min(n1, n2) == 0:
        return 1.0
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 1.0
    z = (x2 / n2 - x1 / n1) / se
    return 0.5 * math.erfc(z / math.sqrt(2))
