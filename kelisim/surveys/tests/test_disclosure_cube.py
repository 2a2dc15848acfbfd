"""The protection of the tables itself (disclosure.Cube), on tables drawn at random and on edge
cases, against an attacker who solves every relation between the published figures (attack.py)."""

import random

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kelisim.surveys import disclosure
from kelisim.surveys.disclosure import Cube, Row

from .attack import breaches, relations


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    districts=st.integers(1, 3),
    years=st.integers(1, 3),
    top=st.sampled_from([2, 4, 8, 30]),
)
def test_no_hidden_cell_is_recovered_from_random_tables(seed, districts, years, top):
    """Two groupings of the same respondents, published side by side: no shown cell is under five,
    no hidden cell follows from any sums and differences of the shown ones, no shown total less its
    shown parts leaves fewer than five."""
    rng = random.Random(seed)
    places = [f"{region}{d}0000000"[:9] for region in ("31", "32") for d in range(1, districts + 1)]
    people: dict[tuple[str, int, str, str], int] = {}
    for place in places:
        for year in range(2021, 2021 + years):
            for a in "xyz":
                for b in "pq":
                    if rng.random() < 0.7:
                        people[(place, year, a, b)] = rng.randint(1, top)
    truth, shown, equations = {}, set(), []
    for position, name in ((2, "a"), (3, "b")):
        rows: dict[tuple[str, int, str], int] = {}
        for key, n in people.items():
            rows[(key[0], key[1], key[position])] = rows.get((key[0], key[1], key[position]), 0) + n
        cube = Cube([Row(d, y, c, n) for (d, y, c), n in rows.items()], categorical=True)

        def named(k, name=name):  # type: ignore[no-untyped-def]
            return (k[0], k[1], None if k[2] is None else f"{name}:{k[2]}")

        cells = {named(k): cube.n(k) for k in cube.cells}
        truth.update(cells)
        shown |= {named(k) for k in cube.cells if cube.shown(k)}
        equations += relations(cells)
    assert breaches(truth, shown, equations) == []


def test_sensitive_items_come_from_the_marker_and_the_configured_list():
    definition = {
        "children": [
            {"type": "select one", "name": "faith_q", "itemset": "religion"},
            {"type": "select one", "name": "dialect", "sensitive": "Yes"},
            {"type": "select one", "name": "gender", "itemset": "gender"},
            {"type": "group", "name": "g", "children": [{"type": "text", "name": "ethnicity"}]},
        ]
    }
    assert disclosure.sensitive_items(definition) == {"faith_q", "dialect", "ethnicity"}
    with override_settings(KELISIM_SURVEY_SENSITIVE_ITEMS=["gender"]):
        assert disclosure.sensitive_items(definition) == {"dialect", "gender"}


@pytest.mark.parametrize("counts", [{"31": 3}, {"31": 3, "32": 9}])
def test_a_lone_small_district_hides_its_total_or_a_partner(counts):
    cube = Cube([Row(f"{k}1000000", 2023, None, n) for k, n in counts.items()], categorical=False)
    assert all(cube.n(k) >= 5 for k in cube.cells if cube.shown(k))
    assert breaches({k: cube.n(k) for k in cube.cells}, {k for k in cube.cells if cube.shown(k)}) == []


def test_tables_without_small_groups_hide_nothing():
    rows = [
        Row(d, y, c, 5 + i)
        for i, (d, y, c) in enumerate(
            (d, y, c) for d in ("311000000", "312000000") for y in (2022, 2023) for c in "ab"
        )
    ]
    cube = Cube(rows, categorical=True)
    assert cube.hidden == set() and cube.complete


def _small_cube_rows(n_first: int) -> list[Row]:
    return [
        Row("311000000", 2023, "a", n_first),
        Row("311000000", 2023, "b", 9),
        Row("312000000", 2023, "a", 7),
        Row("312000000", 2023, "b", 8),
    ]


def test_equal_counts_reuse_the_protection_without_searching_again(monkeypatch):
    disclosure._PROTECTED.clear()
    first = Cube(_small_cube_rows(2), categorical=True)
    assert first.hidden  # the lone small group and its complements

    def searched(self):  # type: ignore[no-untyped-def]
        raise AssertionError("the same counts were protected again")

    monkeypatch.setattr(Cube, "_protect", searched)
    again = Cube(_small_cube_rows(2), categorical=True)
    assert again.hidden == first.hidden and again.complete == first.complete
    again.hidden.add(("", None, None))  # a caller's change stays its own
    assert ("", None, None) not in Cube(_small_cube_rows(2), categorical=True).hidden


def test_changed_counts_are_protected_afresh(monkeypatch):
    disclosure._PROTECTED.clear()
    Cube(_small_cube_rows(2), categorical=True)
    calls = []
    protect = Cube._protect

    def counted(self):  # type: ignore[no-untyped-def]
        calls.append(self)
        protect(self)

    monkeypatch.setattr(Cube, "_protect", counted)
    changed = Cube(_small_cube_rows(6), categorical=True)  # no group under five any more
    assert len(calls) == 1 and changed.hidden == set()
    Cube(_small_cube_rows(2), categorical=False)  # another kind of cube, the same counts
    assert len(calls) == 2


def test_kept_protections_are_bounded():
    kept = disclosure._Protections(size=2)
    for i in range(3):
        kept.put(bytes([i]), (frozenset(), True))
    assert kept.get(bytes([0])) is None and kept.get(bytes([2])) is not None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), categorical=st.booleans(), fractional=st.booleans())
def test_packed_sums_are_the_stat_sums_to_the_bit(seed, categorical, fractional):
    """The cube's cells summed packed in integers are _aggregate's, Stat by Stat, in the same order
    and to the bit; rows it can't pack (fractional sums, bands named in another order) take that
    path itself."""
    rng = random.Random(seed)
    rows = []
    for _ in range(rng.randint(0, 60)):
        bands = {b: rng.randint(0, 9) for b in ("low", "medium", "high")}
        if fractional and rng.random() < 0.1:
            bands = dict(reversed(bands.items()))
        total = rng.random() * 50 if fractional else float(rng.randint(0, 3000))
        rows.append(
            Row(
                f"{rng.choice(['31', '32'])}{rng.randint(1, 4)}0000000"[:9],
                rng.choice([2022, 2023, 2024]),
                rng.choice("abc"),
                rng.randint(0, 12),
                total,
                total * total,
                bands,
            )
        )
    cube = Cube(rows, categorical=categorical)
    if not fractional:
        assert isinstance(cube.cells, disclosure._Packed)
    expected = {k: v for k, v in disclosure._aggregate(rows, categorical).items() if v.n > 0}
    assert list(cube.cells) == list(expected)
    for key, stat in expected.items():
        cell = cube.cells[key]
        assert (cell.n, cell.s.hex(), cell.ss.hex(), list(cell.bands.items())) == (
            stat.n,
            stat.s.hex(),
            stat.ss.hex(),
            list(stat.bands.items()),
        )
        assert cube.n(key) == stat.n
