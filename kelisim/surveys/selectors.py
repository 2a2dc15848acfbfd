"""Reads of survey data, every one scoped by the user.

Tables: a group of fewer than five respondents is never shown, and no hidden group can be found by
subtracting shown figures (disclosure.Cube): in pages, charts, exports, reports and the API alike,
which all read the tables here. Answers to sensitive questions (ethnicity, religion…) reach holders
of `view_sensitive` only: single responses (micro-data) are theirs alone, each read audited, and a
grouping on a sensitive question is offered to them only."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from kelisim.accounts import policies
from kelisim.core.audit import audit_read_records, audit_record
from kelisim.core.models import AuditEntry
from kelisim.territories.models import Level, Territory

from . import disclosure, focus, rollups
from .models import Finding, FocusGroup, Instrument, Response
from .stats import Interval, mean_interval, rise_p_value, wilson
from .xlsform import label

GROUPS = {
    "all": None,
    "region": "region",
    "district": "district_code",
    "year": "year",
    "age_band": "age_band",
    "gender": "gender",
    "language": "language",
    "occupation": "occupation",
    "ethnicity": "ethnicity",
}
DEMOGRAPHIC_GROUPS = ("age_band", "gender", "language", "occupation", "ethnicity")


@dataclass
class Cell:
    key: str
    label: str
    n: int
    mean: Interval
    shares: dict[str, Interval] = field(default_factory=dict)


def instrument_list(*, user: Any) -> QuerySet[Instrument]:
    paths = policies.scope_paths(user, "view_survey") | policies.scope_paths(user, "collect_survey")
    if not paths:
        return Instrument.objects.none()
    return Instrument.objects.filter(is_active=True).filter(
        Q(territory__isnull=True) | policies.related_q(user, "view_survey")
    )


def instrument_get_for_user(*, user: Any, pk: Any) -> Instrument:
    try:
        return instrument_list(user=user).get(pk=int(pk))
    except (Instrument.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def responses(
    *,
    user: Any,
    instrument: Instrument | None = None,
    territory: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Response]:
    qs = Response.objects.filter(policies.scope_q(user, "view_survey", within=territory or None))
    if instrument is not None:
        qs = qs.filter(version__instrument=instrument)
    if date_from:
        qs = qs.filter(collected_on__gte=date_from)
    if date_to:
        qs = qs.filter(collected_on__lte=date_to)
    return qs


# Sensitive questions, and who may see their answers.


def sensitive_items(instrument: Instrument) -> frozenset[str]:
    version = instrument.current
    return disclosure.sensitive_items(version.definition) if version else frozenset()


def sees_sensitive(user: Any, capability: str = "view_survey") -> bool:
    """Whether `user` holds `view_sensitive` wherever they hold `capability`: a table over their
    whole scope may then be grouped by a sensitive question."""
    sensitive = policies.scope_paths(user, "view_sensitive")
    wide = policies.scope_paths(user, capability)
    return bool(wide) and all(any(p.startswith(q) for q in sensitive) for p in wide)


def groupings(*, user: Any, instrument: Instrument) -> list[str]:
    """The groupings offered to `user`: one on a sensitive question only to a holder of
    `view_sensitive` over their whole scope."""
    barred = set() if sees_sensitive(user) else set(DEMOGRAPHIC_GROUPS) & sensitive_items(instrument)
    return [g for g in GROUPS if g not in barred]


# Micro-data: single responses with all their answers. Only for holders of `view_sensitive` (the
# answers hold ethnicity, and most respondents are unique on their date and demographics), from the
# territories where they hold it; every read is written to the audit log. Everybody else has the
# tables below, which no subtraction undoes: micro-data beside them, however coarsened, would let
# anyone recount the hidden groups.


def microdata_allowed(user: Any) -> bool:
    return policies.can(user, "view_survey") and policies.can(user, "view_sensitive")


def microdata(
    *,
    user: Any,
    instrument: Instrument | None = None,
    territory: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Response]:
    """Single responses for a holder of `view_sensitive` (PermissionDenied for anybody else).
    Give them out through `microdata_rows`, which writes the audit entry."""
    if not microdata_allowed(user):
        raise PermissionDenied
    qs = responses(
        user=user, instrument=instrument, territory=territory, date_from=date_from, date_to=date_to
    )
    return (
        qs.filter(policies.scope_q(user, "view_sensitive"))
        .select_related("version__instrument")
        .order_by("collected_on", "id")
    )


MICRODATA_FIELDS = [
    "id",
    "instrument",
    "collected_on",
    "district_code",
    "age_band",
    "gender",
    "ethnicity",
    "language",
    "occupation",
    "total",
    "band",
    "subscales",
    "answers",
]


def microdata_rows(*, user: Any, rows: Iterable[Response], surface: str) -> list[dict[str, Any]]:
    """The responses as every surface gives them (MICRODATA_FIELDS), the read recorded: one audit
    entry per instrument, with the number of rows and the surface (api, csv, xlsx)."""
    out = []
    count: Counter[int] = Counter()
    instruments: dict[int, Instrument] = {}
    places: dict[int, set[str]] = defaultdict(set)
    for r in rows:
        instrument = r.version.instrument
        count[instrument.pk] += 1
        instruments[instrument.pk] = instrument
        places[instrument.pk].add(r.district_code)
        out.append(
            {
                "id": r.pk,
                "instrument": instrument.code,
                "collected_on": r.collected_on,
                "district_code": r.district_code,
                "age_band": r.age_band,
                "gender": r.gender,
                "ethnicity": r.ethnicity,
                "language": r.language,
                "occupation": r.occupation,
                "total": r.total,
                "band": r.band,
                "subscales": r.subscales,
                "answers": r.answers,
            }
        )
    for pk, rows_read in count.items():
        audit_record(
            actor=user,
            action="survey_response.read",
            obj=instruments[pk],
            kind=AuditEntry.Kind.READ,
            territory_path=_common_path(places[pk]),
            params={"rows": rows_read, "surface": surface},
        )
    return out


def _common_path(districts: set[str]) -> str:
    """The territory path the rows share: a district's, a region's, or the whole country's ("")."""
    regions = {code[:2] for code in districts}
    if len(regions) != 1:
        return ""
    region = f"{regions.pop()}0000000"
    if len(districts) == 1 and (code := next(iter(districts))) != region:
        return f"{region}/{code}/"
    return f"{region}/"


