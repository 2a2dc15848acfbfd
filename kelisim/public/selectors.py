"""The public side's reads: a public visit's programme, assembled from the owning apps' selectors.

Only what an open event publicly shows leaves here: title, format, time, place and the organizing
department; for a reception, its department, place and hours. Restricted events and events with a
sensitive audience never come in (kelisim.events.selectors.public_events); no person is named.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, urlencode

from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.appeals.selectors import public_receptions
from kelisim.events import ical
from kelisim.events.selectors import public_events
from kelisim.territories import zones


def map_links(*parts: str) -> dict[str, str]:
    """An OpenStreetMap search and a `geo:` link (phones open their map app) for a place by name."""
    query = ", ".join(p for p in dict.fromkeys(p.strip() for p in parts) if p)
    return {
        "osm": "https://www.openstreetmap.org/search?" + urlencode({"query": query}),
        "geo": "geo:0,0?q=" + quote(query),
    }


@dataclass
class Entry:
    kind: str  # "event" or "reception"
    pk: int
    title: str
    category: str
    start: datetime
    end: datetime
    place: str
    territory: str
    territory_code: str
    departments: list[str] = field(default_factory=list)
    maps: dict[str, str] = field(default_factory=dict)
    open_for_signup: bool = False


def _local(moment: datetime, code: str) -> datetime:
    return moment.astimezone(zones.zone_for_code(code))


def programme(*, visit: Any) -> list[Entry]:
    """The visit's open events and reception hours, in time order."""
    entries: list[Entry] = []
    district = visit.territory.name
    for event in public_events(visit=visit):
        code = event.territory.code
        entries.append(
            Entry(
                kind="event",
                pk=event.pk,
                title=event.title,
                category=event.format.name,
                start=_local(event.start, code),
                end=_local(event.end, code),
                place=event.place,
                territory=event.territory.name,
                territory_code=code,
                departments=sorted({o.department.name for o in event.public_organizers}),  # type: ignore[attr-defined]
                maps=map_links(event.place, event.territory.name, district),
            )
        )
    now = timezone.now()
    for session in public_receptions(visit=visit):
        code = session.territory.code
        entries.append(
            Entry(
                kind="reception",
                pk=session.pk,
                title=_("Reception of citizens"),
                category=_("Reception of citizens"),
                start=_local(session.start, code),
                end=_local(session.end, code),
                place=session.place,
                territory=session.territory.name,
                territory_code=code,
                departments=[session.department.name],
                maps=map_links(session.place, session.territory.name, district),
                open_for_signup=session.end >= now,
            )
        )
    entries.sort(key=lambda e: (e.start, e.kind, e.pk))
    return entries


def by_day(entries: list[Entry]) -> list[tuple[date, list[Entry]]]:
    days: dict[date, list[Entry]] = {}
    for entry in entries:
        days.setdefault(entry.start.date(), []).append(entry)
    return list(days.items())


def calendar_items(entries: list[Entry]) -> list[ical.Item]:
    """The programme's receptions as calendar items (its events go in as events)."""
    return [
        ical.Item(
            uid=ical.item_uid("reception", e.pk),
            start=e.start,
            end=e.end,
            summary=_("Reception of citizens: %(department)s") % {"department": ", ".join(e.departments)},
            location=f"{e.place}, {e.territory}" if e.place else e.territory,
            territory_code=e.territory_code,
            category=str(_("Reception of citizens")),
        )
        for e in entries
        if e.kind == "reception"
    ]


def reception_for_signup(*, visit: Any, pk: Any) -> Any:
    """A reception of this public visit that still takes sign-ups, or None."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    session = public_receptions(visit=visit).filter(pk=pk).first()
    if session is None or session.end < timezone.now():
        return None
    return session
