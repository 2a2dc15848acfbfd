"""One search across visits, events, organizations, people and appeals, in the user's scope.

SQLite answers from its FTS5 table (bm25 ranking) with the user's scope inside the match; PostgreSQL
from the stored tsvector's GIN index, ranking (ts_rank) at most CANDIDATES matches in scope. The
analysis of the query is the same as that of the index, so both find the same records (and the
same page, as long as a query has fewer than CANDIDATES matches in scope).

A result shows a title and a snippet of the text: one audit row per kind of record read names the
restricted events, the people and the appeals a search showed (the query itself is never recorded)."""

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, Expression, Field, FloatField, Q, QuerySet, When
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from kelisim.accounts import policies
from kelisim.core.audit import audit_read_records
from kelisim.events.models import EventOfficial
from kelisim.programs.models import Member
from kelisim.text.kk_stem import tokens

from . import store
from .analysis import index_text, query_groups, stems_of
from .models import SearchDocument

CAPABILITY = {
    "visit": "view_visit",
    "event": "view_event",
    "organization": "view_registry",
    "person": "view_registry",
    "appeal": "view_appeal",
    # People found through the visits and events they take part in, where those are in scope.
    "member": "view_visit",
    "official": "view_event",
}
# Kinds hidden with their event when it is restricted, unless the user may see restricted records.
_RESTRICTABLE = ("event", "official")
URLS = {
    "visit": lambda pk: reverse("visit-detail", args=[pk]),
    "event": lambda pk: reverse("event-detail", args=[pk]),
    "organization": lambda pk: reverse("registry-detail", args=["organizations", pk]),
    "person": lambda pk: reverse("registry-detail", args=["people", pk]),
    "appeal": lambda pk: reverse("appeal-detail", args=[pk]),
    # pk: the visit or the event (see _parents), not the member or official row.
    "member": lambda pk: reverse("visit-detail", args=[pk]) + "#working-group",
    "official": lambda pk: reverse("event-detail", args=[pk]),
}
_SAFE_STEM = re.compile(r"^\w+$")
# The kinds of record whose every hit is a read to record, and for events the restricted ones.
AUDITED = {
    "event": "events.event",
    "person": "registry.person",
    "appeal": "appeals.appeal",
    "member": "programs.member",
    "official": "events.eventofficial",
}


# What each kind of result is called on the page (the words of the models' own names).
LABELS = {
    "visit": _("visit"),
    "event": _("event"),
    "organization": _("organization"),
    "person": _("person"),
    "appeal": _("appeal"),
    "member": _("working group member"),
    "official": _("official present"),
}


@dataclass(frozen=True)
class Hit:
    type: str
    id: int
    title: SafeString
    snippet: SafeString
    url: str

    @property
    def label(self) -> str:
        return str(LABELS.get(self.type, self.type))


def scope(user: Any) -> Q:
    allowed = Q(pk__in=[])
    for kind, capability in CAPABILITY.items():
        part = Q(kind=kind) & policies.scope_q(user, capability, path_field="territory_path")
        if kind in _RESTRICTABLE:
            part &= Q(restricted=False) | policies.scope_q(
                user, "view_sensitive", path_field="territory_path"
            )
        allowed |= part
    return allowed


def _any(tokens: list[str]) -> str:
    return "(" + " OR ".join(tokens) + ")"


