"""Survey rollups: scored responses added up by (version, district, period, grouping, value, band)
with n, the sum of totals and the sum of squared totals (ADR 0013), at two grains: by month
(ResponseRollup) and by year (ResponseYearRollup, at most a twelfth as many rows; ADR 0015).

The analytics' tables need only those additive figures by district and year, over the user's
scope, for one demographic grouping at most; reading them from here costs what the number of
districts × years (or months) × groups costs, not what the number of responses does (and spares
SQLite the plan ANALYZE turned into a million row lookups, issue 17).

- Kept: response_submit adds each response with one upsert per grain (INSERT … ON CONFLICT DO
  UPDATE, an atomic increment on SQLite and PostgreSQL alike) in its own transaction; a deleted
  response is taken off (pre_delete, inside Django's delete transaction), an edited one moved
  (pre/post_save). QuerySet.update, bulk_create and raw SQL bypass both: bulk paths call `rebuild`
  at their end.
- Read: whole years come from the yearly rows, whole months around them from the monthly ones;
  a date filter's partial months at its edges, and a scope narrower than a district (a grant on a
  rural okrug), come from the responses themselves.
- Checked: `differences` compares every row of both grains with the responses
  (`kelisim check_survey_rollups`)."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connections, models, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Cast, ExtractYear

from kelisim.accounts import policies
from kelisim.territories.models import Territory

from . import disclosure
from .models import Instrument, InstrumentVersion, Response, ResponseRollup, ResponseYearRollup

DEMOGRAPHIC = ("age_band", "gender", "ethnicity", "language", "occupation")
DIMENSIONS = ("", *DEMOGRAPHIC)  # "": every response once, under value ""
FIELDS = ("version_id", "district_code", "collected_on", "total", "band", *DEMOGRAPHIC)
RESPONSES = Response._meta.db_table


@dataclass(frozen=True)
class Grain:
    """One table of rollups: the period its rows add up (`month`: a date, the first of the month;
    `year`: the year) and its columns, the key first, as every statement below lists them."""

    name: str
    model: type[models.Model]

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def key(self) -> tuple[str, ...]:
        return ("version_id", "dimension", "district_code", self.name, "value", "band")

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.key, *(("year",) if self.name == "month" else ()), "n", "s", "ss")


MONTH, YEAR = Grain("month", ResponseRollup), Grain("year", ResponseYearRollup)
GRAINS = (MONTH, YEAR)

Key = tuple[int, str, str, date | int, str, str]  # version, dimension, district, period, value, band
Delta = list[int]  # n, s, ss


# Keeping them -----------------------------------------------------------------------------------


def values_of(response: Response) -> dict[str, Any]:
    return {f: getattr(response, f) for f in FIELDS}


def _month(day: date) -> date:
    return day.replace(day=1)


def _period(grain: Grain, day: date) -> date | int:
    return _month(day) if grain is MONTH else day.year


def _deltas(values: Mapping[str, Any], sign: int, into: dict[Grain, dict[Key, Delta]]) -> None:
    """Add one response's rows (6 per grain: every response, then once per demographic) to `into`."""
    if values["total"] is None:  # unscored: not in any table
        return
    total = int(values["total"])
    for grain in GRAINS:
        period = _period(grain, values["collected_on"])
        rows = into.setdefault(grain, {})
        for dimension in DIMENSIONS:
            value = str(values[dimension] or "") if dimension else ""
            key = (
                values["version_id"],
                dimension,
                values["district_code"],
                period,
                value,
                values["band"] or "",
            )
            delta = rows.setdefault(key, [0, 0, 0])
            delta[0] += sign
            delta[1] += sign * total
            delta[2] += sign * total * total


