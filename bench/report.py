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
  `kelisim.appeals.importer.parse` + `commit` (each row registered by `appeal_register`: numbering,
  history, audit entry, search index). Baseline: openpyxl reading the same file alone.
- **Search.** Only when `kelisim.search` is importable: appeals and events indexed in bulk with the
  module's own sources and analysis, then `kelisim.search.selectors.search` for the coordinator over
  twelve Kazakh and Russian queries; p95 of all runs. Baseline: the engine's best query on the same
  scope by hand (SQLite: FTS5 with the scope tokens in the match; PostgreSQL: the stored tsvector,
  ranking the same capped candidates), count and first page.
- **rebuild_search.** `kelisim.search.indexing.rebuild` (the command's function) over every record
  after the search figure, documents per second, with SQLite's largest WAL between chunks.
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
`EXPLAIN ANALYZE` of its queries, on a database made by `kelisim generate --scale region`, 2026-12-07;
the figures above say how it grows to `national`):

- **List API, CPU per request and p99.** About 13–20 ms of a request's CPU is the application's
  Python, whatever the data: compiling the ORM's four or five statements (~14%), building ~185 model
  objects for a page of 50 (the appeal and the territory, department and executors it joins, ~10%),
  token authentication and the grants (~14%), the serializer and JSON (~8%), the middleware stack
  and the audit row of the read. The hand-written baseline sends two prepared statements and dumps
  tuples. On PostgreSQL the count of a common status is the rest: the scope is "territory in the
  territories under this path", the appeal's own rows do not carry the path, and the planner counts
  every closed appeal of the country through the (territory, status, due date) index before the
  merge with the region's territories (18 ms of 28 at region size). p99 at 50 requests/s follows
  from CPU per request: at 20 ms a request the one core of the server is busy 100% of the time and
  the queue grows without bound, so the tail is seconds; below ~15 ms it stays tens of milliseconds.
  Next steps: the territory path (or region) on the appeal so that scope and status share one
  index, a page count capped like search's, and list reads that skip model instances.
- **XLSX import.** Parsing is openpyxl (in the sandboxed reader) plus the row checks, about
  openpyxl's own rate. Commit is the rest, 2.2 s for 5,000 rows: each row built as a model and its
  fields cleaned again although parse checked them (~25%), value preparation for the batched insert
  (~20%) and the insert itself (~10%), the search documents stemmed inside the transaction (~20%),
  the applicants' name keys and the audit rows. To reach half of openpyxl's rate the commit would have
  to take no longer than parsing: validate once, write prepared tuples, index after the commit.
- **Tolerance Index.** A page drawn again on unchanged counts reuses its protection (kept per
  process under the counts' fingerprint); what remains is the read of the survey rollups and their
  sum into every cell in Python. The rollups are kept by month (version × district × month × group
  × band): at region size the age-band dimension is 225,000 rows, more than the 100,000 responses
  DuckDB scans column by column, so the read alone (`rollup_read_ms`) is several times DuckDB's whole
  answer. A yearly grain beside the monthly one (twelve times fewer rows) would serve every view
  that filters by whole years or not at all. The first view after new responses runs the witness
  search of `disclosure.Cube` in full: 0.5–0.8 s for the country's districts.
- **Search against the engine's best query.** The application does what the baseline does not: the
  highlighted snippets of the page (~30% of its time at small size), the query for visits named by a
  district in the query (~24%), and the ORM's statements. These are fixed per query, so the ratio
  falls as the index grows.
- **rebuild_search.** Each chunk reads its records through the ORM with their related rows
  (model instances and related-object assignment: ~40% of the CPU), stems them (~10%) and writes the
  documents in batches; the bulk indexing the bench uses is the same work and sets the baseline.
- **Extraction.** One pass of `extract_events` over real releases is a few hundred regular
  expressions per sentence (event verbs, dates, places, people, organizations, audiences, topics);
  the figure is the first pass in a fresh process, so no cache of the same sentences helps it.
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
