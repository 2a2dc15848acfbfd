"""Keeping the index current: every save or delete of a searchable record updates its row.

Signals are used on purpose here (see docs/adr/0003-search-index-signals.md): the domain apps
sit below search and must not import it, and a missed service would leave the index stale."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.db.models import prefetch_related_objects
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from kelisim.core import bulk
from kelisim.core.signals import bulk_created

from . import store
from .analysis import index_text
from .models import SearchDocument, SearchIndex

# Records a rebuild reads, indexes and commits at a time: a stopped rebuild loses at most one chunk
# of its own work (never the live index), and SQLite's WAL is emptied between chunks.
CHUNK = 2000


@dataclass(frozen=True)
class Source:
    kind: str
    model: str
    text: Callable[[Any], tuple[str, str]]  # (title, body)
    path: Callable[[Any], str]
    restricted: Callable[[Any], bool] = lambda obj: False
    related: tuple[str, ...] = ()
    # What a rebuild joins to read the text and the territory in one statement, and what it reads
    # in one more statement per chunk.
    select: tuple[str, ...] = ("territory",)
    prefetch: tuple[str, ...] = ()
    # How many times the title's words count (see TITLE_WEIGHT).
    title_weight: int = 3


def _visit(v: Any) -> tuple[str, str]:
    return (
        f"{v.territory.name_kk} / {v.territory.name_ru} {v.date_start:%d.%m.%Y}",
        f"{v.goals_kk}\n{v.goals_ru}",
    )


def _event(e: Any) -> tuple[str, str]:
    """The event with what a user remembers it by: its topics, audiences, officials and organisers.
    A sensitive audience (persons on probation) is left out: the index would tell it to readers
    who may not see it."""
    venue = e.venue.name_kk if e.venue_id else e.venue_text
    topics = [f"{t.name_kk} {t.name_ru}" for t in e.topics.all()]
    audiences = [
        f"{a.category.name_kk} {a.category.name_ru}" for a in e.audiences.all() if not a.category.sensitive
    ]
    officials = [
        " ".join(x for x in (o.person.full_name if o.person_id else "", o.position_kk, o.position_ru) if x)
        for o in e.officials.all()
    ]
    organizers = [
        f"{x.name_kk} {x.name_ru}" for o in e.organizers.all() for x in (o.organization, o.department) if x
    ]
    return e.title_kk or e.title_ru, "\n".join(
        [
            e.title_ru,
            e.summary_kk,
            e.summary_ru,
            e.outcomes_kk,
            e.outcomes_ru,
            venue,
            e.territory.name_kk,
            e.territory.name_ru,
            *topics,
            *audiences,
            *officials,
            *organizers,
        ]
    )


def _display_names(person: Any) -> str:
    """A person's name, and their account's display name when it differs; never the login."""
    names = [person.full_name]
    user = person.user if person.user_id else None
    if user is not None and user.get_full_name().strip() not in ("", person.full_name):
        names.append(user.get_full_name().strip())
    return " / ".join(names)


def _member(m: Any) -> tuple[str, str]:
    """A member of a visit's working group: found by name in the visit's district, so a district
    coordinator finds the regional officials who come with the working group."""
    v = m.visit
    return _display_names(m.person), "\n".join(
        [
            f"{m.position_kk} {m.position_ru}".strip(),
            f"{m.department.name_kk} / {m.department.name_ru}",
            f"{v.territory.name_kk} / {v.territory.name_ru} {v.date_start:%d.%m.%Y}",
        ]
    )


def _official(o: Any) -> tuple[str, str]:
    """An official or speaker of an event: found where the event is, hidden where the event is."""
    name = _display_names(o.person) if o.person_id else f"{o.position_kk} {o.position_ru}".strip()
    e = o.event
    return name, "\n".join(
        [f"{o.position_kk} {o.position_ru}".strip(), e.title_kk or e.title_ru, e.territory.name_kk]
    )


def _appeal(a: Any) -> tuple[str, str]:
    return a.number, "\n".join(
        [a.text, a.department.name_kk, a.department.name_ru, a.territory.name_kk, a.territory.name_ru]
    )


SOURCES = [
    Source("visit", "programs.Visit", _visit, lambda v: v.territory.path),
    Source(
        "event",
        "events.Event",
        _event,
        lambda e: e.territory.path,
        lambda e: e.restricted,
        select=("territory", "venue"),
        prefetch=(
            "topics",
            "audiences__category",
            "officials__person",
            "organizers__organization",
            "organizers__department",
        ),
    ),
    Source(
        "organization",
        "registry.Organization",
        lambda o: (o.name_kk, f"{o.name_ru}\n{o.address}"),
        lambda o: o.territory.path,
    ),
    Source(
        "person",
        "registry.Person",
        lambda p: (p.full_name, "\n".join(x.title_kk + " " + x.title_ru for x in p.positions.all())),
        lambda p: p.territory.path,
        prefetch=("positions",),
    ),
    # The department is joined: a query per appeal made a national rebuild run for hours.
    Source(
        "appeal", "appeals.Appeal", _appeal, lambda a: a.territory.path, select=("territory", "department")
    ),
    Source(
        "member",
        "programs.Member",
        _member,
        lambda m: m.visit.territory.path,
        select=("visit__territory", "person__user", "department"),
    ),
    Source(
        "official",
        "events.EventOfficial",
        _official,
        lambda o: o.event.territory.path,
        lambda o: o.event.restricted,
        select=("event__territory", "person__user"),
    ),
]
BY_MODEL = {s.model: s for s in SOURCES}
# Records whose documents repeat a parent's text, territory or restriction: when the parent is
# saved they are indexed again (a person renamed, a visit moved, an event made restricted).
DEPENDENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "registry.Person": (
        ("programs.Member", "person"),
        ("events.EventOfficial", "person"),
        ("events.Event", "officials__person"),
    ),
    "programs.Visit": (("programs.Member", "visit"),),
    "events.Event": (("events.EventOfficial", "event"),),
    "accounts.Department": (("programs.Member", "department"),),
    # An account's display name is indexed with its person's (never the login).
    "accounts.User": (
        ("programs.Member", "person__user"),
        ("events.EventOfficial", "person__user"),
        ("events.Event", "officials__person__user"),
    ),
    # An event's document names its audiences: a category renamed, or made sensitive, is re-read.
    "events.AudienceCategory": (("events.Event", "audiences__category"),),
    "events.Topic": (("events.Event", "topics"),),
}


def _stems(source: Source, title: str, body: str) -> str:
    """Title words count `title_weight` times: an event is found by its title before records that
    only mention it, and a visit, whose title is its district, first of all for the district's name."""
    return index_text("\n".join([title] * source.title_weight + [body]))