def apply(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, using: str = "default") -> None:
    """Move a response from its `before` values to its `after` ones (None: not there), one upsert
    per grain (monthly, yearly) in the caller's transaction; rows left at zero are removed."""
    deltas: dict[Grain, dict[Key, Delta]] = {}
    if before is not None:
        _deltas(before, -1, deltas)
    if after is not None:
        _deltas(after, +1, deltas)
    # One statement may not touch a row twice (PostgreSQL): the deltas are summed by key above.
    for grain, rows in deltas.items():
        changed = {k: d for k, d in rows.items() if any(d)}
        if changed:
            _upsert(grain, changed, using)


def add(response: Response, using: str = "default") -> None:
    apply(None, values_of(response), using)


def _upsert(grain: Grain, deltas: dict[Key, Delta], using: str) -> None:
    connection = connections[using]
    q = connection.ops.quote_name
    table = q(grain.table)
    rows: list[str] = []
    params: list[Any] = []
    for (version, dimension, district, period, value, band), (n, s, ss) in deltas.items():
        rows.append("(" + ", ".join(["%s"] * len(grain.columns)) + ")")
        if isinstance(period, date):
            params += [version, dimension, district, connection.ops.adapt_datefield_value(period)]
            params += [value, band, period.year, n, s, ss]
        else:
            params += [version, dimension, district, period, value, band, n, s, ss]
    sql = (
        f"INSERT INTO {table} ({', '.join(q(c) for c in grain.columns)}) VALUES {', '.join(rows)} "  # nosec B608  # noqa: S608
        f"ON CONFLICT ({', '.join(q(c) for c in grain.key)}) DO UPDATE SET "
        + ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in ("n", "s", "ss"))
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        gone = {(k[0], k[2], k[3]) for k, d in deltas.items() if d[0] < 0}
        for version, district, period in gone:
            cursor.execute(
                f"DELETE FROM {table} WHERE {q('version_id')} = %s AND {q('district_code')} = %s "  # nosec B608  # noqa: S608
                f"AND {q(grain.name)} = %s AND {q('n')} = 0 AND {q('s')} = 0 AND {q('ss')} = 0",
                [
                    version,
                    district,
                    connection.ops.adapt_datefield_value(period) if isinstance(period, date) else period,
                ],
            )


# Edits and deletions made through the ORM (model.save(), model.delete(), QuerySet.delete()).


def _stored(pk: Any, using: str) -> dict[str, Any] | None:
    return Response.objects.using(using).filter(pk=pk).values(*FIELDS).first()


def before_save(
    sender: Any, instance: Response, raw: bool = False, using: str = "default", **kw: Any
) -> None:
    if raw or instance._state.adding or instance.pk is None:
        return
    instance._rollup_before = _stored(instance.pk, using)  # type: ignore[attr-defined]


def after_save(
    sender: Any, instance: Response, created: bool, raw: bool = False, using: str = "default", **kw: Any
) -> None:
    before = instance.__dict__.pop("_rollup_before", None)
    if raw or created or before is None:
        return  # a new response is added by response_submit (or by a bulk path's rebuild)
    apply(before, _stored(instance.pk, using), using)  # as stored: save(update_fields=…) saves part


def before_delete(sender: Any, instance: Response, using: str = "default", **kw: Any) -> None:
    """Sent inside the delete's own transaction, while the row is still there."""
    apply(values_of(instance), None, using)


# Rebuilding and checking ---------------------------------------------------------------------------


def _select(vendor: str, dimension: str, grain: Grain = MONTH) -> str:
    """The rows of one dimension at one grain, aggregated from the responses, in its columns' order."""
    if vendor == "postgresql":
        month, year = "date_trunc('month', collected_on)::date", "EXTRACT(YEAR FROM collected_on)::int"
    else:
        month, year = "date(collected_on, 'start of month')", "CAST(strftime('%Y', collected_on) AS INTEGER)"
    # A monthly row carries its month's year too (grouped by both; the year follows the month).
    period, carried = (month, f", {year}") if grain is MONTH else (year, "")
    value = dimension or "''"
    grouped = f"{dimension}, " if dimension else ""  # PostgreSQL refuses a constant in GROUP BY
    return (
        f"SELECT version_id, '{dimension}', district_code, {period}, {value}, band{carried}, "  # nosec B608  # noqa: S608
        f"COUNT(*), SUM(total), SUM(CAST(total AS BIGINT) * total) FROM {RESPONSES} "
        f"WHERE total IS NOT NULL GROUP BY version_id, district_code, {period}{carried}, {grouped}band"
    )