# Tables. Figures are published for the user's scope, a region or a district, and for every year
# or one calendar year: a finer filter (a village, a week) set against a coarser one would single
# out the few respondents in between. Every table is a line of one protected cube.


class PeriodError(ValueError):
    """Dates that do not lie within one calendar year."""


def period_year(
    date_from: date | None = None, date_to: date | None = None, year: int | None = None
) -> int | None:
    """The calendar year a period stands for (None: every year)."""
    if year is not None:
        return year
    if date_from is None and date_to is None:
        return None
    if date_from is None or date_to is None or date_from.year != date_to.year:
        raise PeriodError
    return date_from.year


@dataclass(frozen=True)
class Place:
    node: str  # "" the user's whole scope, two digits a region, nine a district
    coarsened: bool = False  # a unit below a district was asked for: its district is given


def place(code: str | None) -> Place | None:
    """Where a table is drawn for a KATO code (None: no such unit)."""
    if not code:
        return Place("")
    unit = Territory.objects.filter(code=code).only("code", "level", "path").first()
    if unit is None:
        return None
    if unit.level == Level.REGION:
        return Place(unit.code[:2])
    parts = [p for p in unit.path.split("/") if p]
    return Place(parts[1] if len(parts) > 1 else parts[0], unit.level != Level.DISTRICT)


def _bands(instrument: Instrument) -> list[str]:
    return [b["code"] for b in (instrument.current.scoring.get("bands", []) if instrument.current else [])]


def _cube(*, user: Any, instrument: Instrument, column: str | None, raw: bool = False) -> disclosure.Cube:
    """The user's whole scope by district and year (and `column`), protected. Read from the rollups
    (rollups.py); `raw`: from the responses themselves, as the rollups are checked against."""
    bands = _bands(instrument)
    if raw:
        rows = list(rollups.raw_rows(responses(user=user, instrument=instrument), column, bands))
    else:
        rows = rollups.cube_rows(user=user, instrument=instrument, column=column, bands=bands)
    return disclosure.Cube(rows, categorical=column is not None)


def _keys(
    cube: disclosure.Cube, group_by: str, node: str, year: int | None
) -> list[tuple[str, disclosure.Key]]:
    """(group, cube cell) of each row of one table, in the order they are shown."""
    if group_by == "all":
        return [("all", (node, year, None))]
    if group_by == "region":
        regions = [node[:2]] if node else cube.regions
        return [(r, (node or r, year, None)) for r in regions]
    if group_by == "district":
        districts = [node] if len(node) > 2 else [d for d in cube.districts if d.startswith(node)]
        return [(d, (d, year, None)) for d in districts]
    if group_by == "year":
        return [(str(y), (node, y, None)) for y in (cube.years if year is None else [year])]
    return [(c, (node, year, c)) for c in cube.categories]


def _labels(instrument: Instrument, group_by: str, keys: list[str], language: str) -> dict[str, str]:
    if group_by == "district":
        return {t.code: t.name for t in Territory.objects.filter(code__in=keys)}
    if group_by == "region":
        return {t.code[:2]: t.name for t in Territory.objects.filter(code__in=[f"{k}0000000" for k in keys])}
    version = instrument.current
    if version is None or group_by not in DEMOGRAPHIC_GROUPS:
        return {}
    return {
        str(c["name"]): label(c, language) for c in version.definition.get("choices", {}).get(group_by, [])
    }