def index(source: Source, obj: Any) -> None:
    title, body = source.text(obj)
    stems = _stems(source, title, body)
    for generation, table in store.targets():
        document, _created = SearchDocument.objects.update_or_create(
            generation=generation,
            kind=source.kind,
            object_id=obj.pk,
            defaults={
                "territory_path": source.path(obj),
                "restricted": source.restricted(obj),
                "title": title[:500],
                "body": body,
                "stems": stems,
            },
        )
        if store.sqlite():
            store.fts_delete([document.pk], table)
            store.fts_insert([document], table)


# Lines whose stems a call remembers: the names of departments and territories that recur in every
# appeal of an import are stemmed once; an appeal's own text is forgotten with the call, or sooner.
_LINES_REMEMBERED = 10_000
_DOCUMENT_COLUMNS = (
    "id",
    "generation",
    "kind",
    "object_id",
    "territory_path",
    "restricted",
    "title",
    "body",
    "stems",
    "updated_at",
)


@dataclass(frozen=True)
class _Row:
    """A document as the FTS table needs it (store.fts_insert), without a model instance."""

    pk: int
    kind: str
    territory_path: str
    restricted: bool
    stems: str


def _line_stems(remembered: dict[str, str]) -> Callable[[str], str]:
    def stems(line: str) -> str:
        found = remembered.get(line)
        if found is None:
            if len(remembered) >= _LINES_REMEMBERED:
                remembered.clear()  # the recurring lines come back at once; the texts go
            found = remembered[line] = index_text(line)
        return found

    return stems


