"""iCalendar (RFC 5545) for a visit or a person's feed, built with the `icalendar` package; other
items (a public visit's reception hours) go into the same calendar as `Item`s.

UIDs come from the configured site domain, so every address the server answers to yields the
same identifiers. Times carry the zone of the event's region (TZID with its VTIMEZONE), which
keeps the offset in force on the event's date: 2023 events in the western regions are UTC+5,
elsewhere UTC+6; since March 2024 everywhere UTC+5.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Timezone
from icalendar import Event as VEvent

from kelisim.territories import zones

from .models import Event


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{settings.KELISIM_SITE_DOMAIN}"


@dataclass(frozen=True)
class Item:
    """Something other than an event for the same calendar (a visit's reception hours)."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str
    territory_code: str
    category: str = ""


def item_uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{settings.KELISIM_SITE_DOMAIN}"


def calendar_bytes(events: Iterable[Event], *, name: str, items: Iterable[Item] = ()) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Kelisim//Peace and Accord//KK")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    now = timezone.now()
    used_zones: set[str] = set()
    for event in events:
        zone = zones.zone_for_code(event.territory.code)
        used_zones.add(zone.key)
        item = VEvent()
        item.add("uid", event_uid(event))
        item.add("dtstamp", now)
        item.add("dtstart", event.start.astimezone(zone))
        item.add("dtend", event.end.astimezone(zone))
        item.add("summary", event.title)
        if event.place:
            item.add("location", f"{event.place}, {event.territory.name}")
        else:
            item.add("location", event.territory.name)
        item.add("categories", [event.format.name])
        if event.restricted:
            item.add("class", "CONFIDENTIAL")
        item.add("sequence", event.version)
        calendar.add_component(item)
    for extra in items:
        zone = zones.zone_for_code(extra.territory_code)
        used_zones.add(zone.key)
        item = VEvent()
        item.add("uid", extra.uid)
        item.add("dtstamp", now)
        item.add("dtstart", extra.start.astimezone(zone))
        item.add("dtend", extra.end.astimezone(zone))
        item.add("summary", extra.summary)
        item.add("location", extra.location)
        if extra.category:
            item.add("categories", [extra.category])
        calendar.add_component(item)
    for key in sorted(used_zones):
        calendar.add_component(Timezone.from_tzid(key))
    return calendar.to_ical()
