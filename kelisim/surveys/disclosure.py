"""Statistical disclosure control of survey data: which questions are sensitive, and which cells of
the published tables are hidden.

Sensitive questions (ethnicity, religion…) are named by the instrument: a `sensitive` column on the
XLSForm's survey sheet (yes/true), or a question or choice-list name in the configured list
`KELISIM_SURVEY_SENSITIVE_ITEMS` (default: DEFAULT_SENSITIVE_ITEMS). Their answers reach holders of
`view_sensitive` only (selectors.py).

Every table the analytics publish — one grouping of one filtered population — is a line of one
cube: territory (the user's scope > regions > districts) × year (every year > each year) × group
(every group > each group). A cell of fewer than five respondents is hidden (primary suppression).
More cells are then hidden (complementary suppression) until

- no shown total less its shown parts leaves a single hidden part, or hidden parts of fewer than
  five respondents between them (along territory, year or group): the next smallest part is
  hidden, or the total when no part can be;
- no hidden cell follows from any sums and differences of shown ones: each has a witness (Cube).

The cells of every group (territory × year) are protected first, and the same way for every
grouping, so that a cell hidden in one table is hidden in all of them, whatever the filters.
"""

import hashlib
import threading
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import product
from typing import Any

from django.conf import settings

from .stats import SUPPRESS_BELOW
from .xlsform import walk

# Question (or choice-list) names treated as sensitive when the XLSForm does not say otherwise.
DEFAULT_SENSITIVE_ITEMS = ("ethnicity", "nationality", "religion", "faith", "confession")
_YES = {"yes", "true", "true()", "1", "y"}

# A cube cell: (territory, year, category). Territory "" is the user's whole scope, two digits a
# region, nine a district; year None is every year; category None is every category.
Key = tuple[str, int | None, str | None]


def configured_sensitive_items() -> frozenset[str]:
    return frozenset(getattr(settings, "KELISIM_SURVEY_SENSITIVE_ITEMS", DEFAULT_SENSITIVE_ITEMS))


def sensitive_items(definition: Mapping[str, Any]) -> frozenset[str]:
    """Names of the questions of an instrument version whose answers are sensitive."""
    configured = configured_sensitive_items()
    found = set()
    for question in walk(dict(definition)):
        name = str(question.get("name", ""))
        marker = str(question.get("sensitive", "")).strip().lower()
        lists = {str(question.get("itemset", "")), str(question.get("list_name", ""))} - {""}
        if marker in _YES or name in configured or lists & configured:
            found.add(name)
    return frozenset(found)


@dataclass
class Stat:
    """Additive figures of one cell: respondents, sum and sum of squares of the total, band counts."""

    n: int = 0
    s: float = 0.0
    ss: float = 0.0
    bands: dict[str, int] = field(default_factory=dict)

    def add(self, n: int, s: float, ss: float, bands: Mapping[str, int]) -> None:
        self.n += n
        self.s += s
        self.ss += ss
        for band, count in bands.items():
            self.bands[band] = self.bands.get(band, 0) + count


@dataclass(frozen=True)
class Row:
    """One group of the database's answer: a district, a year, a category (None: no grouping)."""

    district: str
    year: int
    category: str | None
    n: int
    s: float = 0.0
    ss: float = 0.0
    bands: Mapping[str, int] = field(default_factory=dict)


def region_of(district: str) -> str:
    return district[:2]


def _aggregate(rows: Iterable[Row], categorical: bool) -> dict[Key, Stat]:
    """Every cell of the cube, each total summed from the level below it (categories into their
    row, years into every year, districts into their region, regions into the scope) rather than
    every row added to all twelve cells above it: a national cube is a few thousand rows, and the
    additions were most of its cost. The cube itself sums them packed (`_Packed`); this is the
    reference it is checked against, and its way when the rows can't be packed."""

    def roll_up(cells: dict[Key, Stat], parent: Callable[[Key], Key]) -> dict[Key, Stat]:
        totals: dict[Key, Stat] = defaultdict(Stat)
        for key, stat in cells.items():
            totals[parent(key)].add(stat.n, stat.s, stat.ss, stat.bands)
        return totals

    base: dict[Key, Stat] = defaultdict(Stat)
    for row in rows:
        base[(row.district, row.year, row.category if categorical else None)].add(
            row.n, row.s, row.ss, row.bands
        )
    cells = dict(base)
    if categorical:
        cells |= roll_up(base, lambda k: (k[0], k[1], None))
    cells |= roll_up(cells, lambda k: (k[0], None, k[2]))
    regions = roll_up(cells, lambda k: (region_of(k[0]), k[1], k[2]))
    return cells | regions | roll_up(regions, lambda k: ("", k[1], k[2]))


