"""Tolerance Index by district × age band: through the analytics' own path (survey rollups), and in
DuckDB on the raw responses."""

import csv
import math
import tempfile
import time
from pathlib import Path
from typing import Any

from django.db import connection

from bench.measure import figure, median, repeat


def app_index(user_id: int, instrument_id: int) -> tuple[list[tuple[Any, ...]], int]:
    """The district × age band cells as the analytics pages give them (index_table grouped by age
    band, for each district): the protected cube that selectors._cube reads from the survey rollups
    over the user's scope, the t interval of the mean and Wilson intervals of the band shares.
    Returns the shown cells and the number of cells the cube hides (primary and complementary)."""
    from kelisim.accounts.models import User
    from kelisim.surveys import selectors
    from kelisim.surveys.models import Instrument
    from kelisim.surveys.stats import mean_interval, wilson

    user = User.objects.get(pk=user_id)
    instrument = Instrument.objects.get(pk=instrument_id)
    bands = selectors._bands(instrument)
    cube = selectors._cube(user=user, instrument=instrument, column="age_band")
    cells, hidden = [], 0
    for district in cube.districts:
        for age_band in cube.categories:
            key = (district, None, age_band)
            cell = cube.shown(key)
            if cell is None:
                hidden += key in cube.cells
                continue
            mean = mean_interval(cell.n, cell.s, cell.ss)
            shares = [wilson(cell.bands.get(b, 0), cell.n) for b in bands]
            cells.append(
                (
                    district,
                    age_band,
                    cell.n,
                    mean.estimate,
                    mean.low,
                    mean.high,
                    *[x for s in shares for x in (s.estimate, s.low, s.high)],
                )
            )
    return cells, hidden


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


def _same(app: list[tuple[Any, ...]], duck: list[tuple[Any, ...]]) -> bool | None:
    """Every cell the application shows is DuckDB's cell of the same district and age band, to the
    float; DuckDB has more (it suppresses only cells under five, not their complements). None when
    the application shows no cell: nothing to compare (a small run's scattered respondents)."""
    if not app:
        return None
    by_key = {tuple(d[:2]): d for d in duck}
    for a in app:
        d = by_key.get(tuple(a[:2]))
        if d is None or a[2] != d[2]:
            return False
        for x, y in zip(a[3:], d[3:], strict=True):
            if not (
                math.isclose(float(x), float(y), rel_tol=1e-6, abs_tol=1e-9) or (math.isnan(x) and y is None)
            ):
                return False
    return True


def _reads(user_id: int, instrument_id: int, repetitions: int) -> tuple[list[float], list[float]]:
    """Seconds of the cube's database read alone: from the rollups (what the pages do), and the
    same rows aggregated from the responses (what they did before, issue 17); the rest of the
    application's figure is the disclosure protection, in Python."""
    from kelisim.accounts.models import User
    from kelisim.surveys import rollups, selectors
    from kelisim.surveys.models import Instrument

    user = User.objects.get(pk=user_id)
    instrument = Instrument.objects.get(pk=instrument_id)
    bands = selectors._bands(instrument)
    kept, _rows = repeat(
        lambda: rollups.cube_rows(user=user, instrument=instrument, column="age_band", bands=bands),
        repetitions,
    )
    scoped = selectors.responses(user=user, instrument=instrument)
    raw, _rows = repeat(lambda: list(rollups.raw_rows(scoped, "age_band", bands)), repetitions)
    return kept, raw


def run(
    database: str, user_id: int, instrument_id: int, version_id: int, repetitions: int
) -> list[dict[str, Any]]:
    import duckdb

    from kelisim.surveys import disclosure
    from kelisim.surveys.stats import _T95

    def first_view() -> tuple[list[tuple[Any, ...]], int]:
        disclosure._PROTECTED.clear()  # as after a new response: the cube is protected afresh
        return app_index(user_id, instrument_id)

    cold_times, _cold = repeat(first_view, max(3, repetitions // 3))
    app_times, (app_result, hidden) = repeat(lambda: app_index(user_id, instrument_id), repetitions)
    read_times, raw_times = _reads(user_id, instrument_id, repetitions)
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
    rows = (duck.execute("SELECT count(*) FROM responses").fetchone() or (0,))[0]
    duck_times, duck_result = repeat(lambda: duck.execute(DUCK_SQL).fetchall(), repetitions)
    duck.close()
    same = _same(app_result, duck_result)
    duck_ms = median(duck_times) * 1000
    target = {"on": "ratio", "op": "<=", "limit": 1.0, "text": "≤ 1× DuckDB"}
    common: dict[str, Any] = {
        "n": rows,
        "cells": len(app_result),
        "cells_hidden": hidden,
        "duckdb_cells": len(duck_result),
        "same_answer": same,
    }
    return [
        figure(
            "Tolerance Index by district × age band",
            database,
            median(app_times) * 1000,
            "ms",
            duck_ms,
            baseline_name="DuckDB, same rows, same run",
            target=target,
            **common,
            rollup_read_ms=round(median(read_times) * 1000, 2),
            raw_read_ms=round(median(raw_times) * 1000, 2),
            first_view_ms=round(median(cold_times) * 1000, 2),
            repetitions=repetitions,
            export_seconds=round(export_seconds, 3),
            detail="the application: the analytics' own path (selectors._cube over the survey rollups, "
            "scoped, small cells and their complements hidden, the protection kept for unchanged "
            "counts), mean total with t interval, band shares with Wilson intervals; DuckDB: the same "
            "from the raw responses (cells of fewer than 5 left out), read from a CSV dump made in the "
            "same run (load not timed); every cell the application shows is compared with DuckDB's; "
            "rollup_read_ms / raw_read_ms: the cube's database read alone, from the rollups and from "
            "the responses",
        ),
        figure(
            "Tolerance Index, first view after new responses",
            database,
            median(cold_times) * 1000,
            "ms",
            duck_ms,
            baseline_name="DuckDB, same rows, same run",
            target=target,
            **common,
            repetitions=len(cold_times),
            detail="as above with the kept protections emptied before each run: the cube's counts "
            "are new, so the witness search of disclosure.Cube runs in full",
        ),
    ]