def rebuild(using: str = "default", grains: tuple[Grain, ...] = GRAINS) -> int:
    """Every rollup row again from the responses, all or nothing; returns the number of rows (of
    every grain rebuilt). The yearly rows are the sums of the monthly ones just made, when both are
    rebuilt (one pass over the responses). PostgreSQL: responses written meanwhile wait (SHARE lock)
    and are added on top afterwards."""
    connection = connections[using]
    q = connection.ops.quote_name
    count = 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {q(RESPONSES)} IN SHARE MODE")
        for grain in grains:
            columns = ", ".join(q(c) for c in grain.columns)
            cursor.execute(f"DELETE FROM {q(grain.table)}")  # nosec B608  # noqa: S608
            if grain is YEAR and MONTH in grains:
                grouped = ", ".join(q(c) for c in YEAR.key)
                cursor.execute(
                    f"INSERT INTO {q(YEAR.table)} ({columns}) SELECT {grouped}, "  # nosec B608  # noqa: S608
                    f"SUM({q('n')}), SUM({q('s')}), SUM({q('ss')}) FROM {q(MONTH.table)} GROUP BY {grouped}"
                )
            else:
                for dimension in DIMENSIONS:
                    cursor.execute(
                        f"INSERT INTO {q(grain.table)} ({columns}) "
                        + _select(connection.vendor, dimension, grain)
                    )
            cursor.execute(f"SELECT COUNT(*) FROM {q(grain.table)}")  # nosec B608  # noqa: S608
            count += int(cursor.fetchone()[0])
    return count


def _figures(cursor: Any, sql: str, limit: int) -> dict[tuple[Any, ...], tuple[int, int, int]]:
    cursor.execute(f"{sql} LIMIT {int(limit)}")
    return {
        (version, dimension, district, str(period)[:10], value, band): (int(n), int(s), int(ss))
        for version, dimension, district, period, value, band, *_year, n, s, ss in cursor.fetchall()
    }


def differences(using: str = "default", limit: int = 20) -> list[str]:
    """How the rollups of every grain differ from the responses (empty: they are equal), at most
    `limit` rows each way and grain. Compared in the database (EXCEPT both ways): only the differing
    rows come back. A monthly row names its month (2023-04-01), a yearly one its year (2023)."""
    connection = connections[using]
    q = connection.ops.quote_name
    lines: list[str] = []
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for grain in GRAINS:
            expected = " UNION ALL ".join(_select(connection.vendor, d, grain) for d in DIMENSIONS)
            kept = (
                f"SELECT {', '.join(q(c) for c in grain.columns)} FROM {q(grain.table)} "  # nosec B608  # noqa: S608
                f"WHERE {q('n')} <> 0 OR {q('s')} <> 0 OR {q('ss')} <> 0"  # a row left at zero is no row
            )
            missing = f"SELECT * FROM ({expected}) e EXCEPT SELECT * FROM ({kept}) k"  # nosec B608  # noqa: S608
            extra = f"SELECT * FROM ({kept}) k EXCEPT SELECT * FROM ({expected}) e"  # nosec B608  # noqa: S608
            want, have = _figures(cursor, missing, limit + 1), _figures(cursor, extra, limit + 1)
            lines += [
                f"{'/'.join(str(k) for k in key)}: responses {want.get(key) or '-'}, rollup {have.get(key) or '-'}"
                for key in sorted(want.keys() | have.keys(), key=str)
            ]
    return lines[:limit] + (["…"] if len(lines) > limit else [])