def scope_expression(user: Any, kinds: tuple[str, ...] = ()) -> str | None:
    """The user's scope (as `scope` above) as an FTS5 expression on the `scope` column of
    search_fts (store.scope_tokens), or None when the user may see nothing: SQLite then finds only
    matches in scope, and the SQL check of `scope` reads those rows only; "" when the user sees
    every document. Kinds seen under the same
    conditions share one term, and a term that holds for every kind names none: the fewer tokens,
    the fewer doclists FTS5 reads."""
    sensitive = policies.scope_paths(user, "view_sensitive")
    conditions: dict[tuple[str, ...], list[str]] = {}
    for kind, capability in CAPABILITY.items():
        paths = policies.scope_paths(user, capability)
        if not paths or (kinds and kind not in kinds):
            continue
        terms = []
        if "" not in paths:
            terms.append(_any([store.path_token(p) for p in sorted(paths)]))
        # A restricted record is hidden unless view_sensitive covers it: no term when it covers
        # everywhere this kind is seen.
        covered = "" in sensitive or (
            "" not in paths and all(any(p.startswith(s) for s in sensitive) for p in paths)
        )
        if kind in _RESTRICTABLE and not covered:
            terms.append(_any(["r0", *(store.path_token(p) for p in sorted(sensitive))]))
        conditions.setdefault(tuple(terms), []).append(kind)
    if not conditions:
        return None
    everything = set(kinds or CAPABILITY)
    parts = []
    for condition, seen in conditions.items():
        named = [] if set(seen) == everything else [_any([f"k{k}" for k in seen])]
        if not named and not condition:
            return ""  # every document: no condition at all
        parts.append("(" + " AND ".join([*named, *condition]) + ")")
    return f"scope : {_any(parts)}"


# PostgreSQL ranks at most this many matches in scope (those its index gives first): a word found
# in 500,000 records costs the ranking of 5,000, and counts stop at COUNT_CAP anyway.
CANDIDATES = 5000
# The same for the visits read apart (_visits_named): few, even country-wide.
VISIT_CANDIDATES = 5000


class _Vector(Expression):
    """SQL on the stored `vector` column, which the model doesn't declare (it exists on PostgreSQL
    only, see migration 0004): named through the alias of the query compiling it, so that it stays
    right inside a subquery (where the table is aliased)."""

    def __init__(self, template: str, tsquery: str, output_field: Field) -> None:  # type: ignore[type-arg]
        super().__init__(output_field=output_field)
        self.template, self.tsquery = template, tsquery

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        column = f"{compiler.quote_name_unless_alias(compiler.query.get_initial_alias())}.vector"
        return self.template.format(vector=column), [self.tsquery]


def _vector_matches(tsquery: str) -> _Vector:
    return _Vector("{vector} @@ to_tsquery('simple', %s)", tsquery, BooleanField())  # a filter


def _vector_rank(tsquery: str) -> _Vector:
    return _Vector("ts_rank({vector}, to_tsquery('simple', %s))", tsquery, FloatField())


