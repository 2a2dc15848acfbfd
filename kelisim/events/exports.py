"""Events as CSV and XLSX, with the same filters and scope as the page that asked."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.core.tabular import csv_bytes, xlsx_table

from .models import Event
from .selectors import audiences_shown


def _header() -> list[str]:
    return [
        _("Number"),
        _("Title"),
        _("Format"),
        _("Start"),
        _("End"),
        _("KATO code"),
        _("Territory"),
        _("Place"),
        _("Total participants"),
        _("Topics"),
        _("Audiences"),
        _("Restricted"),
    ]


def _moment(value: datetime, native: bool) -> object:
    """A spreadsheet gets a date-time cell it can sort and that shows as the reader's dates; a CSV,
    read by programs, gets ISO text."""
    local = timezone.localtime(value)
    return local.replace(tzinfo=None) if native else local.strftime("%Y-%m-%d %H:%M")


def _rows(events: Iterable[Event], user: Any, native: bool = False) -> Iterable[list[object]]:
    for event in events:
        yield [
            event.pk,
            event.title,
            event.format.name,
            _moment(event.start, native),
            _moment(event.end, native),
            event.territory.code,
            event.territory.name,
            event.place,
            event.total_participants if event.total_participants is not None else "",
            "; ".join(t.name for t in event.topics.all()),
            "; ".join(
                f"{a.category.name}: {a.count if a.count is not None else '—'}"
                for a in audiences_shown(user=user, event=event)
            ),
            _("yes") if event.restricted else _("no"),
        ]


def events_csv(events: Iterable[Event], user: Any) -> tuple[bytes, int]:
    """The CSV file and its number of rows (for the audit log)."""
    return csv_bytes(_header(), _rows(events, user))


def events_xlsx(events: Iterable[Event], user: Any) -> tuple[bytes, int]:
    return xlsx_table(_("Events"), _header(), _rows(events, user, native=True))
