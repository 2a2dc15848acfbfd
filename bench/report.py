"""docs/benchmarks.md from one run's records."""

from typing import Any

ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

METHOD = """\
- **Appeals dashboard aggregates.** What a regional coordinator's dashboard asks, through the
  application: the user read afresh (as each request does, so the grants query counts),
  `kelisim.appeals.selectors.queue_summary` by department and by territory, and `appeal_list`
  counts by status, overdue and total. Baseline: the same five aggregates as hand-written SQL on the
  same connection (the same join on the territory path); both answers are compared. Median of the runs.
- **Tolerance Index by district × age band.** The analytics' own path for a country-wide analyst:
  `selectors._cube` grouped by age band (scoped sums read from the survey rollups, ADR 0013, then
  the disclosure protection: small cells and their complements hidden), and for each district its
  shown cells with the t interval of the mean and Wilson intervals of the band shares, as
  `index_table` gives them. Baseline: DuckDB computing the cells in SQL over the raw responses,
  dumped to CSV and loaded in the same run (load not timed); every cell the application shows is
  compared with DuckDB's. Beside it, the cube's database read alone, from the rollups and from the
  responses (`rollup_read_ms`, `raw_read_ms` in results.json). Median of the runs. The protection
  depends on the cells' counts alone and is kept per process under their fingerprint, so a page
  drawn again on unchanged counts skips the witness search; *first view after new responses* is the
  same path with the kept protections emptied before each run (the witness search in full).
- **GET /api/v1/appeals/.** gunicorn (gthread, 2 workers × 4 threads) with
  `kelisim.settings.production` on 127.0.0.1 only, pinned to core 0 with `taskset`; the load
  generator (the benchmark's process) pinned to core 1; persistent database connections
  (`conn_max_age=60`). Six filtered URLs of 50 appeals each (token of the regional coordinator).
  *CPU per request*: the CPU time of gunicorn's processes and of the PostgreSQL backends serving
  them, read from `/proc` before and after rounds of the six pages requested one after another,
  divided by the requests. Baseline: the same six pages by hand-written SQL (count and page, the same
  scope and filters, the same joins) and `json.dumps`, on the benchmark's own connection, its
  process's and its backend's CPU; the pages' ids are compared (same answer). *p99 at 50 req/s*:
  requests sent on a fixed schedule (open loop, 16 client connections), each latency counted from
  the moment its request was due; baseline `GET /healthz` on the same schedule.
- PostgreSQL runs with `docs/deployment.md`'s settings for the benchmark's database (`work_mem`
  16 MB, `maintenance_work_mem` 256 MB, `effective_cache_size` 3 GB, by `ALTER DATABASE`;
  `shared_buffers` is the cluster's, recorded), and after the data is generated PostgreSQL is `VACUUM ANALYZE`d and
  SQLite `ANALYZE`d, as a database in service would be.
- **XLSX import.** A generated workbook of valid appeals of the coordinator's region, through
  `kelisim.appeals.importer.parse` + `commit` (every row registered by `appeals_register_many` as
  `appeal_register` would: numbering, history, audit entry, search index). Baseline: openpyxl
  reading the same file alone.
- **Search.** Only when `kelisim.search` is importable: appeals and events indexed in bulk with the
  module's own sources and analysis, then `kelisim.search.selectors.search` for the coordinator over
  twelve Kazakh and Russian queries; p95 of all runs. Baseline: the engine's best query on the same
  scope by hand (SQLite: FTS5 with the scope tokens in the match; PostgreSQL: the stored tsvector,
  ranking the same capped candidates), count and first page.
- **rebuild_search.** `kelisim.search.indexing.rebuild` (the command's function) over every record
  after the search figure, documents per second, with the largest size SQLite's WAL reaches while it runs.
  Baseline: the bulk index rate of the search figure's own indexing."""


def _num(value: Any) -> str:
    if value is None:
        return "—"
    value = float(value)
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _verdict(record: dict[str, Any]) -> str:
    target = record.get("target")
    if not target:
        return "no target set"
    return "meets target" if record.get("target_met") else "**misses target**"


def _table(records: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| Figure | Value | Baseline | Ratio | Target | Verdict | n | Runs | Same answer |",
        "| --- | ---: | ---: | ---: | --- | --- | ---: | ---: | --- |",
    ]
    for r in records:
        if r.get("not_measured"):
            continue
        unit = r["unit"]
        same = r.get("same_answer")
        lines.append(
            "| {name} | {value} {unit} | {baseline} {unit} ({bname}) | {ratio}× | {target} | {verdict} | "
            "{n} | {reps} | {same} |".format(
                name=r["name"],
                value=_num(r["value"]),
                unit=unit,
                baseline=_num(r["baseline"]),
                bname=r.get("baseline_name", ""),
                ratio=_num(r["ratio"]),
                target=(r.get("target") or {}).get("text", "—"),
                verdict=_verdict(r),
                n=f"{r['n']:,}" if isinstance(r.get("n"), int) else "—",
                reps=r.get("repetitions", "—"),
                same="—" if same is None else ("yes" if same else "**no**"),
            )
        )
    return lines


