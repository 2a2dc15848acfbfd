import math

import pytest

from kelisim.surveys.scoring import (
    BOGARDUS_KEY,
    TOLERANCE_DIRECT,
    TOLERANCE_ITEMS,
    TOLERANCE_KEY,
    check_key,
    score,
)
from kelisim.surveys.stats import mean_interval, rise_p_value, wilson


def _all(value: int) -> dict[str, str]:
    return {item: str(value) for item in TOLERANCE_ITEMS}


def _most_tolerant() -> dict[str, str]:
    return {item: ("6" if n in TOLERANCE_DIRECT else "1") for n, item in enumerate(TOLERANCE_ITEMS, start=1)}


def test_tolerance_extremes_22_and_132():
    top = score(TOLERANCE_KEY, _most_tolerant())
    bottom = score(
        TOLERANCE_KEY,
        {item: ("1" if n in TOLERANCE_DIRECT else "6") for n, item in enumerate(TOLERANCE_ITEMS, start=1)},
    )
    assert (top.total, top.band) == (132, "high")
    assert (bottom.total, bottom.band) == (22, "low")


def test_tolerance_hand_computed_total_subscales_and_band():
    # All answers 4: 8 direct items give 4 each (32); 14 reversed give 7-4=3 each (42); total 74 → medium.
    result = score(TOLERANCE_KEY, _all(4))
    assert result.total == 74 and result.band == "medium"
    # ethnic = t02 t04 t07 t09 t12 t16 t22: direct t09 t16 t22 → 3×4; reversed t02 t04 t07 t12 → 4×3: 24.
    assert result.subscales["ethnic"] == 24
    # social = t01 t05 t06 t08 t10 t13 t18 t20: direct t01 t20 → 8; reversed six → 18: 26.
    assert result.subscales["social"] == 26


@pytest.mark.parametrize(
    ("total", "band"),
    [(22, "low"), (60, "low"), (61, "medium"), (99, "medium"), (100, "high"), (132, "high")],
)
def test_band_edges(total, band):
    key = {"items": ["x"], "scale": [1, 132], "reverse": [], "subscales": {}, "bands": TOLERANCE_KEY["bands"]}
    assert score(key, {"x": str(total)}).band == band


def test_missing_item_gives_no_total_but_keeps_complete_subscales():
    answers = _all(4)
    del answers["t03"]
    result = score(TOLERANCE_KEY, answers)
    assert result.total is None and result.band == ""
    assert "personal" not in result.subscales and "ethnic" in result.subscales


def test_bogardus_levels_per_target_group():
    result = score(BOGARDUS_KEY, {"bg_other_ethnic": "1", "bg_other_faith": "3", "bg_migrants": "7"})
    assert result.total == 11 and result.band == "moderate"
    assert result.subscales == {"bg_other_ethnic": 1, "bg_other_faith": 3, "bg_migrants": 7}
    assert (
        score(BOGARDUS_KEY, {"bg_other_ethnic": "8", "bg_other_faith": "1", "bg_migrants": "1"}).total is None
    )


def test_malformed_keys_are_refused():
    with pytest.raises(ValueError, match="scale"):
        check_key({"items": ["a"], "scale": [6, 1]})
    with pytest.raises(ValueError, match="zz"):
        check_key({"items": ["a"], "scale": [1, 6], "reverse": ["zz"]})


def test_wilson_interval_matches_published_values():
    # Newcombe (1998), table I: 15/148 → 0.0624–0.1605; 0/20 → 0–0.1611.
    a = wilson(15, 148)
    assert (round(a.low, 4), round(a.high, 4)) == (0.0624, 0.1605)
    b = wilson(0, 20)
    assert b.low == 0 and round(b.high, 4) == 0.1611


def test_mean_interval_uses_student_t():
    values = [10, 12, 14, 16, 18]  # mean 14, sd 3.1623, t(4)=2.776 → ±3.926
    interval = mean_interval(len(values), sum(values), sum(v * v for v in values))
    assert interval.estimate == 14
    assert math.isclose(interval.high - 14, 2.776 * math.sqrt(10 / 5), rel_tol=1e-9)


def test_rise_test_flags_a_real_rise_only():
    assert rise_p_value((10, 100), (25, 100)) < 0.01
    assert rise_p_value((25, 100), (10, 100)) > 0.99
    assert 0.3 < rise_p_value((10, 100), (11, 100)) < 0.5
