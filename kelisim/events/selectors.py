"""Reads of events, always scoped: a restricted event exists only for holders of the sensitive
capability in its territory, in lists, counts, exports, feeds and single reads alike."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kelisim.accounts import policies
from kelisim.core.audit import audit_read

from .models import Event, EventAudience, EventOfficial


def visible_q(user: Any, capability: str = "view_event") -> Q:
    return policies.scope_q(user, capability) & (
        Q(restricted=False) | policies.scope_q(user, "view_sensitive")
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
    qs = Event.objects.filter(visible_q(user, capability))
    if f.territory:
        qs = qs.filter(policies.within_q(f.territory))
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


def event_get_for_user(*, user: Any, pk: Any, capability: str = "view_event") -> Event:
    """The event, or the same 404 for "missing" and "not yours". Reads of restricted events
    are written to the audit log."""
    try:
        event = event_list_detailed(user=user).filter(visible_q(user, capability)).get(pk=int(pk))
    except (Event.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if event.restricted:
        audit_read(actor=user, obj=event, territory_path=event.territory.path)
    return event


def timeline(*, user: Any, visit: Any) -> list[tuple[date, list[Event]]]:
    """The visit's days, each with the events the user may see that touch it."""
    events = list(event_list_detailed(user=user, filters=EventFilters(visit=visit.pk)))
    by_day: dict[date, list[Event]] = defaultdict(list)
    for event in events:
        start = timezone.localtime(event.start).date()
        end = timezone.localtime(event.end).date()
        for day in visit.days:
            if start <= day <= end:
                by_day[day].append(event)
    return [(day, by_day.get(day, [])) for day in visit.days]


def booking_conflicts(*, event: Event) -> list[tuple[Any, Event]]:
    """People of this event who are booked elsewhere at an overlapping time, at another place."""
    people = [o.person_id for o in event.officials.all() if o.person_id]
    if not people:
        return []
    others = (
        EventOfficial.objects.filter(
            person_id__in=people, event__start__lt=event.end, event__end__gt=event.start
        )
        .exclude(event=event)
        .select_related("person", "event")
    )
    return [
        (o.person, o.event)
        for o in others
        if o.event.place != event.place or o.event.territory_id != event.territory_id
    ]


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
