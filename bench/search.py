"""Search and extraction figures: the application's own search and extractor against the bare engine and tokenizer."""

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection, transaction

from bench.measure import figure, percentile

QUERIES = [
    "су құбыры",
    "водопровод",
    "жер учаскесі",
    "трудоустройство",
    "электричество",
    "мектепке орын",
    "әлеуметтік көмек",
    "вакцинация скота",
    "спортплощадка",
    "мемлекеттік тіл курстары",
    "безопасности освещения",
    "діни бірлестік",
]


def _index_bulk(batch: int = 2000) -> tuple[int, float]:
    """Every appeal and event indexed through the path imports use (`indexing.index_new`, a chunk
    at a time), as after `kelisim generate`, whose bulk inserts send no signals; then ANALYZE."""
    from kelisim.search import indexing, store

    started = time.perf_counter()
    count = 0
    for label in ("appeals.Appeal", "events.Event"):
        source = indexing.BY_MODEL[label]
        model = apps.get_model(label)
        related = ["territory", "department"] if label == "appeals.Appeal" else ["territory", "venue"]
        objects = model._default_manager.select_related(*related).order_by("pk").iterator(chunk_size=batch)
        pending: list[Any] = []
        for obj in objects:
            pending.append(obj)
            if len(pending) >= batch:
                with transaction.atomic():
                    indexing.index_new(source, pending)
                count, pending = count + len(pending), []
        with transaction.atomic():
            indexing.index_new(source, pending)
        count += len(pending)
    store.analyze()
    return count, time.perf_counter() - started


def _scope_sql(user: Any) -> tuple[str, list[Any]]:
    """The user's scope written by hand over the document's own columns (as selectors.scope)."""
    from kelisim.accounts import policies
    from kelisim.search import selectors

    def under(paths: set[str]) -> tuple[str, list[Any]]:
        if "" in paths:
            return "TRUE", []
        return "(" + " OR ".join(["territory_path LIKE %s"] * len(paths)) + ")", [
            f"{p}%" for p in sorted(paths)
        ]

    sensitive = policies.scope_paths(user, "view_sensitive")
    parts, params = [], []
    for kind, capability in selectors.CAPABILITY.items():
        paths = policies.scope_paths(user, capability)
        if not paths:
            continue
        where, args = under(paths)
        part, part_params = f"(kind = %s AND {where}", [kind, *args]
        if kind in ("event", "official") and "" not in sensitive:
            where, args = under(sensitive) if sensitive else ("FALSE", [])
            part, part_params = f"{part} AND (NOT restricted OR {where})", [*part_params, *args]
        parts.append(part + ")")
        params += part_params
    return "(" + (" OR ".join(parts) or "FALSE") + ")", params


def _raw(analysis: Any, query: str, user: Any) -> int:
    """The engine's best query for the same stems on the same scope, count (capped as the page's)
    and first page of ids: SQLite's FTS5 with the scope inside the match, ranked by bm25 within the
    index; PostgreSQL's stored tsvector and its GIN index, ranking the same capped candidates."""
    from kelisim.search import selectors, store

    groups = [g for g in analysis.query_groups(query) if g]
    live = store.live_generation()
    cap = selectors.COUNT_CAP + 1
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            words = " AND ".join("(" + " OR ".join(f'"{s}"' for s in g) + ")" for g in groups)
            in_scope = selectors.scope_expression(user)
            expression = f"stems : ({words})" + (f" AND {in_scope}" if in_scope else "")
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH %s LIMIT %s)",
                [expression, cap],
            )
            total = cursor.fetchone()[0]
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
                " ORDER BY bm25(search_fts, 1.0, 0.0), rowid LIMIT 20",
                [expression],
            )
        else:
            tsquery = " & ".join("(" + " | ".join(f"'{s}'" for s in g) + ")" for g in groups)
            scope, params = _scope_sql(user)
            matches = (
                "SELECT id, vector FROM search_searchdocument"  # noqa: S608 - placeholders only
                f" WHERE vector @@ to_tsquery('simple', %s) AND generation = %s AND {scope}"
            )
            cursor.execute(f"SELECT count(*) FROM ({matches} LIMIT %s) m", [tsquery, live, *params, cap])  # noqa: S608
            total = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT id FROM ({matches} LIMIT %s) c"  # noqa: S608
                " ORDER BY ts_rank(vector, to_tsquery('simple', %s)) DESC, id LIMIT 20",
                [tsquery, live, *params, selectors.CANDIDATES, tsquery],
            )
        cursor.fetchall()
    return total


@contextlib.contextmanager
def _largest_size(path: Path) -> Iterator[Callable[[], int]]:
    """The largest size the file reaches while the block runs, sampled every few milliseconds from a
    thread (a look now and then misses what is written and truncated in between)."""
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.005):
            with contextlib.suppress(FileNotFoundError):
                peak = max(peak, path.stat().st_size)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield lambda: peak
    finally:
        done.set()
        sampler.join()


