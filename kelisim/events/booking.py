"""Who is already booked: a person's places in working groups, events and reception sessions that
overlap a time. One check for every surface that books people (the working group, the event
form), read through the same policies as the lists: a booking the user may not see is reported as
"busy" without its title, time, place or link, and a restricted event that is shown is audited."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kelisim.accounts import policies
from kelisim.appeals.models import ReceptionSession
from kelisim.core.audit import audit_read
from kelisim.programs.models import Member, Visit

from .models import Event, EventOfficial
from .selectors import visible_q


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
            return _("%(person)s is already booked on %(day)s in a record outside your access.") % {
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


def person_bookings(
    *,
    user: Any,
    person_ids: list[int],
    days: list[date],
    start: datetime | None = None,
    end: datetime | None = None,
    exclude_visit: Visit | None = None,
    exclude_event_id: int | None = None,
) -> list[Booking]:
    """Bookings of these people on these days (and, when given, overlapping start–end), apart from
    the visit or event being edited: the members of a visit are expected at its own events."""
    if not person_ids or not days:
        return []
    if start is None or end is None:
        start, end = day_range(days)
    wanted = set(days)
    found = [
        *_visits(user, person_ids, wanted, exclude_visit),
        *_events(user, person_ids, wanted, start, end, exclude_visit, exclude_event_id),
        *_receptions(user, person_ids, wanted, start, end, exclude_visit),
    ]
    return sorted(found, key=lambda b: (b.day, b.person, b.kind, b.label))


def _visits(user: Any, person_ids: list[int], days: set[date], exclude: Visit | None) -> list[Booking]:
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


def _events(
    user: Any,
    person_ids: list[int],
    days: set[date],
    start: datetime,
    end: datetime,
    exclude_visit: Visit | None,
    exclude_event_id: int | None,
) -> list[Booking]:
    roles = (
        EventOfficial.objects.filter(person_id__in=person_ids, event__start__lt=end, event__end__gt=start)
        .exclude(event_id=exclude_event_id or 0)
        .select_related("event__territory", "person")
    )
    if exclude_visit is not None:
        roles = roles.exclude(event__visit=exclude_visit)
    roles_list = list(roles)
    visible = set(
        Event.objects.filter(visible_q(user), pk__in={r.event_id for r in roles_list}).values_list(
            "pk", flat=True
        )
    )
    found = []
    for role in roles_list:
        event = role.event
        shown = event.pk in visible
        if shown and event.restricted:
            audit_read(actor=user, obj=event, territory_path=event.territory.path)
        first = timezone.localtime(event.start).date()
        last = timezone.localtime(event.end).date()
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
        shown = policies.can(user, "view_reception", session.territory)
        day = timezone.localtime(session.start).date()
        if day not in days:
            continue
        found.append(
            Booking(
                person_id=session.specialist.person.pk,  # type: ignore[union-attr]
                person=session.specialist.person.full_name,  # type: ignore[union-attr]
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
