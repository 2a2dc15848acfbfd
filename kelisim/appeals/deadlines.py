"""Deadlines in working days: the `holidays` package, the known decrees, and the administrator's
table of transfers, which wins over both (decrees come out after the package is released)."""

import time
from datetime import date

from django.utils import timezone

from .models import WorkdayOverride
from .workdays import ANSWER_DAYS, KZ_TRANSFERS, REDIRECT_DAYS, TELL_APPLICANT_DAYS, WorkCalendar

__all__ = [
    "ANSWER_DAYS",
    "AT_RISK_DAYS",
    "REDIRECT_DAYS",
    "TELL_APPLICANT_DAYS",
    "cached_work_calendar",
    "days_left",
    "due_date",
    "redirect_by",
    "tell_applicant_by",
    "work_calendar",
]
AT_RISK_DAYS = 3


def work_calendar() -> WorkCalendar:
    off = {d for d, kind in KZ_TRANSFERS if kind == "off"}
    working = {d for d, kind in KZ_TRANSFERS if kind == "working"}
    for override in WorkdayOverride.objects.all():
        (working if override.kind == WorkdayOverride.Kind.WORKING else off).add(override.date)
        (off if override.kind == WorkdayOverride.Kind.WORKING else working).discard(override.date)
    return WorkCalendar(extra_days_off=off, extra_working_days=working)


_READ_CACHE: dict[str, tuple[float, WorkCalendar]] = {}
READ_CACHE_SECONDS = 60


def cached_work_calendar() -> WorkCalendar:
    """`work_calendar()` for reads only (queues, dashboards, "at risk" windows), kept a minute per
    process: they run on every page while the transfers table changes a few times a year. Anything
    that stores a date (registration, extension) calls `work_calendar()`, which is always fresh."""
    now = time.monotonic()
    hit = _READ_CACHE.get("calendar")
    if hit is None or now - hit[0] > READ_CACHE_SECONDS:
        hit = _READ_CACHE["calendar"] = (now, work_calendar())
    return hit[1]


def forget_cached_calendar(**_kwargs: object) -> None:
    _READ_CACHE.clear()


def due_date(received: date, days: int = ANSWER_DAYS, calendar: WorkCalendar | None = None) -> date:
    return (calendar or work_calendar()).add_working_days(received, days)


def days_left(due: date, today: date | None = None, calendar: WorkCalendar | None = None) -> int:
    """Working days from today to the due date: 0 on the day, negative once overdue."""
    return (calendar or work_calendar()).working_days_between(today or timezone.localdate(), due)


def redirect_by(received: date, calendar: WorkCalendar | None = None) -> date:
    """The last day to send an appeal outside the akimat's competence on to the competent body:
    `REDIRECT_DAYS` working days from receipt."""
    return (calendar or work_calendar()).redirect_by(received)


def tell_applicant_by(decided: date, calendar: WorkCalendar | None = None) -> date:
    """The last day to tell the applicant of a redirection (or an extension) decided on `decided`:
    `TELL_APPLICANT_DAYS` working days."""
    return (calendar or work_calendar()).tell_applicant_by(decided)
