"""An attacker of published survey tables, written apart from the code it attacks.

It knows how the tables add up (a total is the sum of its parts along territory, year and category),
every figure published, and — stronger than a real one — which hidden cells hold anybody. From the
shown cells it solves for the hidden ones exactly (Gaussian elimination over the rationals) and
reports each hidden cell whose count is determined, and each shown total whose hidden parts hold
fewer than five respondents between them (their mean would be a small group's mean).
"""

from collections.abc import Iterable, Mapping
from fractions import Fraction

Key = tuple[str, int | None, str | None]


def relations(keys: Iterable[Key]) -> list[tuple[Key, list[Key]]]:
    """Every "total = sum of parts" the tables offer, over the given cells."""
    keys = set(keys)
    districts = {t for t, _, _ in keys if len(t) > 2}
    regions = {t for t, _, _ in keys if 0 < len(t) <= 2}
    years = {y for _, y, _ in keys if y is not None}
    categories = {c for _, _, c in keys if c is not None}
    out: list[tuple[Key, list[Key]]] = []
    for year in (None, *years):
        for category in (None, *categories):
            out.append((("", year, category), [(r, year, category) for r in regions]))
            out.append((("", year, category), [(d, year, category) for d in districts]))
            for region in regions:
                out.append(
                    ((region, year, category), [(d, year, category) for d in districts if d[:2] == region])
                )
    for territory in ("", *regions, *districts):
        for category in (None, *categories):
            out.append(((territory, None, category), [(territory, y, category) for y in years]))
        if categories:
            for year in (None, *years):
                out.append(((territory, year, None), [(territory, year, c) for c in categories]))
    # A relation none of whose parts is published (the groups of every year together) is no relation.
    return [(p, kept) for p, children in out if p in keys and (kept := [c for c in children if c in keys])]


def determined(hidden: list[Key], equations: list[tuple[Key, list[Key]]]) -> set[Key]:
    """The hidden cells whose value follows from the equations (all other cells known)."""
    index = {k: i for i, k in enumerate(hidden)}
    rows: list[list[Fraction]] = []
    for parent, children in equations:
        row = [Fraction(0)] * len(hidden)
        touched = False
        for key, sign in [(parent, 1), *[(c, -1) for c in children]]:
            if key in index:
                row[index[key]] += sign
                touched = True
        if touched:
            rows.append(row)
    pivots: list[int] = []
    r = 0
    for col in range(len(hidden)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][col]
        rows[r] = [v / lead for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                factor = rows[i][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(col)
        r += 1
    pivot_set = set(pivots)
    found = set()
    for row_index, col in enumerate(pivots):
        if all(rows[row_index][j] == 0 for j in range(len(hidden)) if j not in pivot_set):
            found.add(hidden[col])
    return found


def breaches(
    truth: Mapping[Key, int],
    shown: set[Key],
    equations: list[tuple[Key, list[Key]]] | None = None,
    threshold: int = 5,
) -> list[str]:
    """What the attacker learns that the small-cell rule forbids, in words (empty: nothing).
    `equations`: the relations of several groupings together (default: those of `truth` alone)."""
    problems = [
        f"{k} is shown with n={truth[k]}" for k in sorted(shown, key=repr) if 0 < truth[k] < threshold
    ]
    hidden = sorted((k for k, n in truth.items() if n > 0 and k not in shown), key=repr)
    equations = relations(truth) if equations is None else equations
    problems += [f"{k} (n={truth[k]}) is recovered" for k in sorted(determined(hidden, equations), key=repr)]
    for parent, children in equations:
        if parent in shown:
            rest = sum(truth[c] for c in children if c not in shown)
            if 0 < rest < threshold:
                problems.append(f"{parent} minus its shown parts leaves a group of {rest}")
    return problems
