"""Search and extraction figures: the application's own search and extractor against the bare engine and tokenizer."""

import contextlib
import time
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
    at a time), as after `kelisim generate`, whose bulk inserts send no signals."""
    from kelisim.search import indexing

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
    return count, time.perf_counter() - started


def _raw(analysis: Any, query: str) -> int:
    """The engine's own full-text query for the same stems: count and the first page of ids."""
    groups = [g for g in analysis.query_groups(query) if g]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            expression = " AND ".join("(" + " OR ".join(f'"{s}"' for s in g) + ")" for g in groups)
            cursor.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH %s", [expression])
            total = cursor.fetchone()[0]
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY bm25(search_fts) LIMIT 20",
                [expression],
            )
        else:
            tsquery = " & ".join("(" + " | ".join(f"'{s}'" for s in g) + ")" for g in groups)
            vector = "to_tsvector('simple', stems)"
            cursor.execute(
                f"SELECT count(*) FROM search_searchdocument WHERE {vector} @@ to_tsquery('simple', %s)",  # noqa: S608
                [tsquery],
            )
            total = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT id FROM search_searchdocument WHERE {vector} @@ to_tsquery('simple', %s) "  # noqa: S608
                f"ORDER BY ts_rank({vector}, to_tsquery('simple', %s)) DESC LIMIT 20",
                [tsquery, tsquery],
            )
        cursor.fetchall()
    return total


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
            _raw(analysis, query)
            raw.append(time.perf_counter() - started)
            hits += total
    app, raw = app[len(QUERIES) :], raw[len(QUERIES) :]  # the first round warms up
    return [
        figure(
            name,
            database,
            percentile(app, 95) * 1000,
            "ms",
            percentile(raw, 95) * 1000,
            baseline_name="the engine's full-text query alone (count + first page, no scope)",
            n=documents,
            repetitions=len(app),
            queries=len(QUERIES),
            index_documents_per_second=round(documents / index_seconds, 1),
            detail="kelisim.search.selectors.search for a regional coordinator, 20 per page",
            target={"on": "value", "op": "<=", "limit": 100.0, "text": "p95 ≤ 100 ms"},
        )
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