def _table(
    cube: disclosure.Cube, instrument: Instrument, group_by: str, node: str, year: int | None, language: str
) -> list[Cell]:
    bands = _bands(instrument)
    shown = [(key, cell) for key, k in _keys(cube, group_by, node, year) if (cell := cube.shown(k))]
    names = _labels(instrument, group_by, [key for key, _ in shown], language)
    return [
        Cell(
            key=key,
            label=names.get(key) or key or _("not answered"),
            n=cell.n,
            mean=mean_interval(cell.n, cell.s, cell.ss),
            shares={b: wilson(cell.bands.get(b, 0), cell.n) for b in bands},
        )
        for key, cell in shown
    ]


def _grouped_cube(user: Any, instrument: Instrument, group_by: str) -> disclosure.Cube:
    """The cube a grouping is read from; a read grouped by a sensitive question is audited."""
    if group_by not in DEMOGRAPHIC_GROUPS:
        return _cube(user=user, instrument=instrument, column=None)
    if group_by in sensitive_items(instrument):
        audit_record(
            actor=user,
            action="survey_table.read",
            obj=instrument,
            kind=AuditEntry.Kind.READ,
            params={"group_by": group_by},
        )
    return _cube(user=user, instrument=instrument, column=group_by)


def index_table(
    *,
    user: Any,
    instrument: Instrument,
    group_by: str = "district",
    territory: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    year: int | None = None,
    language: str = "kk",
) -> list[Cell]:
    """Mean total with a t interval and band shares with Wilson intervals, per shown group, over the
    user's scope, a region or a district (a finer unit: its district), every year or one (dates must
    lie within one calendar year, or nothing is given). A grouping not offered to the user gives
    nothing."""
    if group_by not in GROUPS:
        raise ValueError(group_by)
    try:
        chosen = period_year(date_from, date_to, year)
    except PeriodError:
        return []
    where = place(territory)
    if where is None or group_by not in groupings(user=user, instrument=instrument):
        return []
    cube = _grouped_cube(user, instrument, group_by)
    return _table(cube, instrument, group_by, where.node, chosen, language)


@dataclass(frozen=True)
class Warning_:
    district: str
    label: str
    before: tuple[int, int, int]  # year, low, n
    after: tuple[int, int, int]
    p_value: float


@dataclass
class Analytics:
    cells: list[Cell]
    overall: Cell | None
    hidden_total: bool  # there are respondents, but their total would give a small group away
    trend: list[Cell]
    years: list[int]  # the years whose figures are shown, to choose from
    warnings: list[Warning_]
    complete: bool  # False: no group of this grouping could be shown without giving small ones away


def analytics(
    *,
    user: Any,
    instrument: Instrument,
    group_by: str,
    territory: str | None,
    year: int | None,
    language: str,
) -> Analytics:
    """Everything the analytics page shows, read from two protected cubes (the base and the grouping's)."""
    where = place(territory)
    node = where.node if where else "?"  # an unknown unit: no cube has it
    base = _cube(user=user, instrument=instrument, column=None)
    cube = _grouped_cube(user, instrument, group_by) if group_by in DEMOGRAPHIC_GROUPS else base
    overall = _table(base, instrument, "all", node, year, language)
    return Analytics(
        cells=_table(cube, instrument, group_by, node, year, language),
        overall=overall[0] if overall else None,
        hidden_total=not overall and base.n((node, year, None)) > 0,
        trend=_table(base, instrument, "year", node, None, language),
        years=[y for y in base.years if base.shown(("", y, None))],
        warnings=_warnings(base),
        complete=cube.complete,
    )


def early_warnings(
    *, user: Any, instrument: Instrument, band: str = "low", alpha: float = 0.05
) -> list[Warning_]:
    """Districts whose share in `band` rose significantly between their last two shown survey years
    (one-sided two-proportion z-test, pooled)."""
    return _warnings(_cube(user=user, instrument=instrument, column=None), band, alpha)


def _warnings(cube: disclosure.Cube, band: str = "low", alpha: float = 0.05) -> list[Warning_]:
    flagged = []
    names = {t.code: t.name for t in Territory.objects.filter(code__in=cube.districts)}
    for district in cube.districts:
        shown = [(y, cell) for y in cube.years if (cell := cube.shown((district, y, None)))]
        if len(shown) < 2:
            continue
        (y1, c1), (y2, c2) = shown[-2:]
        before, after = (y1, c1.bands.get(band, 0), c1.n), (y2, c2.bands.get(band, 0), c2.n)
        p = rise_p_value(before[1:], after[1:])
        if p < alpha:
            flagged.append(Warning_(district, names.get(district, district), before, after, p))
    return flagged