def _clean(groups: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    clean = [tuple(s for s in g if _SAFE_STEM.match(s)) for g in groups]
    return [g for g in clean if g]


def _fts_match(user: Any, groups: list[tuple[str, ...]], kinds: tuple[str, ...] = ()) -> str | None:
    """The FTS5 expression of the words within the user's scope (None: nothing to find)."""
    clean = _clean(groups)
    in_scope = scope_expression(user, kinds)
    if not clean or in_scope is None:
        return None
    words = " AND ".join("(" + " OR ".join(f'"{s}"' for s in g) + ")" for g in clean)
    # scope_expression names no kind that its every condition holds for; the kinds asked are.
    named = f" AND {_any([f'k{k}' for k in kinds])}" if kinds else ""
    return f"stems : ({words})" + (f" AND {in_scope}" if in_scope else "") + named


def _fts_ranked(match: str, limit: int) -> list[int]:
    """The best `limit` matches' ids, as the page orders them (bm25, then id)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
            " ORDER BY bm25(search_fts, 1.0, 0.0), rowid LIMIT %s",  # the scope tokens weigh nothing
            [match, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _checked(user: Any, ids: list[int], generation: int) -> dict[int, SearchDocument]:
    """The documents of `ids` that the scope's SQL check keeps too: the FTS5 tokens found them, and
    the rows shown are checked once more on their own columns."""
    rows = SearchDocument.objects.filter(scope(user), generation=generation, pk__in=ids) if ids else []
    return {d.pk: d for d in rows}


def _matching(
    user: Any,
    groups: list[tuple[str, ...]],
    *,
    generation: int,
    kinds: tuple[str, ...] = (),
    also: Sequence[int] = (),
) -> QuerySet[SearchDocument]:
    """The documents in scope matching every group, best first; `also`: ids of documents found in
    scope by an earlier call, kept among PostgreSQL's candidates."""
    qs = SearchDocument.objects.filter(scope(user), generation=generation)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    clean = _clean(groups)
    if not clean:
        return qs.none()
    if store.sqlite():
        in_scope = scope_expression(user, kinds)
        if in_scope is None:
            return qs.none()
        words = " AND ".join("(" + " OR ".join(f'"{s}"' for s in g) + ")" for g in clean)
        return qs.extra(  # nosec B610
            tables=["search_fts"],
            where=["search_fts.rowid = search_searchdocument.id", "search_fts MATCH %s"],
            params=[f"stems : ({words})" + (f" AND {in_scope}" if in_scope else "")],
            select={"rank": "bm25(search_fts, 1.0, 0.0)"},  # the scope tokens weigh nothing
        ).order_by("rank", "id")
    tsquery = " & ".join("(" + " | ".join(f"'{s}'" for s in g) + ")" for g in clean)
    cap = VISIT_CANDIDATES if kinds == ("visit",) else CANDIDATES
    candidates = Q(pk__in=qs.filter(_vector_matches(tsquery)).order_by().values("pk")[:cap])
    if also:
        candidates |= Q(pk__in=list(also))
    return (
        SearchDocument.objects.filter(candidates).annotate(rank=_vector_rank(tsquery)).order_by("-rank", "id")
    )


@lru_cache(maxsize=50_000)
def _word_stems(word: str) -> frozenset[str]:
    """The stems of a word of a snippet (of its first token): the same words recur in every page's
    snippets, and splitting each again was a third of a search's Python."""
    found = tokens(word)
    return frozenset(stems_of(found[0])) if found else frozenset()


def _highlight(text: str, wanted: set[str], *, width: int = 160) -> SafeString:
    words = re.split(r"(\W+)", text)
    first = next((i for i, w in enumerate(words) if w.strip() and set(stems_of(w)) & wanted), None)
    if first is None:
        return mark_safe(escape(text[:width]))  # nosec B308 B703  # noqa: S308 - escaped
    start = max(0, first - 12)
    pieces = []
    length = 0
    for word in words[start:]:
        if length > width:
            pieces.append("…")
            break
        hit = word.strip() and _word_stems(word) & wanted
        # The standard library's escape, which Django's wraps (lazily, at a cost per word).
        pieces.append(f"<mark>{html.escape(word)}</mark>" if hit else html.escape(word))
        length += len(word)
    prefix = "…" if start else ""
    return mark_safe(prefix + "".join(pieces))  # nosec B308 B703  # noqa: S308 - every piece escaped above


def _audit(user: Any, documents: list[SearchDocument], via: str, offset: int) -> None:
    for kind, object_type in AUDITED.items():
        read = [d for d in documents if d.kind == kind and (kind != "event" or d.restricted)]
        audit_read_records(
            actor=user,
            object_type=object_type,
            ids=[d.object_id for d in read],
            territory_paths=[d.territory_path for d in read],
            via=via,
            rows=len(documents),
            filters={"q": True, "offset": offset},
        )


def _parents(documents: list[SearchDocument]) -> dict[tuple[str, int], int]:
    """The visit of each member shown and the event of each official: the pages their links open."""
    found: dict[tuple[str, int], int] = {}
    for kind, model, field in (("member", Member, "visit_id"), ("official", EventOfficial, "event_id")):
        ids = [d.object_id for d in documents if d.kind == kind]
        if ids:
            rows = model._default_manager.filter(pk__in=ids).values_list("pk", field)
            found.update({(kind, pk): parent for pk, parent in rows})
    return found


# How many matching visits are read to see whether the query names their district.
VISITS_READ = 50
# Matches are counted up to this many: past it the page says "more than 1,000", and counting a
# million matches would cost more than finding the first page.
COUNT_CAP = 1000


def _visits_named(user: Any, groups: list[tuple[str, ...]], generation: int) -> list[int]:
    """The matching visits whose title (their district's names) holds every word of the query: a
    search for a district's name is a search for its visits, before what only mentions it. Read
    apart from the other matches, so they come first however many records mention the district."""
    visits = _matching(user, groups, generation=generation, kinds=("visit",))
    return _named(groups, visits.values_list("pk", "title")[:VISITS_READ])


def _named(groups: list[tuple[str, ...]], visits: Iterable[tuple[int, str]]) -> list[int]:
    """The visits (id, title) whose title holds every word of the query."""
    named = []
    for pk, title in visits:
        keys = set(index_text(title).split())
        if all(keys & set(group) for group in groups):
            named.append(pk)
    return named


def _sqlite_page(
    user: Any, groups: list[tuple[str, ...]], generation: int, limit: int, offset: int
) -> tuple[int, list[SearchDocument]]:
    """SQLite's page, ids first from FTS5 alone (the scope is in the match), and then the rows of
    the page and of the visits that may be named, in one read checked by the scope's SQL: ranking
    every match joined to its row for that check cost a national search more than FTS5's whole
    answer. The count, capped, reads its rows as before."""
    match = _fts_match(user, groups)
    if match is None:
        return 0, []
    # Counted on the rows, as they are shown: at most COUNT_CAP + 1 of them are read.
    total = _matching(user, groups, generation=generation).order_by()[: COUNT_CAP + 1].count()
    if not 0 <= offset < total:
        return total, []
    visit_match = _fts_match(user, groups, ("visit",))
    visits = _fts_ranked(visit_match, VISITS_READ) if visit_match else []
    # Named visits come first: the page may hold up to as many more of the others.
    ranked = _fts_ranked(match, offset + limit + len(visits))
    checked = _checked(user, [*visits, *ranked], generation)
    named = _named(groups, [(pk, checked[pk].title) for pk in visits if pk in checked])
    ids = [*named, *(pk for pk in ranked if pk not in named)][offset : offset + limit]
    return total, [checked[pk] for pk in ids if pk in checked]


def search(
    *, user: Any, query: str, limit: int = 20, offset: int = 0, via: str = "search"
) -> tuple[int, list[Hit]]:
    """(the number of matches, up to COUNT_CAP + 1; the hits from `offset`)."""
    groups = query_groups(query[:200])
    if not groups:
        return 0, []
    generation = store.live_generation()
    if store.sqlite():
        total, documents = _sqlite_page(user, groups, generation, limit, offset)
    else:
        named = _visits_named(user, groups, generation)
        qs = _matching(user, groups, generation=generation, also=named)
        if named:
            qs = qs.annotate(named_first=Case(When(pk__in=named, then=0), default=1)).order_by(
                "named_first", *qs.query.order_by
            )
        total = qs.order_by()[: COUNT_CAP + 1].count()  # no ranking to count
        # A page past the end has nothing to fetch (and an offset past 2**63 is an error in the database).
        documents = list(qs[offset : offset + limit]) if 0 <= offset < total else []
    wanted = {s for g in groups for s in g}
    _audit(user, documents, via, offset)
    parents = _parents(documents)
    hits = [
        Hit(
            type=d.kind,
            id=d.object_id,
            title=_highlight(d.title, wanted, width=200),
            snippet=_highlight(d.body, wanted),
            url=URLS[d.kind](parents.get((d.kind, d.object_id), d.object_id)),
        )
        for d in documents
    ]
    return total, hits
