"""Reads of survey data. Every aggregate passes the small-cell rule: a group of fewer than five
respondents is never shown, in pages, charts, exports or the API alike."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear, Substr
from django.http import Http404

from kelisim.accounts import policies
from kelisim.territories.models import Territory

from .models import FocusGroup, Instrument, Response
from .stats import SUPPRESS_BELOW, Interval, mean_interval, rise_p_value, wilson
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
    qs = Response.objects.filter(policies.scope_q(user, "view_survey"))
    if instrument is not None:
        qs = qs.filter(version__instrument=instrument)
    if territory:
        qs = qs.filter(policies.within_q(territory))
    if date_from:
        qs = qs.filter(collected_on__gte=date_from)
    if date_to:
        qs = qs.filter(collected_on__lte=date_to)
    return qs


def exportable_responses(**kwargs: Any) -> QuerySet[Response]:
    """Single responses for export, only from districts with at least five of them."""
    qs = responses(**kwargs)
    large = (
        qs.values("district_code")
        .annotate(n=Count("id"))
        .filter(n__gte=SUPPRESS_BELOW)
        .values("district_code")
    )
    return qs.filter(district_code__in=large).order_by("collected_on", "id")


def _labels(instrument: Instrument, group_by: str, keys: list[str], language: str) -> dict[str, str]:
    if group_by == "district":
        return {t.code: t.name for t in Territory.objects.filter(code__in=keys)}
    if group_by == "region":
        return {t.code[:2]: t.name for t in Territory.objects.filter(code__in=[f"{k}0000000" for k in keys])}
    version = instrument.current
    if version is None or group_by not in ("age_band", "gender", "language", "occupation", "ethnicity"):
        return {}
    return {
        str(c["name"]): label(c, language) for c in version.definition.get("choices", {}).get(group_by, [])
    }


def index_table(
    *,
    user: Any,
    instrument: Instrument,
    group_by: str = "district",
    territory: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    language: str = "kk",
) -> list[Cell]:
    """Mean total with a t interval and band shares with Wilson intervals, per group."""
    if group_by not in GROUPS:
        raise ValueError(group_by)
    qs = responses(
        user=user, instrument=instrument, territory=territory, date_from=date_from, date_to=date_to
    )
    qs = qs.filter(total__isnull=False)
    bands = [b["code"] for b in (instrument.current.scoring.get("bands", []) if instrument.current else [])]
    if group_by == "year":
        qs = qs.annotate(year=ExtractYear("collected_on"))
    elif group_by == "region":
        qs = qs.annotate(region=Substr("district_code", 1, 2))
    column = GROUPS[group_by]
    grouped = qs.values(column) if column else qs.values()
    aggregates = {
        "n": Count("id"),
        "s": Sum("total"),
        "ss": Sum(F("total") * F("total")),
        **{f"band_{b}": Count("id", filter=Q(band=b)) for b in bands},
    }
    rows = grouped.annotate(**aggregates).order_by(column) if column else [qs.aggregate(**aggregates)]
    kept = [r for r in rows if (r["n"] or 0) >= SUPPRESS_BELOW]
    keys = [str(r[column]) for r in kept] if column else []
    names = _labels(instrument, group_by, keys, language)
    cells = []
    for row in kept:
        key = str(row[column]) if column else "all"
        n = row["n"]
        cells.append(
            Cell(
                key=key,
                label=names.get(key, key),
                n=n,
                mean=mean_interval(n, float(row["s"]), float(row["ss"])),
                shares={b: wilson(row[f"band_{b}"], n) for b in bands},
            )
        )
    return cells


@dataclass
class Warning_:
    district: str
    label: str
    before: tuple[int, int, int]  # year, low, n
    after: tuple[int, int, int]
    p_value: float


def early_warnings(
    *, user: Any, instrument: Instrument, band: str = "low", alpha: float = 0.05
) -> list[Warning_]:
    """Districts whose share in `band` rose significantly between their last two survey years
    (one-sided two-proportion z-test, pooled; both years with at least five respondents)."""
    rows = (
        responses(user=user, instrument=instrument)
        .filter(total__isnull=False)
        .annotate(year=ExtractYear("collected_on"))
        .values("district_code", "year")
        .annotate(n=Count("id"), hits=Count("id", filter=Q(band=band)))
        .order_by("district_code", "year")
    )
    by_district: dict[str, list[tuple[int, int, int]]] = {}
    for row in rows:
        if row["n"] >= SUPPRESS_BELOW:
            by_district.setdefault(row["district_code"], []).append((row["year"], row["hits"], row["n"]))
    names = {t.code: t.name for t in Territory.objects.filter(code__in=list(by_district))}
    flagged = []
    for district, years in by_district.items():
        if len(years) < 2:
            continue
        before, after = years[-2], years[-1]
        p = rise_p_value((before[1], before[2]), (after[1], after[2]))
        if p < alpha:
            flagged.append(Warning_(district, names.get(district, district), before, after, p))
    return flagged


def focus_groups(*, user: Any) -> QuerySet[FocusGroup]:
    return (
        FocusGroup.objects.filter(policies.scope_q(user, "view_survey", path_field="event__territory__path"))
        .select_related("event", "moderator")
        .prefetch_related("findings")
    )