WHY = """\
What each missed target costs, as the profiles show it (cProfile of the application's path and
`EXPLAIN ANALYZE` of its queries on databases made by `kelisim generate --scale small|region`,
2026-12-07), and how the figures above grow from `region` to `national`. The national run measured
commit 9320629 (ids-first lists counted to a cap, ADR 0016; yearly survey rollups, ADR 0015; the
import's commit without a model per row; SQLite search ranked in FTS5 alone). The national run
before it (commit 8c4494f, the same day) is quoted as "before"; the small and region runs in the
growth table are older still. What changed after this run is said where it applies.

- **List API, CPU per request and p99.** 13–20 ms of a request's CPU is the application's Python
  whatever the data: compiling the ORM's statements (~14%), building ~150 model objects for a page
  of 50 (the appeal and the territory and topic it joins, ~10%), token authentication and the grants
  (~14%), the serializer and JSON (~8%), the middleware stack and the audit row of the read. On
  SQLite the statements no longer grow with the data: 24.3 ms before, 19.2 ms now, against 73.1 ms
  for the hand-written SQL that counts every row. On PostgreSQL the figure rose, 30.8 → 36.5 ms with
  the backend's CPU (baseline 17.0 → 18.7 ms). It was not profiled at national size this session;
  the changes were measured on a copy of one region's data times ten, in which every appeal is in
  the coordinator's region, where they cut it 31.1 → 20.7 ms. In the real national data the region
  holds a tenth of the appeals, so a page ordered by due date and limited to 51 ids may be planned as
  a walk of the due-date index past the other regions' rows: the next profile to take. p99 at 50
  requests/s follows from CPU per request: above 20 ms the server's one core is busy all the time and
  the queue grows for the whole run (7.4 s on SQLite, 3.9 s on PostgreSQL); at 7–12 ms (small,
  SQLite region) it is tens of milliseconds.
- **XLSX import.** Parsing is openpyxl (in the sandboxed reader) plus the row checks, about
  openpyxl's own rate. The commit checks each row's values once by its columns' rules (the model's
  clean_fields only for a row they refuse), writes column values without a model per row (COPY on
  PostgreSQL), and indexes documents as rows; rows, history, audit entries and stems are those of
  registration one by one (`kelisim/tests/test_import_commit.py`). National: SQLite 0.27× → 0.51×
  openpyxl (meets the target), PostgreSQL 0.25× → 0.32×. What the commit's profile holds: the inserts
  (~30%), each appeal's own text stemmed inside the transaction (~25%: it keeps an import all or
  nothing, its index too), the applicants' name keys and public codes (~25%).
- **Tolerance Index.** A page drawn again on unchanged counts reuses its protection (kept per
  process under the counts' fingerprint); what remains is the read of the survey rollups and the
  statistics of every cell in Python. Whole years are read from the yearly rollups (ADR 0015),
  summed in SQL and read past the ORM's rows: national, 4.0× → 3.0× DuckDB on SQLite and 4.8× →
  3.5× on PostgreSQL, the rollup read 59 / 83 ms against DuckDB's whole answer of 63 / 56 ms over
  the million raw responses (the raw read they replace: 6.8 s / 1.0 s). The read alone is about
  DuckDB's time, so ≤ 1× needs a rollup already per (district, age band), or the cells kept. The
  first view after new responses runs the witness search of `disclosure.Cube` in full: 0.7–0.9 s
  for the country.
- **Search.** The application's extra work over the engine's best query is fixed per query at small
  and region sizes: the highlighted snippets of the page and the query for visits named by a
  district. National p95: SQLite 228 → 144 ms, 3.3× → 1.7× its best query (ranked in FTS5 alone, the
  scope in the match, only the shown rows read); PostgreSQL 185 → 305 ms at 1.43× its best query,
  whose own p95 rose from 125 to 214 ms on the same data and settings, so the machine, not the code,
  moved that figure. The 100 ms bound is missed by both engines' own queries at national size.
- **rebuild_search.** Each chunk reads its records through the ORM with their related rows (model
  instances and related-object assignment: ~40% of the CPU), stems them (~10%) and writes the
  documents; PostgreSQL runs at 0.56× the bulk path, not profiled. This run sampled SQLite's WAL
  during the rebuild: 1,190 MB at its peak. The chunks keep it small; the peak was the swap's
  `DROP TABLE` of the old generation: Debian's SQLite is built with SECURE_DELETE, which overwrites
  every freed page, and in WAL mode each overwritten page is written to the WAL. Since the run the
  old generation is dropped with `secure_delete = FAST` (`store.drop_fts`): an FTS table of 8 MB
  dropped writes under a twentieth of it (a test). `rebuild` of region data (105,250 documents),
  old and new alternately, twice each: WAL peak 119 MB → 15 MB (a chunk's worth), at the same rate
  (2,541–3,159 documents/s, one busy machine).
- **Dashboards on PostgreSQL.** 3.2× → 1.5× the hand-written SQL at national (SQLite 1.25×): the
  counts by status use COUNT(*) from the scope index, the queues count the territory key, and the
  scope's territories are one subquery. Still above 1.3×; not profiled at national size.
- **Extraction.** 143 documents/s in the bench's process after the national data were generated,
  where the tokenizing baseline ran at half the previous run's rate too (9,663 → 4,801 documents/s);
  in a fresh process during the same run, 167–179 documents/s. Below the 200 target either way.
"""