# Reading them ----------------------------------------------------------------------------------


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def months(date_from: date | None, date_to: date | None) -> tuple[date | None, date | None]:
    """The whole months within the dates: (first day of the first, first day after the last); None
    where the dates are open. Nothing whole when the first is not before the second."""
    first = date_from if date_from is None or date_from.day == 1 else _next_month(date_from)
    after = None if date_to is None else _month(date_to + timedelta(days=1))
    return first, after


def years(first: date | None, after: date | None) -> tuple[date | None, date | None]:
    """The whole years within whole months (as `months` gives them): (1 January of the first, 1
    January after the last); None where open. Nothing whole when the first is not before the second."""
    if first is not None and first.month != 1:
        first = date(first.year + 1, 1, 1)
    return first, None if after is None else date(after.year, 1, 1)


def _districts(paths: list[str]) -> Q:
    """Rollup rows of the district codes (as responses carry them) at or under `paths`, each of
    which lies at a region or a district: a district's own code; a region's own and its districts'
    (a subquery, not one more round trip)."""
    within = Q(district_code__in=[p.split("/")[1] for p in paths if p.count("/") == 2])
    regions = Q()
    for path in (p for p in paths if p.count("/") == 1):
        regions |= Q(path__prefix=path)
    if regions:
        codes = Territory.objects.filter(regions, path__regex=r"^[^/]+/([^/]+/)?$").values("code")
        within |= Q(district_code__in=codes)
    return within


def raw_rows(qs: QuerySet[Response], column: str | None, bands: list[str]) -> Iterable[disclosure.Row]:
    """The cube's rows aggregated from the responses themselves."""
    fields = ["district_code", "year", *([column] if column else [])]
    rows = (
        qs.filter(total__isnull=False)
        .annotate(year=ExtractYear("collected_on"))
        .values(*fields)
        .annotate(
            n=Count("id"),
            s=Sum("total"),
            ss=Sum(F("total") * F("total")),
            **{f"band_{b}": Count("id", filter=Q(band=b)) for b in bands},
        )
        .order_by()
    )
    for r in rows:
        yield disclosure.Row(
            district=r["district_code"],
            year=r["year"],
            category=str(r[column] or "") if column else None,
            n=r["n"],
            s=float(r["s"] or 0),
            ss=float(r["ss"] or 0),
            bands={b: r[f"band_{b}"] for b in bands},
        )


def _kept(
    grain: Grain,
    instrument: Instrument,
    column: str | None,
    bands: list[str],
    coarse: list[str],
    start: date | None,
    end: date | None,
) -> list[disclosure.Row]:
    """The cube's rows from one grain's rollups: districts at or under `coarse` (a region's or a
    district's path, "" for the whole country), periods from `start` to before `end` (open: None)."""
    versions = InstrumentVersion.objects.filter(instrument=instrument).values("pk")  # a subquery, no join
    kept = grain.model._default_manager.filter(version__in=versions, dimension=column or "")
    if "" not in coarse:
        kept = kept.filter(_districts(coarse))
    if start is not None:
        kept = kept.filter(**{f"{grain.name}__gte": start if grain is MONTH else start.year})
    if end is not None:
        kept = kept.filter(**{f"{grain.name}__lt": end if grain is MONTH else end.year})
    # Summed in the database (GROUP BY district, year, value), then read past the ORM's rows: its
    # per-row work on a few thousand groups cost as much as the query (ADR 0015). Cast: PostgreSQL
    # sums a bigint as a numeric, which would come back as Decimal.
    big = lambda total: Cast(total, models.BigIntegerField())  # noqa: E731
    grouped = (
        kept.values_list("district_code", "year", "value")  # value "": no grouping
        .annotate(
            n_=big(Sum("n")),
            s_=big(Sum("s")),
            ss_=big(Sum("ss")),
            **{f"band_{b}": big(Sum("n", filter=Q(band=b))) for b in bands},
        )
        .order_by()
    )
    sql, params = grouped.query.get_compiler(using=grouped.db).as_sql()
    with connections[grouped.db].cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    Row = disclosure.Row
    return [
        Row(
            district,
            year,
            value if column else None,
            n,
            float(s or 0),
            float(ss or 0),
            dict(zip(bands, [c or 0 for c in counts], strict=True)),
        )
        for district, year, value, n, s, ss, *counts in fetched
    ]


