"""iCalendar (RFC 5545) for a visit or a person's feed, built with the `icalendar` package."""

from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from .models import Event


def calendar_bytes(events: Iterable[Event], *, name: str, host: str = "kelisim") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Kelisim//Peace and Accord//KK")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    now = timezone.now()
    for event in events:
        item = VEvent()
        item.add("uid", f"event-{event.pk}@{host}")
        item.add("dtstamp", now)
        item.add("dtstart", event.start)
        item.add("dtend", event.end)
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
    return calendar.to_ical()