def _stems_by_line(source: Source, title: str, body: str, stems: Callable[[str], str]) -> str:
    """`_stems`, line by line: no word spans a line break (kelisim.text.kk_stem.tokens), so the stems
    of the text are those of its lines, in order."""
    lines = [title] * source.title_weight + body.split("\n")
    return " ".join(found for found in map(stems, lines) if found)


def index_new(source: Source, objs: list[Any], targets: list[tuple[int, str]] | None = None) -> None:
    """Index records that have no document yet (just created in bulk): a few statements per chunk.
    `targets`: (generation, FTS table) pairs to write, by default those of store.targets()."""
    targets = store.targets() if targets is None else targets
    prefetch_related_objects(objs, *source.prefetch)  # one query per relation for the whole chunk
    stems = _line_stems({})
    now = timezone.now()
    documents: list[tuple[Any, ...]] = []
    for obj in objs:
        title, body = source.text(obj)
        documents.append(
            (
                source.kind,
                obj.pk,
                source.path(obj),
                source.restricted(obj),
                title[:500],
                body,
                _stems_by_line(source, title, body, stems),
            )
        )
    # One transaction (a savepoint inside an import's): the keys are reserved for it, and the FTS
    # rows are written with their documents or not at all. Rows, not instances: an import indexes
    # a document per appeal.
    with transaction.atomic():
        for generation, table in targets:
            keys = bulk.allocate_keys(SearchDocument, len(documents))
            bulk.insert_values(
                SearchDocument,
                _DOCUMENT_COLUMNS,
                ([key, generation, *document, now] for key, document in zip(keys, documents, strict=True)),
            )
            if store.sqlite():
                rows = [
                    _Row(key, kind, path, restricted, found)
                    for key, (kind, _id, path, restricted, _title, _body, found) in zip(
                        keys, documents, strict=True
                    )
                ]
                store.fts_insert(rows, table)


def unindex(kind: str, object_id: int) -> None:
    ids = list(SearchDocument.objects.filter(kind=kind, object_id=object_id).values_list("pk", flat=True))
    SearchDocument.objects.filter(pk__in=ids).delete()
    if store.sqlite() and ids:
        store.fts_delete(ids)  # rows of other generations have none here: a no-op for them
        if store.next_exists():
            store.fts_delete(ids, store.NEXT)