def focus_groups(*, user: Any, capability: str = "view_survey") -> QuerySet[FocusGroup]:
    """Sessions in the user's scope for `capability`; one of a restricted event only for a holder
    of `view_sensitive` in the event's territory, as the event itself."""
    return (
        FocusGroup.objects.filter(
            policies.scope_q(user, capability, path_field="event__territory__path")
            & policies.scope_q(user, capability, path_field="territory__path")
            & (
                Q(event__restricted=False)
                | policies.scope_q(user, "view_sensitive", "event__territory__path")
            )
        )
        .select_related("event__visit", "territory", "moderator")
        .prefetch_related("findings")
        .order_by("held_on", "id")
    )


def focus_group_events(*, user: Any, visit: Any = None) -> QuerySet[Any]:
    """Events a session may belong to: those of `visit` (every visit's when None) where the user
    collects surveys, a restricted one only with `view_sensitive` there (as events.selectors)."""
    event_model = apps.get_model("events", "Event")
    qs = event_model._default_manager.filter(
        policies.scope_q(user, "collect_survey")
        & (Q(restricted=False) | policies.scope_q(user, "view_sensitive"))
    )
    if visit is not None:
        qs = qs.filter(visit=visit)
    return qs.select_related("territory").order_by("start", "id")


def focus_group_get_for_user(*, user: Any, pk: Any, capability: str = "view_survey") -> FocusGroup:
    """The session, or the same 404 for "missing" and "not yours"."""
    try:
        return focus_groups(user=user, capability=capability).get(pk=int(pk))
    except (FocusGroup.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


@dataclass
class FocusGroupShown:
    """A session as one user may see it: exact counts and the sensitive groups for a holder of
    `view_sensitive` in its territory, masked counts for anybody else (focus.py)."""

    group: FocusGroup
    exact: bool
    participants: int | str
    composition: list[focus.Part]
    findings: list[Any]

    @property
    def signals(self) -> list[Any]:
        return [f for f in self.findings if f.tension_signal]


def focus_groups_shown(
    *, user: Any, groups: Iterable[FocusGroup], via: str, language: str | None = None
) -> list[FocusGroupShown]:
    """`groups` as `user` may see them, after one audit row naming those whose sensitive group's
    exact counts, or whose restricted event, they show (`via`: which page, answer or report)."""
    language = language or translation.get_language() or "kk"
    shown, audited = [], []
    for group in groups:
        where = group.territory or group.event.territory
        exact = policies.can(user, "view_sensitive", where)
        parts = focus.shown_composition(group.composition, exact=exact, language=language)
        if exact and (group.event.restricted or {p.code for p in parts} & focus.sensitive_parts()):
            audited.append((group.pk, where.path))
        shown.append(
            FocusGroupShown(
                group=group,
                exact=exact,
                participants=focus.shown_total(group.participants, exact=exact),
                composition=parts,
                findings=list(group.findings.all()),
            )
        )
    audit_read_records(
        actor=user,
        object_type=FocusGroup._meta.label_lower,
        ids=[pk for pk, _path in audited],
        territory_paths=[path for _pk, path in audited],
        via=via,
        rows=len(shown),
    )
    return shown


@dataclass(frozen=True)
class SignalRow:
    district: str
    district_name: str
    month: date
    severity: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.severity.values())


def tension_signals(
    *, user: Any, territory: str | None = None, date_from: date | None = None, date_to: date | None = None
) -> list[SignalRow]:
    """Tension signals of the focus groups in the user's scope, by district and month, with their
    counts by severity. Two queries."""
    groups = focus_groups(user=user)
    if territory:
        groups = groups.filter(policies.within_q(territory))
    if date_from:
        groups = groups.filter(held_on__gte=date_from)
    if date_to:
        groups = groups.filter(held_on__lte=date_to)
    rows = (
        Finding.objects.filter(focus_group__in=groups.order_by().values("pk"), tension_signal=True)
        .annotate(month=TruncMonth("focus_group__held_on"))
        .values_list("focus_group__territory__path", "month", "severity")
        .annotate(n=Count("id"))
        .order_by()
    )
    counted: dict[tuple[str, date], Counter[str]] = defaultdict(Counter)
    for path, month, severity, n in rows:
        district = _district_code(path)
        counted[(district, month)][severity] += n
    names = {t.code: t.name for t in Territory.objects.filter(code__in={d for d, _m in counted})}
    return [
        SignalRow(district, names.get(district, district), month, dict(counts))
        for (district, month), counts in sorted(counted.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]


def _district_code(path: str) -> str:
    """The district of a territory path ("31/3148/314800000/..."): its nine-digit code."""
    parts = [p for p in (path or "").split("/") if p]
    return parts[min(len(parts), 2) - 1] if parts else ""