# Sums of floats are exact (and so the same in any order as Stat.add's) up to 2**53.
_EXACT = 2**53


class _Packed(Mapping[Key, Stat]):
    """The cells of `_aggregate`, summed with one integer addition per part instead of a Stat.add:
    each cell's figures (n, s, ss, the count of each band) are fields of one Python integer, wide
    enough that no sum carries into the next field. A Stat is made only for a cell that is read.

    Only for rows whose figures are whole and not negative, the sums of s and ss within 2**53
    (every partial sum of such floats is then exact: the same, to the bit, as Stat.add's), and
    whose bands have the same names in the same order; `pack` gives None otherwise."""

    def __init__(self, sums: dict[Key, int], width: int, names: tuple[str, ...]) -> None:
        self._sums = sums
        self._width = width
        self._names = names
        self._made: dict[Key, Stat] = {}

    @classmethod
    def pack(cls, rows: list[Row], categorical: bool) -> "_Packed | None":
        names = tuple(rows[0].bands) if rows else ()
        if any(tuple(row.bands) != names for row in rows):
            return None
        columns: list[list[Any]] = [[row.n for row in rows]]
        for floats in ([row.s for row in rows], [row.ss for row in rows]):
            if not {type(x) for x in floats} <= {int, float}:
                return None
            try:
                whole = [int(x) for x in floats]
            except (ValueError, OverflowError):  # nan, inf
                return None
            if whole != floats:
                return None
            columns.append(whole)
        columns += [list(c) for c in zip(*(row.bands.values() for row in rows), strict=True)]
        if any(not {type(x) for x in c} <= {int} or min(c, default=0) < 0 for c in columns):
            return None
        totals = [sum(c) for c in columns]
        if max(totals[1:3], default=0) > _EXACT:
            return None
        width = max(totals, default=0).bit_length() + 1
        packed = columns[0]
        for index, column in enumerate(columns[1:], start=1):
            shift = index * width
            packed = [p + (x << shift) for p, x in zip(packed, column, strict=True)]
        # The levels of `_aggregate`, in its order; each part's total named by a comprehension, not a
        # function called per part.
        base = _summed([(r.district, r.year, r.category if categorical else None) for r in rows], packed)
        cells = dict(base)
        if categorical:
            cells |= _summed([(t, y, None) for t, y, _ in base], base.values())
        cells |= _summed([(t, None, c) for t, _, c in cells], cells.values())
        regions = _summed([(region_of(t), y, c) for t, y, c in cells], cells.values())
        everything = cells | regions | _summed([("", y, c) for _, y, c in regions], regions.values())
        mask = (1 << width) - 1
        return cls({k: v for k, v in everything.items() if v & mask}, width, names)

    def counts(self) -> dict[Key, int]:
        """Every cell's respondents, without making its Stat."""
        mask = (1 << self._width) - 1
        return {k: v & mask for k, v in self._sums.items()}

    def __getitem__(self, key: Key) -> Stat:
        made = self._made.get(key)
        if made is None:
            value, width = self._sums[key], self._width
            mask = (1 << width) - 1
            fields = [(value >> (i * width)) & mask for i in range(3 + len(self._names))]
            made = self._made[key] = Stat(
                fields[0], float(fields[1]), float(fields[2]), dict(zip(self._names, fields[3:], strict=True))
            )
        return made

    def __contains__(self, key: object) -> bool:
        return key in self._sums

    def __iter__(self) -> Iterator[Key]:
        return iter(self._sums)

    def __len__(self) -> int:
        return len(self._sums)


