"""Reads of events, always scoped: a restricted event exists only for holders of the sensitive
capability in its territory, in lists, counts, exports, feeds, conflict notices and single reads
alike. Whatever shows events passes them through `events_shown` (or, for figures, `events_counted`),
which writes one audit row per read naming the restricted events it showed."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kelisim.accounts import policies
from kelisim.core.audit import audit_read_aggregate, audit_read_records

from .models import Event, EventAudience, EventOfficial


def visible_q(user: Any, capability: str = "view_event", within: str | None = None) -> Q:
    """Events in the user's scope (at or below the unit `within`, when given) that they may read."""
    return policies.scope_q(user, capability, within=within) & (
        Q(restricted=False) | policies.scope_q(user, "view_sensitive")
    )


def public_events(*, visit: Any) -> QuerySet[Event]:
    """The events of a visit its public page may list: never a restricted one, never one with a
    sensitive audience. The page shows only title, format, time, place and organizing department."""
    from .models import EventOrganizer

    return (
        Event.objects.filter(visit=visit, restricted=False)
        .exclude(audiences__category__sensitive=True)
        .select_related("format", "territory", "venue")
        .prefetch_related(
            Prefetch(
                "organizers",
                queryset=EventOrganizer.objects.filter(department__isnull=False).select_related("department"),
                to_attr="public_organizers",
            )
        )
        .order_by("start", "id")
    )


@dataclass(frozen=True)
class EventFilters:
    territory: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    format: str | None = None
    topic: str | None = None
    visit: int | None = None
    department: int | None = None


def event_list(
    *, user: Any, filters: EventFilters | None = None, capability: str = "view_event"
) -> QuerySet[Event]:
    f = filters or EventFilters()
    qs = Event.objects.filter(visible_q(user, capability, within=f.territory or None))
    if f.date_from:
        qs = qs.filter(end__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(start__date__lte=f.date_to)
    if f.format:
        qs = qs.filter(format__code=f.format)
    if f.topic:
        qs = qs.filter(topics__code=f.topic)
    if f.visit:
        qs = qs.filter(visit_id=f.visit)
    if f.department:
        qs = qs.filter(
            Q(organizers__department_id=f.department) | Q(visit__members__department_id=f.department)
        )
    if f.topic or f.department:
        qs = qs.distinct()
    return qs.select_related("format", "territory", "venue", "visit").order_by("start", "id")


def event_list_detailed(*, user: Any, filters: EventFilters | None = None) -> QuerySet[Event]:
    """The list with everything a timeline or export prints, in a fixed number of queries."""
    return event_list(user=user, filters=filters).prefetch_related(
        "topics",
        Prefetch("audiences", queryset=EventAudience.objects.select_related("category")),
        Prefetch("officials", queryset=EventOfficial.objects.select_related("person")),
    )


def events_shown(*, user: Any, events: Iterable[Event], via: str, filters: Any = None) -> list[Event]:
    """`events` as a list, after one audit row naming the restricted ones among them (none when
    there are none): `via` says which page, answer, feed or report shows them, `filters` how the
    user chose them. Every read that shows events to a person goes through here."""
    shown = list(events)
    restricted = [e for e in shown if e.restricted]
    if restricted:
        audit_read_records(
            actor=user,
            object_type=Event._meta.label_lower,
            ids=[e.pk for e in restricted],
            territory_paths=[e.territory.path for e in restricted],
            via=via,
            rows=len(shown),
            filters=filters,
        )
    return shown


def events_counted(*, user: Any, events: QuerySet[Event], via: str, rows: int, filters: Any = None) -> None:
    """For figures computed over `events` (`rows` of them): one audit row saying how many restricted
    events the figures counted. One query, and none for a user who may see no restricted event."""
    if not policies.can(user, "view_sensitive"):
        return
    counts = list(
        events.order_by()
        .filter(restricted=True)
        .values_list("territory__path")
        .annotate(n=Count("id"))
        .values_list("territory__path", "n")
    )
    audit_read_aggregate(
        actor=user,
        object_type=Event._meta.label_lower,
        counted=sum(n for _path, n in counts),
        territory_paths=[path for path, _n in counts],
        via=via,
        rows=rows,
        filters=filters,
    )


def event_get_for_user(
    *, user: Any, pk: Any, capability: str = "view_event", via: str = "event_detail"
) -> Event:
    """The event, or the same 404 for "missing" and "not yours". Reads of restricted events
    are written to the audit log."""
    try:
        event = event_list_detailed(user=user).filter(visible_q(user, capability)).get(pk=int(pk))
    except (Event.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    return events_shown(user=user, events=[event], via=via)[0]


def timeline(*, user: Any, visit: Any) -> list[tuple[date, list[Event]]]:
    """The visit's days, each with the events the user may see that touch it."""
    filters = EventFilters(visit=visit.pk)
    events = events_shown(
        user=user,
        events=event_list_detailed(user=user, filters=filters),
        via="visit_timeline",
        filters=filters,
    )
    by_day: dict[date, list[Event]] = defaultdict(list)
    for event in events:
        start = timezone.localtime(event.start).date()
        end = timezone.localtime(event.end).date()
        for day in visit.days:
            if start <= day <= end:
                by_day[day].append(event)
    return [(day, by_day.get(day, [])) for day in visit.days]


def month_grid(day: date) -> list[list[date | None]]:
    import calendar

    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(day.year, day.month)
    return [[d if d.month == day.month else None for d in week] for week in weeks]


def as_local_range(day_from: date, day_to: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(day_from, datetime.min.time(), tz),
        datetime.combine(day_to, datetime.max.time(), tz),
    )


def audiences_shown(*, user: Any, event: Event) -> list[Any]:
    """The event's audiences that `user` may see: a sensitive audience (persons on probation) and
    its count only for holders of the sensitive capability in the event's territory, wherever the
    event is shown (page, export, report)."""
    audiences = list(event.audiences.all())
    if policies.can(user, "view_sensitive", event.territory):
        return audiences
    return [a for a in audiences if not a.category.sensitive]
