"""Search in bounded time (issue 17.2): the scope inside SQLite's full-text match, PostgreSQL's
ranking of a capped candidate set, and a rebuild that builds beside the live index."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kelisim.accounts.models import Department
from kelisim.appeals.services import appeal_register
from kelisim.events.models import AudienceCategory, Event, EventAudience, EventFormat, Topic
from kelisim.registry.models import Person, Position
from kelisim.search import indexing, selectors, store
from kelisim.search.models import SearchDocument, SearchIndex
from kelisim.search.selectors import search

KORDAY, SHU, REGION = "314800000", "316600000", "310000000"
QUERIES = ["аудан", "пробация", "кездесу", "жастар", "Қордай", "өтініш шам"]

sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="the FTS5 table is SQLite's")


def _add_records(territory, make_user, n):  # type: ignore[no-untyped-def]
    """n more appeals, people (with a position) and events (with a topic and an audience)."""
    korday = territory(KORDAY)
    department = Department.objects.filter(territory__code=KORDAY).first()
    actor = make_user("district_coordinator", KORDAY)
    template = Event.objects.filter(restricted=False).first()
    for i in range(n):
        appeal_register(
            actor=actor,
            type="statement",
            channel="written",
            applicant_name="Қайрат Өтінішбаев",
            applicant_contact="+7 702 555 66 77",
            territory=korday,
            department=department,
            text=f"Көшедегі шам жанбайды {i}",
            received_on=timezone.localdate(),
        )
        person = Person.objects.create(full_name=f"Сейітов Болат {i}", territory=korday)
        Position.objects.create(person=person, title_kk="әкім орынбасары")
        event = Event.objects.create(
            format=EventFormat.objects.get(code="meeting"),
            title_kk=f"Жастармен кездесу {i}",
            start=template.start,
            end=template.end,
            territory=korday,
        )
        event.topics.add(Topic.objects.first())
        EventAudience.objects.create(
            event=event, category=AudienceCategory.objects.filter(sensitive=False).first()
        )


@pytest.fixture
def users(make_user, territory):  # type: ignore[no-untyped-def]
    from kelisim.accounts.models import Role
    from kelisim.accounts.services import membership_grant

    # Restricted records seen in one district, the others of the region: a term of its own.
    narrow = make_user("analyst", REGION)
    membership_grant(
        actor=None,
        user=narrow,
        role=Role.objects.get(code="regional_coordinator"),
        territory=territory(KORDAY),
    )
    return [
        narrow,
        make_user("regional_coordinator", REGION),  # restricted records too
        make_user("district_coordinator", KORDAY),
        make_user("district_coordinator", SHU),
        make_user("specialist", KORDAY),
        make_user("analyst", REGION),
        make_user("press_officer", KORDAY),
        make_user("viewer", KORDAY),
        make_user("system_admin"),  # everywhere
        make_user(None),
    ]


def _answers(users):  # type: ignore[no-untyped-def]
    return [
        (total, [(h.type, h.id) for h in hits])
        for user in users
        for total, hits in [search(user=user, query=q, limit=100) for q in QUERIES]
    ]


@sqlite_only
def test_the_scope_in_the_full_text_match_is_the_sql_scope(seed_visit, users):
    """The FTS5 scope expression alone keeps exactly the documents the SQL check keeps, for every
    role; restricted events are among the documents and out of reach of who may not see them."""
    indexing.rebuild()
    live = store.live_generation()
    assert SearchDocument.objects.filter(restricted=True).exists()
    for user in users:
        expected = set(
            SearchDocument.objects.filter(selectors.scope(user), generation=live).values_list("pk", flat=True)
        )
        expression = selectors.scope_expression(user)
        found: set[int] = set()
        if expression is not None:
            with connection.cursor() as cursor:
                if expression:
                    cursor.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [expression])
                else:  # every document
                    cursor.execute("SELECT rowid FROM search_fts")
                found = {row[0] for row in cursor.fetchall()}
        assert found == expected, user.username
    district = users[2]
    restricted = set(SearchDocument.objects.filter(restricted=True).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
            [selectors.scope_expression(district)],
        )
        assert not {row[0] for row in cursor.fetchall()} & restricted


@sqlite_only
def test_a_document_of_another_generation_is_not_found(seed_visit, users):
    indexing.rebuild()
    regional = users[1]
    before = search(user=regional, query="аудан", limit=100)
    SearchIndex.objects.filter(pk=1).update(live=store.live_generation() + 7)
    assert search(user=regional, query="аудан", limit=100) == (0, [])
    SearchIndex.objects.filter(pk=1).update(live=store.live_generation() - 7)
    assert search(user=regional, query="аудан", limit=100) == before


def test_a_rebuild_stopped_after_its_first_chunk_leaves_search_as_it_was(seed_visit, users, monkeypatch):
    indexing.rebuild()
    before = _answers(users)
    documents = SearchDocument.objects.count()
    monkeypatch.setattr(indexing, "CHUNK", 5)
    real, calls = indexing.index_new, []

    def index_then_stop(*args, **kwargs):  # type: ignore[no-untyped-def]
        if calls:
            raise KeyboardInterrupt  # the operator's Ctrl-C, after one chunk was committed
        calls.append(len(args[1]))
        real(*args, **kwargs)

    monkeypatch.setattr(indexing, "index_new", index_then_stop)
    with pytest.raises(KeyboardInterrupt):
        indexing.rebuild()
    assert (
        SearchDocument.objects.count() == documents + calls[0] > documents
    )  # the new generation's first chunk
    assert _answers(users) == before
    if connection.vendor == "sqlite":
        assert store.documents_equal_fts()
    monkeypatch.setattr(indexing, "index_new", real)
    indexing.rebuild()  # clears what the stopped one wrote, and finishes
    assert SearchDocument.objects.count() == documents
    assert _answers(users) == before


def test_a_finished_rebuild_indexes_every_record_once(seed_visit, territory, make_user, monkeypatch):
    from django.apps import apps

    _add_records(territory, make_user, 3)
    monkeypatch.setattr(indexing, "CHUNK", 4)  # several chunks of every kind
    count = indexing.rebuild()
    live = store.live_generation()
    for source in indexing.SOURCES:
        ids = set(apps.get_model(source.model)._default_manager.values_list("pk", flat=True))
        indexed = list(SearchDocument.objects.filter(kind=source.kind).values_list("generation", "object_id"))
        assert sorted(indexed) == sorted((live, pk) for pk in ids), source.kind
    assert count == SearchDocument.objects.count()
    assert SearchIndex.objects.get(pk=1).building is None
    if connection.vendor == "sqlite":
        assert store.documents_equal_fts()


def test_a_rebuild_reads_related_rows_per_chunk_not_per_record(seed_visit, territory, make_user):
    _add_records(territory, make_user, 2)
    with CaptureQueriesContext(connection) as few:
        indexing.rebuild()
    _add_records(territory, make_user, 6)
    with CaptureQueriesContext(connection) as more:
        indexing.rebuild()
    assert len(more) == len(few), [q["sql"][:120] for q in more.captured_queries]


def test_a_record_saved_during_a_rebuild_reaches_the_new_index(
    seed_visit, make_user, django_capture_on_commit_callbacks
):
    indexing.rebuild()
    live = store.live_generation()
    SearchIndex.objects.filter(pk=1).update(building=live + 1)  # a rebuild is writing live + 1
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE VIRTUAL TABLE {store.NEXT} USING fts5({store.FTS_COLUMNS})")
    event = Event.objects.filter(restricted=False).first()
    with django_capture_on_commit_callbacks(execute=True):
        event.title_kk = "Домбырашылар кеші"
        event.save()
    rows = SearchDocument.objects.filter(kind="event", object_id=event.pk)
    assert sorted(rows.values_list("generation", flat=True)) == [live, live + 1]
    assert all("домбыр" in stems for stems in rows.values_list("stems", flat=True))
    if connection.vendor == "sqlite":
        assert store.documents_equal_fts()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL caps the ranked candidates")
def test_postgresql_ranks_a_capped_candidate_set_in_a_stable_order(
    seed_visit, territory, make_user, monkeypatch
):
    _add_records(territory, make_user, 6)
    indexing.rebuild()
    regional = make_user("regional_coordinator", REGION)
    total, _hits = search(user=regional, query="кездесу", limit=100)
    assert total > 4
    monkeypatch.setattr(selectors, "CANDIDATES", 4)
    capped, page = search(user=regional, query="кездесу", limit=100)
    assert capped == len(page) == 4 < total
    assert search(user=regional, query="кездесу", limit=100) == (capped, page)


def test_the_visit_comes_first_for_its_districts_name_past_the_candidates(seed_visit, make_user, monkeypatch):
    """A visit named by the query comes first even when the ranked candidates don't hold it (none
    at all here: on PostgreSQL only the visits read apart are left)."""
    indexing.rebuild()
    monkeypatch.setattr(selectors, "CANDIDATES", 0)
    user = make_user("regional_coordinator", REGION)
    _total, hits = search(user=user, query="Қордай", limit=5)
    assert hits and (hits[0].type, hits[0].id) == ("visit", seed_visit.pk)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 path")
def test_sqlite_ranks_the_matches_in_fts5_alone_and_reads_only_the_rows_it_shows(seed_visit, make_user):
    """Ranking every match joined to its row (for the scope's SQL check) cost a national search
    more than FTS5's whole answer: the ranked ids come from FTS5, the rows read are the page's."""
    indexing.rebuild()
    user = make_user("regional_coordinator", REGION)
    with CaptureQueriesContext(connection) as queries:
        total, hits = search(user=user, query="аудан", limit=3)
    assert total > 3 and len(hits) == 3
    # (the count, capped at COUNT_CAP + 1, reads its rows: it ranks nothing)
    ranked = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT rowid")]
    assert len(ranked) == 2 and all("ORDER BY bm25" in sql for sql in ranked), ranked  # the visits, the page
    assert all("search_searchdocument" not in sql for sql in ranked), ranked
    read = [
        q["sql"]
        for q in queries.captured_queries
        if '"search_searchdocument"."body"' in q["sql"] and "COUNT" not in q["sql"].upper()
    ]
    assert len(read) == 1 and "search_fts" not in read[0], read


def test_dropping_an_fts_generation_writes_almost_nothing_to_the_wal(tmp_path):
    """Debian's SQLite overwrites freed pages (SECURE_DELETE), and in WAL mode the overwrite goes to
    the WAL: dropping a whole generation copied it there. drop_fts frees its pages as they are."""
    import random
    import sqlite3

    path = tmp_path / "fts.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA secure_delete = 1")  # Debian's default, set here so any build is tested alike
    db.execute(f"CREATE VIRTUAL TABLE old USING fts5({store.FTS_COLUMNS})")
    words = [f"сөз{i}" for i in range(3000)]
    rng = random.Random(1)
    db.execute("BEGIN")
    for i in range(20000):
        db.execute(
            "INSERT INTO old(rowid, stems, scope) VALUES (?, ?, 'kappeal r0')",
            (i, " ".join(rng.choices(words, k=25))),
        )
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = path.stat().st_size
    wal = tmp_path / "fts.sqlite3-wal"
    assert size > 4 * 2**20 and wal.stat().st_size == 0
    cursor = db.cursor()
    cursor.execute("BEGIN")
    store.drop_fts(cursor, "old")
    cursor.execute("COMMIT")
    assert wal.stat().st_size < size / 20, (wal.stat().st_size, size)  # not the table again
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'old'").fetchone()[0] == 0
    assert db.execute("PRAGMA secure_delete").fetchone()[0] == 1  # the connection's setting is back
