"""Who is already booked: a person's places in working groups, events and reception sessions that
overlap a time. One check for every surface that books people (the working group's member form,
an event's officials), read through the same policies as the lists: a booking in a record the user
may not see is reported as "busy" without its title, time, place or link, and a restricted event
that is shown is audited (`events_shown`, via "event_conflicts" or "member_bookings").

What counts as a clash: another event at an overlapping time somewhere else (the same event's
place is not a clash: two sittings in one hall); a place in another visit's working group on the
day; a reception session the person holds (through their account) at an overlapping time. A
visit's own events and receptions are not clashes for its working group's members: they are
expected there."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kelisim.accounts import policies
from kelisim.appeals.models import ReceptionSession
from kelisim.programs.models import Member, Visit

from .models import Event, EventOfficial
from .selectors import events_shown, visible_q


@dataclass(frozen=True)
class Booking:
    person_id: int
    person: str
    kind: str  # "visit", "event" or "reception"
    day: date
    label: str  # empty when the user may not see the record
    url: str

    @property
    def hidden(self) -> bool:
        return not self.label

    def __str__(self) -> str:
        when = date_format(self.day, "DATE_FORMAT")
        if self.hidden:
            return _("%(person)s is busy on %(day)s in another record you cannot see.") % {
                "person": self.person,
                "day": when,
            }
        return _("%(person)s is already booked on %(day)s: %(what)s.") % {
            "person": self.person,
            "day": when,
            "what": self.label,
        }


def day_range(days: list[date]) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(min(days), time.min, tz),
        datetime.combine(max(days) + timedelta(days=1), time.min, tz),
    )


def member_bookings(*, user: Any, person_ids: list[int], visit: Visit, days: list[date]) -> list[Booking]:
    """Before a person joins `visit`'s working group for `days`: where else they are booked."""
    if not person_ids or not days:
        return []
    start, end = day_range(days)
    events = EventOfficial.objects.filter(
        person_id__in=person_ids, event__start__lt=end, event__end__gt=start
    )
    return _sorted(
        [
            *_memberships(user, person_ids, set(days), exclude=visit),
            *_events(user, events.exclude(event__visit=visit), set(days), via="member_bookings"),
            *_receptions(user, person_ids, set(days), start, end, exclude=visit),
        ]
    )


def official_bookings(*, user: Any, event: Event) -> list[Booking]:
    """The event's officials booked elsewhere while it runs."""
    return officials_bookings(
        user=user,
        person_ids=[o.person_id for o in event.officials.all() if o.person_id],
        start=event.start,
        end=event.end,
        place=event.place,
        territory_id=event.territory_id,
        event=event,
        visit=event.visit,
    )


def officials_bookings(
    *,
    user: Any,
    person_ids: list[int],
    start: datetime | None,
    end: datetime | None,
    place: str,
    territory_id: int | None,
    event: Event | None = None,
    visit: Visit | None = None,
) -> list[Booking]:
    """Before (or after) `person_ids` are named officials of an event from `start` to `end` at
    `place`: where else they are booked. `event` is the event itself once it exists, `visit` the
    visit it belongs to (its working group is not a clash)."""
    person_ids = sorted({pk for pk in person_ids if pk})
    if not person_ids or start is None or end is None or end < start:
        return []
    first, last = timezone.localtime(start).date(), timezone.localtime(end).date()
    days = {first + timedelta(days=i) for i in range((last - first).days + 1)}
    others = EventOfficial.objects.filter(
        person_id__in=person_ids, event__start__lt=end, event__end__gt=start
    ).select_related("event__venue")
    if event is not None and event.pk:
        others = others.exclude(event=event)
    elsewhere = [o.pk for o in others if o.event.place != place or o.event.territory_id != territory_id]
    return _sorted(
        [
            *_events(user, EventOfficial.objects.filter(pk__in=elsewhere), days, via="event_conflicts"),
            *_memberships(user, person_ids, days, exclude=visit),
            *_receptions(user, person_ids, days, start, end, exclude=None),
        ]
    )


def _sorted(found: list[Booking]) -> list[Booking]:
    """In order of day; a person's hidden bookings of one day told once."""
    unique = {(b.person_id, b.day, b.kind, b.label): b for b in found if not b.hidden}
    hidden = {(b.person_id, b.day): b for b in found if b.hidden}
    return sorted([*unique.values(), *hidden.values()], key=lambda b: (b.day, b.person, b.hidden, b.label))


def _memberships(user: Any, person_ids: list[int], days: set[date], exclude: Visit | None) -> list[Booking]:
    members = (
        Member.objects.filter(
            person_id__in=person_ids, visit__date_start__lte=max(days), visit__date_end__gte=min(days)
        )
        .exclude(visit=exclude)
        .select_related("visit__territory", "person")
    )
    found = []
    for member in members:
        visit = member.visit
        visible = policies.can(user, "view_visit", visit.territory)
        for day in sorted(
            d for d in days if member.present_on(d) and visit.date_start <= d <= visit.date_end
        ):
            found.append(
                Booking(
                    person_id=member.person_id,
                    person=member.person.full_name,
                    kind="visit",
                    day=day,
                    label=_("the working group of the visit to %(district)s")
                    % {"district": visit.territory.name}
                    if visible
                    else "",
                    url=reverse("visit-detail", args=[visit.pk]) if visible else "",
                )
            )
    return found


def _events(user: Any, roles: Any, days: set[date], *, via: str) -> list[Booking]:
    roles = list(roles.select_related("event__territory", "event__venue", "person"))
    visible = set(
        Event.objects.filter(visible_q(user), pk__in={r.event_id for r in roles}).values_list("pk", flat=True)
    )
    # The restricted events named to the user are audited, as any list that shows them.
    events_shown(
        user=user, events={r.event_id: r.event for r in roles if r.event_id in visible}.values(), via=via
    )
    found = []
    for role in roles:
        event, shown = role.event, role.event_id in visible
        first, last = timezone.localtime(event.start).date(), timezone.localtime(event.end).date()
        for day in sorted(d for d in days if first <= d <= last):
            found.append(
                Booking(
                    person_id=role.person_id or 0,
                    person=role.person.full_name if role.person else "",
                    kind="event",
                    day=day,
                    label=_("“%(title)s”, %(time)s")
                    % {"title": event.title, "time": _hours(event.start, event.end)}
                    if shown
                    else "",
                    url=reverse("event-detail", args=[event.pk]) if shown else "",
                )
            )
    return found


def _receptions(
    user: Any, person_ids: list[int], days: set[date], start: datetime, end: datetime, exclude: Visit | None
) -> list[Booking]:
    sessions = ReceptionSession.objects.filter(
        specialist__person__in=person_ids, start__lt=end, end__gt=start
    ).select_related("territory", "department", "specialist__person")
    if exclude is not None:
        sessions = sessions.exclude(visit=exclude)
    found = []
    for session in sessions:
        day = timezone.localtime(session.start).date()
        if day not in days or session.specialist is None:
            continue
        person = session.specialist.person  # type: ignore[attr-defined]
        shown = policies.can(user, "view_reception", session.territory)
        found.append(
            Booking(
                person_id=person.pk,
                person=person.full_name,
                kind="reception",
                day=day,
                label=_("a citizen reception of %(department)s, %(time)s")
                % {"department": session.department.name, "time": _hours(session.start, session.end)}
                if shown
                else "",
                url=reverse("reception-desk", args=[session.pk]) if shown else "",
            )
        )
    return found


def _hours(start: datetime, end: datetime) -> str:
    return f"{timezone.localtime(start):%H:%M}–{timezone.localtime(end):%H:%M}"
