"""Tolerance Index by district × age band: through the application, and in DuckDB on the same rows."""

import csv
import math
import tempfile
import time
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, Sum

from bench.measure import figure, median, repeat


def app_index(user_id: int, instrument_id: int) -> list[tuple[Any, ...]]:
    """index_table's computation (kelisim.surveys.selectors) grouped by two columns: the scoped
    responses, sums in the database, t interval of the mean and Wilson intervals of the band shares,
    small cells suppressed."""
    from kelisim.accounts.models import User
    from kelisim.surveys import selectors
    from kelisim.surveys.models import Instrument
    from kelisim.surveys.stats import SUPPRESS_BELOW, mean_interval, wilson

    user = User.objects.get(pk=user_id)
    instrument = Instrument.objects.get(pk=instrument_id)
    current = instrument.current
    bands = [b["code"] for b in (current.scoring.get("bands", []) if current else [])]
    rows = (
        selectors.responses(user=user, instrument=instrument)
        .filter(total__isnull=False)
        .values("district_code", "age_band")
        .annotate(
            n=Count("id"),
            s=Sum("total"),
            ss=Sum(F("total") * F("total")),
            **{f"band_{b}": Count("id", filter=Q(band=b)) for b in bands},
        )
        .order_by("district_code", "age_band")
    )
    cells = []
    for row in rows:
        n = row["n"]
        if n < SUPPRESS_BELOW:
            continue
        mean = mean_interval(n, float(row["s"]), float(row["ss"]))
        shares = [wilson(row[f"band_{b}"], n) for b in bands]
        cells.append(
            (
                row["district_code"],
                row["age_band"],
                n,
                mean.estimate,
                mean.low,
                mean.high,
                *[x for s in shares for x in (s.estimate, s.low, s.high)],
            )
        )
    return cells


DUCK_SQL = """
WITH g AS (
    SELECT district_code, age_band, count(*) AS n, avg(total) AS mean, stddev_samp(total) AS sd,
           count(*) FILTER (WHERE band = 'low') AS low,
           count(*) FILTER (WHERE band = 'medium') AS medium,
           count(*) FILTER (WHERE band = 'high') AS high
    FROM responses GROUP BY district_code, age_band HAVING count(*) >= 5
)
SELECT district_code, age_band, n, mean,
       mean - coalesce(t.q, 1.959963984540054) * sd / sqrt(n),
       mean + coalesce(t.q, 1.959963984540054) * sd / sqrt(n),
       low / n, wilson_low(low, n), wilson_high(low, n),
       medium / n, wilson_low(medium, n), wilson_high(medium, n),
       high / n, wilson_low(high, n), wilson_high(high, n)
FROM g LEFT JOIN t95 t ON t.df = n - 1
ORDER BY district_code, age_band
"""
WILSON = """
CREATE MACRO wilson_low(k, n) AS greatest(0.0,
    ((k / n + 3.841458820694124 / (2 * n)) - 1.959963984540054 * sqrt((k / n) * (1 - k / n) / n
      + 3.841458820694124 / (4 * n * n))) / (1 + 3.841458820694124 / n));
CREATE MACRO wilson_high(k, n) AS least(1.0,
    ((k / n + 3.841458820694124 / (2 * n)) + 1.959963984540054 * sqrt((k / n) * (1 - k / n) / n
      + 3.841458820694124 / (4 * n * n))) / (1 + 3.841458820694124 / n));
"""


def _export(version_id: int, folder: Path) -> tuple[Path, int]:
    """The rows the aggregation reads, dumped to CSV (PostgreSQL: COPY; SQLite: a cursor)."""
    target = folder / "responses.csv"
    query = (
        "SELECT district_code, age_band, total, band FROM surveys_response "
        "WHERE version_id = %s AND total IS NOT NULL"
    )
    count = 0
    with connection.cursor() as cursor, target.open("w", newline="", encoding="utf-8") as out:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            inlined = query.replace("%s", str(int(version_id)))
            with raw.copy(f"COPY ({inlined}) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy:
                for block in copy:
                    out.write(bytes(block).decode())
            count = -1
        else:
            cursor.execute(query, [version_id])
            writer = csv.writer(out)
            writer.writerow(["district_code", "age_band", "total", "band"])
            while batch := cursor.fetchmany(10_000):
                writer.writerows(batch)
                count += len(batch)
    return target, count


def _same(app: list[tuple[Any, ...]], duck: list[tuple[Any, ...]]) -> bool:
    if len(app) != len(duck):
        return False
    for a, d in zip(app, duck, strict=True):
        if a[:3] != tuple(d[:3]):
            return False
        for x, y in zip(a[3:], d[3:], strict=True):
            if not (
                math.isclose(float(x), float(y), rel_tol=1e-6, abs_tol=1e-9) or (math.isnan(x) and y is None)
            ):
                return False
    return True


def run(
    database: str, user_id: int, instrument_id: int, version_id: int, repetitions: int
) -> list[dict[str, Any]]:
    import duckdb

    from kelisim.surveys.stats import _T95

    app_times, app_result = repeat(lambda: app_index(user_id, instrument_id), repetitions)
    with tempfile.TemporaryDirectory(prefix="kelisim-bench-") as folder:
        started = time.perf_counter()
        path, _count = _export(version_id, Path(folder))
        duck = duckdb.connect()
        duck.execute(
            "CREATE TABLE responses AS SELECT * FROM read_csv(?, header = true, columns = "
            "{'district_code': 'VARCHAR', 'age_band': 'VARCHAR', 'total': 'INTEGER', 'band': 'VARCHAR'})",
            [str(path)],
        )
        export_seconds = time.perf_counter() - started
    duck.execute("CREATE TABLE t95 (df INTEGER, q DOUBLE)")
    duck.executemany("INSERT INTO t95 VALUES (?, ?)", [[i + 1, q] for i, q in enumerate(_T95)])
    duck.execute(WILSON)
    rows = duck.execute("SELECT count(*) FROM responses").fetchone()[0]
    duck_times, duck_result = repeat(lambda: duck.execute(DUCK_SQL).fetchall(), repetitions)
    duck.close()
    return [
        figure(
            "Tolerance Index by district × age band",
            database,
            median(app_times) * 1000,
            "ms",
            median(duck_times) * 1000,
            baseline_name="DuckDB, same rows, same run",
            target={"on": "ratio", "op": "<=", "limit": 3.0, "text": "≤ 3× DuckDB"},
            n=rows,
            cells=len(app_result),
            repetitions=repetitions,
            same_answer=_same(app_result, duck_result),
            export_seconds=round(export_seconds, 3),
            detail="mean total with t interval, low/medium/high shares with Wilson intervals, cells of "
            "fewer than 5 suppressed; DuckDB reads a CSV dump made in the same run (load not timed)",
        )
    ]