def _on_save(
    sender: type[models.Model], instance: Any, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    if raw or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    source = BY_MODEL.get(sender._meta.label)
    if source is not None:
        transaction.on_commit(lambda: _reindex_one(source, sender, instance.pk))
    if sender._meta.label in DEPENDENTS:
        transaction.on_commit(lambda: _reindex_dependents(sender._meta.label, instance.pk))


def _reindex_dependents(label: str, pk: Any) -> None:
    from django.apps import apps

    for model_label, field in DEPENDENTS[label]:
        source = BY_MODEL[model_label]
        model = apps.get_model(model_label)
        rows = model._default_manager.select_related(*source.select).prefetch_related(*source.prefetch)
        for obj in rows.filter(**{field: pk}).distinct():
            index(source, obj)


def _reindex_one(source: Source, model: type[models.Model], pk: Any) -> None:
    rows = model._default_manager.select_related(*source.select).prefetch_related(*source.prefetch)
    obj = rows.filter(pk=pk).first()
    if obj is None:
        unindex(source.kind, pk)
    else:
        index(source, obj)


def _on_bulk_created(sender: type[models.Model], instances: list[Any], **kwargs: Any) -> None:
    source = BY_MODEL.get(sender._meta.label)
    if source is not None:
        # In the same transaction, unlike single saves: an import is all or nothing, its index too.
        index_new(source, instances)


def _on_delete(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    unindex(BY_MODEL[sender._meta.label].kind, instance.pk)


def connect() -> None:
    from django.apps import apps

    bulk_created.connect(_on_bulk_created, dispatch_uid="search-bulk-created")
    for source in SOURCES:
        model = apps.get_model(source.model)
        post_save.connect(_on_save, sender=model, dispatch_uid=f"search-{source.kind}-save")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"search-{source.kind}-delete")
    for label in DEPENDENTS:
        if label not in BY_MODEL:
            post_save.connect(_on_save, sender=apps.get_model(label), dispatch_uid=f"search-{label}-parent")


def _chunks(source: Source) -> Iterable[list[Any]]:
    """The source's records CHUNK at a time, by key: each chunk is a fresh query (no cursor held
    open across the commits) and its related rows are read for the whole chunk (index_new)."""
    from django.apps import apps

    rows = apps.get_model(source.model)._default_manager.select_related(*source.select).order_by("pk")
    last = None
    while True:
        chunk = list((rows.filter(pk__gt=last) if last is not None else rows)[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _checkpoint() -> None:
    """Empty SQLite's WAL between chunks, so it stays the size of a chunk, not of the index."""
    if store.sqlite() and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _drop_all_but(live: int) -> None:
    """Delete the documents of every generation but the live one (their FTS table is dropped
    whole), a chunk at a time, by key: each chunk starts past the rows the last one deleted."""
    last = 0
    while True:
        ids = list(
            SearchDocument.objects.filter(pk__gt=last)
            .exclude(generation=live)
            .order_by("pk")
            .values_list("pk", flat=True)[:CHUNK]
        )
        if not ids:
            return
        SearchDocument.objects.filter(pk__in=ids).delete()
        last = ids[-1]
        _checkpoint()


def rebuild(progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None) -> int:
    """Index every record again (after bulk loads, which skip signals) into a new generation beside
    the live one, CHUNK records per transaction, and make it live in one transaction at the end.
    Searches read the live generation throughout; a rebuild stopped midway leaves it whole, and the
    next rebuild clears what the stopped one wrote. Records saved meanwhile are written to both."""
    live = store.state().live
    new = live + 1
    with transaction.atomic():
        SearchIndex.objects.filter(pk=1).update(building=None)
        if store.sqlite():
            with connection.cursor() as cursor:
                store.drop_fts(cursor, store.NEXT)
    _drop_all_but(live)  # what a stopped rebuild wrote
    with transaction.atomic():
        if store.sqlite():
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE VIRTUAL TABLE {store.NEXT} USING fts5({store.FTS_COLUMNS})")
        SearchIndex.objects.filter(pk=1).update(building=new)
    count = 0
    for source in SOURCES:
        chunks = _chunks(source)
        for chunk in progress(chunks) if progress else chunks:
            with transaction.atomic():
                # A record saved since the rebuild began already has a row of the new generation.
                stale = list(
                    SearchDocument.objects.filter(
                        generation=new, kind=source.kind, object_id__in=[o.pk for o in chunk]
                    ).values_list("pk", flat=True)
                )
                if stale:
                    SearchDocument.objects.filter(pk__in=stale).delete()
                    if store.sqlite():
                        store.fts_delete(stale, store.NEXT)
                index_new(source, chunk, [(new, store.NEXT)])
            count += len(chunk)
            _checkpoint()
    with transaction.atomic():  # the swap
        SearchIndex.objects.filter(pk=1).update(live=new, building=None)
        if store.sqlite():
            with connection.cursor() as cursor:
                store.drop_fts(cursor, store.LIVE)
                cursor.execute(f"ALTER TABLE {store.NEXT} RENAME TO {store.LIVE}")
    _checkpoint()
    _drop_all_but(new)
    store.analyze()
    return count