def cube_rows(
    *,
    user: Any,
    instrument: Instrument,
    column: str | None,
    bands: list[str],
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[disclosure.Row]:
    """What `raw_rows` gives for the user's scope ("view_survey") and the dates, read from the
    rollups wherever they can answer, districts wholly in scope: whole years from the yearly rows
    (every table the pages show: no date filter, or calendar years), the whole months around them
    from the monthly ones, and partial months at the edges from the responses."""
    paths = policies.scope_paths(user, "view_survey")
    if not paths:
        return []
    # A grant under another grant adds nothing; one below a district is answered from responses.
    paths = {p for p in paths if not any(o != p and p.startswith(o) for o in paths)}
    coarse = sorted(p for p in paths if p.count("/") <= 2)
    fine = sorted(p for p in paths if p.count("/") > 2)
    first, after = months(date_from, date_to)
    whole = first is None or after is None or first < after
    rows: list[disclosure.Row] = []
    if whole and coarse:
        # Whole years from the yearly rows, the whole months around them from the monthly ones: each
        # part holds other years, so no (district, year, group) comes from both.
        years_first, years_after = years(first, after)
        if years_first is None or years_after is None or years_first < years_after:
            spans = [(YEAR, years_first, years_after)]
            if first is not None and years_first is not None and first < years_first:
                spans.append((MONTH, first, years_first))
            if after is not None and years_after is not None and years_after < after:
                spans.append((MONTH, years_after, after))
        else:
            spans = [(MONTH, first, after)]
        for grain, start, end in spans:
            rows += _kept(grain, instrument, column, bands, coarse, start, end)
    # From the responses: the whole months of grants below a district, and the partial months at
    # the dates' edges (every day of them when no month is whole) over the whole scope.
    raw = []
    window = Q()
    if first is not None:
        window &= Q(collected_on__gte=first)
    if after is not None:
        window &= Q(collected_on__lt=after)
    if whole and fine:
        raw.append(policies.under_q(fine) & window)
    scope = policies.scope_q(user, "view_survey")
    if not whole:
        raw.append(scope)
    else:
        if date_from is not None and first is not None and date_from < first:
            raw.append(scope & Q(collected_on__lt=first))
        if date_to is not None and after is not None and after <= date_to:
            raw.append(scope & Q(collected_on__gte=after))
    if raw:
        within = Q(version__instrument=instrument)
        if date_from is not None:
            within &= Q(collected_on__gte=date_from)
        if date_to is not None:
            within &= Q(collected_on__lte=date_to)
        either = raw[0]
        for condition in raw[1:]:
            either |= condition
        # The same (district, year, group) may come from both: one row each, as raw_rows gives.
        return _merged([*rows, *raw_rows(Response.objects.filter(within & either), column, bands)], bands)
    return rows  # one row per (district, year, group) already: the rollups' GROUP BY


def _merged(rows: Iterable[disclosure.Row], bands: list[str]) -> list[disclosure.Row]:
    """One row per (district, year, category), as the responses' own GROUP BY gives."""
    sums: dict[tuple[str, int, str | None], disclosure.Stat] = defaultdict(disclosure.Stat)
    for row in rows:
        sums[(row.district, row.year, row.category)].add(row.n, row.s, row.ss, row.bands)
    return [
        disclosure.Row(d, y, c, stat.n, stat.s, stat.ss, {b: stat.bands.get(b, 0) for b in bands})
        for (d, y, c), stat in sums.items()
        if stat.n
    ]