def _rebuild(database: str, documents_per_second_bulk: float) -> dict[str, Any]:
    """`kelisim rebuild_search`'s own function over every record, with the largest size SQLite's
    WAL reached (rebuild truncates it after each chunk, so only sampling during a chunk sees it);
    baseline: the bulk index rate of the same run (_index_bulk)."""
    from kelisim.search import indexing

    wal = Path(f"{connection.settings_dict['NAME']}-wal") if connection.vendor == "sqlite" else None
    if wal is not None:  # a WAL file keeps its largest size: start from the empty one
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with _largest_size(wal) if wal is not None else contextlib.nullcontext(lambda: 0) as peak:
        started = time.perf_counter()
        documents = indexing.rebuild()
        seconds = time.perf_counter() - started
    extra = {"wal_peak_mb": round(peak() / 2**20, 1)} if wal is not None else {}
    return figure(
        "rebuild_search, documents per second",
        database,
        documents / seconds,
        "docs/s",
        documents_per_second_bulk,
        baseline_name="the bench's own bulk indexing of appeals and events (indexing.index_new)",
        n=documents,
        repetitions=1,
        detail="kelisim.search.indexing.rebuild (the command's function): a new generation beside the live "
        "one, 2,000 records per transaction, swapped at the end",
        target={"on": "value", "op": ">=", "limit": 4000.0, "text": "≥ 4,000 docs/s"},
        **extra,
    )


def run_search(database: str, user_id: int, rounds: int) -> list[dict[str, Any]]:
    name = "search p95 over appeals and events"
    from kelisim.accounts.models import User
    from kelisim.search import analysis, selectors

    documents, index_seconds = _index_bulk()
    app, raw, hits = [], [], 0
    for _ in range(rounds + 1):
        for query in QUERIES:
            user = User.objects.get(pk=user_id)
            started = time.perf_counter()
            total, _page = selectors.search(user=user, query=query, limit=20)
            app.append(time.perf_counter() - started)
            started = time.perf_counter()
            _raw(analysis, query, user)
            raw.append(time.perf_counter() - started)
            hits += total
    app, raw = app[len(QUERIES) :], raw[len(QUERIES) :]  # the first round warms up
    common: dict[str, Any] = {
        "baseline_name": "the engine's best query on the same scope (scoped FTS5 / stored tsvector), "
        "count + first page",
        "n": documents,
        "repetitions": len(app),
        "queries": len(QUERIES),
        "detail": "kelisim.search.selectors.search for a regional coordinator, 20 per page",
    }
    p95, best = percentile(app, 95) * 1000, percentile(raw, 95) * 1000
    return [
        figure(
            name,
            database,
            p95,
            "ms",
            best,
            index_documents_per_second=round(documents / index_seconds, 1),
            target={"on": "value", "op": "<=", "limit": 100.0, "text": "p95 ≤ 100 ms"},
            **common,
        ),
        # The second bound on the same figure: within 1.5× of the engine's best query.
        figure(
            "search p95 vs the engine's best query",
            database,
            p95,
            "ms",
            best,
            target={"on": "ratio", "op": "<=", "limit": 1.5, "text": "≤ 1.5× best query"},
            **common,
        ),
        _rebuild(database, documents / index_seconds),
    ]


SHARED_CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def release_texts(fallback: list[str]) -> tuple[list[str], str]:
    """Press releases to measure extraction on: the real and dev corpora of ../shared when they are
    there (read in place, never copied), else the given synthetic event texts."""
    texts = [
        path.read_text(encoding="utf-8")
        for name in ("real", "dev")
        for path in sorted((SHARED_CORPORA / name).glob("*.txt"))
    ]
    if texts:
        return texts, f"{len(texts)} press releases of ../shared/corpus/real and dev"
    return fallback, f"{len(fallback)} synthetic event titles and summaries (../shared/corpus not found)"


def run_extraction(database: str, texts: list[str], source: str = "") -> list[dict[str, Any]]:
    name = "extraction, documents per second"
    from kelisim.text.extract import NotAPressRelease, extract_events
    from kelisim.text.kk_stem import tokens

    with contextlib.suppress(NotAPressRelease):  # loads the classifier once, outside the timing
        extract_events("Жұмыс тобы ауданда болып, тұрғындармен кездесті. Кездесуге ауыл тұрғындары қатысты.")
    started = time.perf_counter()
    for text in texts:
        with contextlib.suppress(NotAPressRelease):  # a refusal is a document handled too
            extract_events(text)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    for text in texts:
        tokens(text)
    floor = time.perf_counter() - started
    return [
        figure(
            name,
            database,
            len(texts) / seconds,
            "docs/s",
            len(texts) / floor,
            baseline_name="tokenizing the same documents (kelisim.text.kk_stem.tokens)",
            n=len(texts),
            repetitions=1,
            detail=f"kelisim.text.extract.extract_events in one process over {source or 'the given texts'}",
            target={"on": "value", "op": ">=", "limit": 200.0, "text": "≥ 200 docs/s"},
        )
    ]