def markdown(
    info: dict[str, Any],
    runs: list[dict[str, Any]],
    skipped: list[dict[str, Any]],
    grown: list[str] | None = None,
) -> str:
    m = info["machine"]
    servers = {run["database"]: run.get("server_version", "") for run in runs}
    out = [
        "# Benchmarks",
        "",
        f"Written by `python -m bench` (`make bench`) at `BENCH_SCALE={info['scale']}` on {info['date']}; "
        f"the whole run took {info['seconds']} s. Raw records: `var/bench/results.json`. "
        "Every figure's baseline was measured in the same run, on the same data and database; "
        "ratio = value ÷ baseline.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        f"| CPU | {m['cpu']} |",
        f"| Cores | {m['cores']} |",
        f"| RAM | {m['ram_gib']} GiB |",
        f"| OS | {m['os']} |",
        f"| Python | {m['python']} |",
        f"| Django | {m['django']} (DRF {m['djangorestframework']}) |",
        f"| SQLite | {servers.get('sqlite') or m['sqlite']} |",
        f"| PostgreSQL | {servers.get('postgresql', 'not run')} (psycopg {m['psycopg']}) |",
        f"| DuckDB | {m['duckdb']} |",
        f"| gunicorn | {m['gunicorn']} |",
        f"| openpyxl | {m['openpyxl']} |",
        "",
        "## Data",
        "",
        f"Each database was new and filled by `kelisim generate --scale {info['scale']} --seed 1` over the "
        "whole classifier (every region, district and okrug), five years up to the day of the run. "
        "Rows written and bulk-insert rates (including building the rows in Python):",
        "",
    ]
    engines = [run["database"] for run in runs]
    header = "| Table | Rows | " + " | ".join(f"{ENGINE_NAMES.get(e, e)} rows/s" for e in engines) + " |"
    out += [header, "| --- | ---: |" + " ---: |" * len(engines)]
    if runs:
        for table, first in runs[0]["generation"].items():
            rates = [_num(run["generation"].get(table, {}).get("rows_per_second")) for run in runs]
            out.append(f"| `{table}` | {first['rows']:,} | " + " | ".join(rates) + " |")
        out.append(
            "| *whole generation* | | " + " | ".join(f"{run['generation_seconds']} s" for run in runs) + " |"
        )
        sizes = runs[0]["sizes"]
        out += [
            "",
            f"Scoped figures use the regional coordinator of the busiest region, {sizes['region']}: "
            f"{sizes['appeals_in_scope']:,} of the appeals before the import figure added its own.",
        ]
    out += ["", "## How each figure is measured", "", METHOD, ""]
    for run in runs:
        out += [f"## {ENGINE_NAMES.get(run['database'], run['database'])}", ""]
        out += _table(run["figures"])
        met = [r for r in run["figures"] if r.get("target") and not r.get("not_measured")]
        good = sum(1 for r in met if r.get("target_met"))
        out += ["", f"{good} of {len(met)} targets met.", ""]
    other = [
        r
        for run in runs
        for r in run["figures"]
        if r["database"] not in servers and not r.get("not_measured")
    ]
    if other:
        out += ["## Without a database", "", *_table(other), ""]
    out += grown or []
    missing = [r for run in runs for r in run["figures"] if r.get("not_measured")] + skipped
    out += ["## Not measured", ""]
    if missing:
        out += [f"- {r['name']} ({r['database']}): not measured: {r['not_measured']}." for r in missing]
    else:
        out.append("Every figure was measured.")
    out += [
        "",
        "## Notes",
        "",
        "- Medians of repeated runs after one warm-up run; the API figures are percentiles of every "
        "request of one bounded load run, the search figure the 95th percentile of all its queries.",
        "- The list API's server is pinned to one core and the load generator to the other; the "
        "database's processes are not pinned (they share both).",
        "- Regenerate this page with `make bench` (`BENCH_SCALE=small` finishes in a few minutes).",
        "",
        "## Where the misses come from",
        "",
        WHY,
        "",
    ]
    return "\n".join(out)
