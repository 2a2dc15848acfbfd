"""Keeping the index current: every save or delete of a searchable record updates its row.

Signals are used on purpose here (see docs/adr/0003-search-index-signals.md): the domain apps
sit below search and must not import it, and a missed service would leave the index stale."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.db.models import prefetch_related_objects
from django.db.models.signals import post_delete, post_save

from kelisim.core.signals import bulk_created

from .analysis import index_text
from .models import SearchDocument


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
    ),
    Source("appeal", "appeals.Appeal", _appeal, lambda a: a.territory.path),
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


def _fts_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _stems(source: Source, title: str, body: str) -> str:
    """Title words count `title_weight` times: an event is found by its title before records that
    only mention it, and a visit, whose title is its district, first of all for the district's name."""
    return index_text("\n".join([title] * source.title_weight + [body]))


def index(source: Source, obj: Any) -> None:
    title, body = source.text(obj)
    stems = _stems(source, title, body)
    document, _created = SearchDocument.objects.update_or_create(
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
    if _fts_sqlite():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [document.pk])
            cursor.execute("INSERT INTO search_fts(rowid, stems) VALUES (%s, %s)", [document.pk, stems])


def index_new(source: Source, objs: list[Any]) -> None:
    """Index records that have no document yet (just created in bulk): a few statements per chunk."""
    prefetch_related_objects(objs, *source.prefetch)  # a no-op for what a rebuild prefetched
    documents = []
    for obj in objs:
        title, body = source.text(obj)
        documents.append(
            SearchDocument(
                kind=source.kind,
                object_id=obj.pk,
                territory_path=source.path(obj),
                restricted=source.restricted(obj),
                title=title[:500],
                body=body,
                stems=_stems(source, title, body),
            )
        )
    SearchDocument.objects.bulk_create(documents, batch_size=500)
    if _fts_sqlite():
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts(rowid, stems) VALUES (%s, %s)", [[d.pk, d.stems] for d in documents]
            )


def unindex(kind: str, object_id: int) -> None:
    ids = list(SearchDocument.objects.filter(kind=kind, object_id=object_id).values_list("pk", flat=True))
    SearchDocument.objects.filter(pk__in=ids).delete()
    if _fts_sqlite() and ids:
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [[i] for i in ids])


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


def rebuild(progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None) -> int:
    """Index every record again from scratch (after bulk loads, which skip signals)."""
    from django.apps import apps

    SearchDocument.objects.all().delete()
    if _fts_sqlite():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
    count = 0
    for source in SOURCES:
        model = apps.get_model(source.model)
        rows = model._default_manager.select_related(*source.select).prefetch_related(*source.prefetch)
        iterator = rows.iterator(chunk_size=2000)
        chunk: list[Any] = []
        for obj in progress(iterator) if progress else iterator:
            chunk.append(obj)
            if len(chunk) == 2000:
                index_new(source, chunk)
                count, chunk = count + len(chunk), []
        index_new(source, chunk)
        count += len(chunk)
    # The planner's figures for the new rows: without them PostgreSQL guesses a plan for a table it
    # believes empty, and a search over a rebuilt index of a million rows takes seconds.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchdocument")
    return count