def _summed(parents: Iterable[Key], values: Iterable[int]) -> dict[Key, int]:
    """The packed figures added up by the cell each part belongs to, in the parts' order."""
    totals: dict[Key, int] = {}
    get = totals.get
    for above, value in zip(parents, values, strict=True):
        totals[above] = get(above, 0) + value
    return totals


Equation = tuple[Key, list[Key]]

# Raise when a change to Cube's protection can hide other cells for the same counts: it retires
# every protection kept under the old rules.
PROTECTION_EDITION = 1


class _Protections:
    """The hidden cells of the last cubes protected in this process, by their counts' fingerprint.

    Protecting a national cube (the witness search) costs a hundred milliseconds or more, every
    time an analytics page is drawn, while the counts change only when responses arrive. Keyed by
    the counts themselves, a kept answer is never stale: new responses make a new fingerprint."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[bytes, tuple[frozenset[Key], bool]] = OrderedDict()
        self._lock = threading.Lock()  # a server's threads draw pages side by side

    def get(self, fingerprint: bytes) -> tuple[frozenset[Key], bool] | None:
        with self._lock:
            found = self._kept.get(fingerprint)
            if found is not None:
                self._kept.move_to_end(fingerprint)
            return found

    def put(self, fingerprint: bytes, protection: tuple[frozenset[Key], bool]) -> None:
        with self._lock:
            self._kept[fingerprint] = protection
            self._kept.move_to_end(fingerprint)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


_PROTECTED = _Protections(size=32)


class Cube:
    """The cells of one grouping over the user's scope, with the hidden ones marked.

    Every hidden cell has a witness: a change of some respondents' cells (+1 here, -1 there) that
    alters it, alters only hidden cells, and leaves every shown figure as it is. No sum or
    difference of shown figures can then tell the hidden cell's value. A witness is a small
    "hypercube": along territory, year and category it pairs the cell with a sibling (the district
    next door, another year, another category: both change, their total does not) or carries the
    change up to the total (which is then hidden too).
    """

    def __init__(self, rows: Iterable[Row], *, categorical: bool, threshold: int = SUPPRESS_BELOW) -> None:
        self.categorical = categorical
        self.threshold = threshold
        rows = rows if isinstance(rows, list) else list(rows)
        packed = _Packed.pack(rows, categorical)
        self.cells: Mapping[Key, Stat]
        if packed is None:
            self.cells = {k: v for k, v in _aggregate(rows, categorical).items() if v.n > 0}
            self._n = {k: v.n for k, v in self.cells.items()}
        else:
            self.cells, self._n = packed, packed.counts()
        self.districts = sorted({t for t, _, _ in self.cells if len(t) > 2})
        self.regions = sorted({t for t, _, _ in self.cells if 0 < len(t) <= 2})
        self.years = sorted({y for _, y, _ in self.cells if y is not None})
        self.categories = sorted({c for _, _, c in self.cells if c is not None})
        self._members: dict[str, list[str]] = defaultdict(list)
        for district in self.districts:
            self._members[region_of(district)].append(district)
        self._groups: dict[tuple[str, int], set[str]] = {}
        self.hidden: set[Key] = set()
        self.complete = True  # False: the groups could not be protected one by one and are all hidden
        fingerprint = self._fingerprint()
        known = _PROTECTED.get(fingerprint)
        if known is None:
            self._protect()
            _PROTECTED.put(fingerprint, (frozenset(self.hidden), self.complete))
        else:
            hidden, self.complete = known
            self.hidden = set(hidden)

    def _fingerprint(self) -> bytes:
        """What the protection depends on, and nothing else: every cell's count, the kind of cube,
        the threshold and the algorithm's edition. Equal fingerprints hide the same cells."""
        counts = sorted(f"{t}|{y}|{c}|{n}" for (t, y, c), n in self._n.items())
        counts.append(f"{self.categorical}|{self.threshold}|{PROTECTION_EDITION}")
        return hashlib.blake2b("\n".join(counts).encode(), digest_size=20).digest()

    def n(self, key: Key) -> int:
        return self._n.get(key, 0)

    def shown(self, key: Key) -> Stat | None:
        cell = self.cells.get(key)
        if cell is None or key in self.hidden:
            return None
        return cell

    def small(self, key: Key) -> bool:
        return 0 < self.n(key) < self.threshold

    # The additive relations of the published tables: a total and its parts.

    def equations(self) -> tuple[list[Equation], list[Equation]]:
        """(relations among the cells of every category, relations with a category)."""
        base: list[Equation] = []
        by_category: list[Equation] = []
        territories = ["", *self.regions, *self.districts]
        for category in (None, *(self.categories if self.categorical else [])):
            target = base if category is None else by_category
            for year in (None, *self.years):
                target.append((("", year, category), [(r, year, category) for r in self.regions]))
                target.append((("", year, category), [(d, year, category) for d in self.districts]))
                for region in self.regions:
                    target.append(
                        (
                            (region, year, category),
                            [(d, year, category) for d in self._members[region]],
                        )
                    )
            for territory in territories:
                target.append(((territory, None, category), [(territory, y, category) for y in self.years]))
        if self.categorical:
            for territory in territories:
                for year in (None, *self.years):
                    by_category.append(
                        ((territory, year, None), [(territory, year, c) for c in self.categories])
                    )
        keep = self.cells.keys()
        return tuple(  # type: ignore[return-value]
            [(p, kept) for p, children in group if p in keep and (kept := [c for c in children if c in keep])]
            for group in (base, by_category)
        )

    # Witnesses.

    def _territory_options(
        self, territory: str, need: Callable[[str], int]
    ) -> list[tuple[frozenset[str], tuple[str, ...]]]:
        """Ways to change `territory`: (territories changed, districts where the change is made).
        `need(district)`: how many respondents the district has where the change would be made."""

        def members(region: str) -> list[str]:
            return sorted((d for d in self._members[region] if need(d)), key=lambda d: -need(d))[:3]

        options: list[tuple[frozenset[str], tuple[str, ...]]] = []
        if len(territory) > 2:
            region = region_of(territory)
            siblings = sorted(
                (d for d in self._members[region] if d != territory and need(d)), key=lambda d: -need(d)
            )
            siblings = siblings[:6]  # the largest neighbours: a witness needs one
            options += [(frozenset({territory, d}), (territory, d)) for d in siblings]
            options.append((frozenset({territory, region, ""}), (territory,)))
        elif territory:
            for other in self.regions:
                if other != territory:
                    for mine, theirs in product(members(territory), members(other)):
                        options.append((frozenset({mine, territory, theirs, other}), (mine, theirs)))
            options += [(frozenset({d, territory, ""}), (d,)) for d in members(territory)]
        else:
            options += [(frozenset({d, region_of(d), ""}), (d,)) for r in self.regions for d in members(r)]
        return options

    def _year_options(self, year: int | None) -> list[tuple[frozenset[int | None], tuple[int, ...]]]:
        """Ways to change `year`: (years changed, years where the change is made)."""
        if year is None:
            return [(frozenset({y, None}), (y,)) for y in self.years]
        options: list[tuple[frozenset[int | None], tuple[int, ...]]] = [
            (frozenset({year, y}), (year, y)) for y in self.years if y != year
        ]
        options.append((frozenset({year, None}), (year,)))
        return options

    def _base_witness(self, key: Key, hidden: set[Key]) -> "Witness":
        """The cheapest witness of a cell of every category (one always exists: the change made in
        one district and year under the cell, carried up to every total above it)."""
        territory, year, _ = key
        best: tuple[tuple[int, int, int], Witness] | None = None
        for (t_changed, t_where), (y_changed, y_where) in product(
            self._territory_options(territory, lambda d: self.n((d, year, None))), self._year_options(year)
        ):
            if not all(self.n((d, y, None)) for d, y in product(t_where, y_where)):
                continue  # a change can't be made where nobody is
            witness = Witness(t_where, y_where, frozenset(product(t_changed, y_changed, (None,))))
            cost = self._cost(witness.changed, hidden)
            if best is None or cost < best[0]:
                best = (cost, witness)
        assert best is not None
        return best[1]

    def _group_witness(self, key: Key, hidden: set[Key]) -> set[Key] | None:
        """The cheapest witness of a group: paired with another group of its row."""
        territory, year, category = key
        best: tuple[tuple[int, int, int], set[Key]] | None = None
        options = product(
            self._territory_options(territory, lambda d: self.n((d, year, category))),
            self._year_options(year),
        )
        for (t_changed, t_where), (y_changed, y_where) in options:
            # The groups every district and year of the change has: the partner is one of them.
            shared = set.intersection(*(self._groups_at(d, y) for d, y in product(t_where, y_where)))
            if category not in shared:
                continue
            for other in sorted(shared - {category}):
                changed: set[Key] = set(product(t_changed, y_changed, (category, other)))
                cost = self._cost(changed, hidden)
                if best is None or cost < best[0]:
                    best = (cost, changed)
            if best is not None and not best[0][0]:
                break  # nothing more to hide: none is cheaper
        return None if best is None else best[1]

    def _groups_at(self, district: str, year: int) -> set[str]:
        """The groups with anybody in a district and year."""
        found = self._groups.get((district, year))
        if found is None:
            found = self._groups[(district, year)] = {
                c for c in self.categories if self.n((district, year, c))
            }
        return found

    def _carried(self, witness: "Witness", hidden: set[Key]) -> set[Key]:
        """The groups a witness of the base changes in this grouping: each district and year where
        the change is made moves one of its groups (the same for all of them when they share one),
        and so does every larger territory's group, and every year's, whose changes don't cancel."""
        corners = list(product(witness.districts, witness.years))
        common = [c for c in self.categories if all(self.n((d, y, c)) for d, y in corners)]
        choice: dict[tuple[str, int], str] = {}
        for district, year in corners:
            options = common or [c for c in self.categories if self.n((district, year, c))]
            choice[(district, year)] = min(
                options, key=lambda c: (self._cost(self._chain(district, year, c), hidden), c)
            )
            if common:
                common = [choice[(district, year)]]
        net: dict[Key, int] = defaultdict(int)
        for (t_sign, district), (y_sign, year) in product(
            zip((1, -1), witness.districts, strict=False), zip((1, -1), witness.years, strict=False)
        ):
            for cell in self._chain(district, year, choice[(district, year)]):
                net[cell] += t_sign * y_sign
        return {cell for cell, value in net.items() if value}

    @staticmethod
    def _chain(district: str, year: int, category: str) -> set[Key]:
        """A group of a district and year, and the groups of every territory and period above it."""
        return {(t, y, category) for t in (district, region_of(district), "") for y in (year, None)}

    def _cost(self, changed: Iterable[Key], hidden: set[Key]) -> tuple[int, int, int]:
        new = [c for c in changed if c not in hidden]
        return len(new), sum(1 for c in new if self.small(c)), sum(self.n(c) for c in new)

    def _protect(self) -> None:
        base, by_category = self.equations()
        base_index = _touching(base)
        hidden = {k for k in self.cells if k[2] is None and self.small(k)}
        witnesses: list[Witness] = []
        covered: set[Key] = set()
        while True:
            for key in sorted(hidden - covered, key=lambda k: (self.n(k), repr(k))):
                if key not in covered:
                    witness = self._base_witness(key, hidden)
                    witnesses.append(witness)
                    hidden |= witness.changed
                    covered |= witness.changed
            _suppress(self.n, base, base_index, hidden, lambda key: True, self.threshold)
            if hidden <= covered:
                break
        self.hidden = hidden
        if not self.categorical:
            return
        base_hidden = set(hidden)

        def tied(key: Key) -> bool:
            # A group holding every respondent of its row is the row's total: it shares its fate.
            return self.n(key) == self.n((key[0], key[1], None))

        def can_hide(key: Key) -> bool:
            return key[2] is not None and not tied(key)

        groups = [k for k in self.cells if k[2] is not None]
        start = {k for k in groups if self.small(k) or (tied(k) and (k[0], k[1], None) in base_hidden)}
        hidden = base_hidden | start
        # The same witnesses as in the base, so that groupings published side by side agree.
        covered = set(base_hidden)
        for witness in witnesses:
            carried = self._carried(witness, hidden)
            hidden |= carried
            covered |= carried
        # A group holding its whole row moves whenever the row's total does: a witness carries it.
        covered |= {k for k in start if tied(k)}
        by_category_index = _touching(by_category)
        while True:
            for key in sorted(hidden - covered, key=lambda k: (self.n(k), repr(k))):
                if key in covered:
                    continue
                changed = self._group_witness(key, hidden) if key[2] is not None else None
                if changed is None or not all(c in hidden or can_hide(c) for c in changed):
                    return self._give_up(base_hidden, start, groups, tied)
                hidden |= changed
                covered |= changed
            if not _suppress(self.n, by_category, by_category_index, hidden, can_hide, self.threshold):
                return self._give_up(base_hidden, start, groups, tied)
            if hidden <= covered:
                break
        self.hidden = hidden

    def _give_up(
        self, base_hidden: set[Key], start: set[Key], groups: list[Key], tied: Callable[[Key], bool]
    ) -> None:
        """Every group that is not its row's whole is hidden: each then has a witness in its own row,
        and every witness of the base can be carried into the groups."""
        self.complete = False
        self.hidden = base_hidden | start | {k for k in groups if not tied(k)}


@dataclass(frozen=True)
class Witness:
    """A change of the base: +1/-1 in the first/second district (`districts`) and the first/second
    year (`years`), and the cells of every category it alters (`changed`)."""

    districts: tuple[str, ...]
    years: tuple[int, ...]
    changed: frozenset[Key]


def _touching(equations: list[Equation]) -> dict[Key, list[int]]:
    """The equations each cell is in (built once per cube: the suppression loop asks again and again)."""
    touching: dict[Key, list[int]] = defaultdict(list)
    for index, (parent, children) in enumerate(equations):
        touching[parent].append(index)
        for child in children:
            touching[child].append(index)
    return touching


def _suppress(
    n: Callable[[Key], int],
    equations: list[Equation],
    touching: Mapping[Key, list[int]],
    hidden: set[Key],
    can_hide: Callable[[Key], bool],
    threshold: int,
) -> bool:
    """Hide cells until no total's hidden parts are a lone cell or fewer than `threshold`
    respondents between them; False when an equation can't be made safe."""
    queue = deque(range(len(equations)))
    queued = set(queue)
    while queue:
        index = queue.popleft()
        queued.discard(index)
        parent, children = equations[index]
        while True:
            target = _next_to_hide(n, parent, children, hidden, can_hide, threshold)
            if target is None:
                break
            if target == "stuck":
                return False
            hidden.add(target)  # type: ignore[arg-type]
            for other in touching[target]:  # type: ignore[index]
                if other not in queued:
                    queue.append(other)
                    queued.add(other)
    return True


def _next_to_hide(
    n: Callable[[Key], int],
    parent: Key,
    children: list[Key],
    hidden: set[Key],
    can_hide: Callable[[Key], bool],
    threshold: int,
) -> Key | str | None:
    """The cell to hide next so that this equation gives nothing away (None: it gives nothing).
    A shown total whose hidden parts are one cell, or fewer than `threshold` respondents between
    them, gives them away; so does a hidden total with no hidden part. The next smallest part is
    hidden, or the total when no part can be."""
    hidden_parts = [c for c in children if c in hidden]
    if parent in hidden:
        unsafe = not hidden_parts
    else:
        unsafe = bool(hidden_parts) and (len(hidden_parts) < 2 or sum(n(c) for c in hidden_parts) < threshold)
    if not unsafe:
        return None
    candidates = sorted(
        (c for c in children if c not in hidden and can_hide(c)),
        key=lambda c: (n(c), repr(c)),
    )
    if candidates:
        return candidates[0]
    if parent not in hidden and can_hide(parent):
        return parent
    return "stuck"
