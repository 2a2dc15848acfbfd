"""Working-day arithmetic for the deadlines of the Administrative Procedural Code of Kazakhstan (2020).

An appeal is answered within 15 working days counted from the day after registration, redirected to the
competent body within 3 working days, and an extension may bring the total to at most 2 months.

Which days are working days comes from three layers, strongest first:
1. `extra_working_days` / `extra_days_off`: the transfers table (`KZ_TRANSFERS` plus whatever the
   administrator adds), because each year's transfer order is published after the `holidays` release
   that a deployment happens to have installed;
2. the `holidays` package for "KZ": state holidays, the Monday-after days off when a holiday falls on a
   weekend (Orthodox Christmas and Kurban ait are not moved, and the package knows it), the movable
   Kurban ait date, and the transfers it already knows about;
3. Monday to Friday.

Pure Python on purpose: no Django here, so the rules can be tested and reused without a database.
"""

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache
from typing import Literal

import holidays

ANSWER_DAYS = 15
REDIRECT_DAYS = 3
TELL_APPLICANT_DAYS = 3
EXTENSION_MONTHS = 2

TransferKind = Literal["working", "off"]

# Transfers of a day of rest (Labour Code art. 85 p. 3): the weekend day becomes a working day and the
# weekday becomes a day off, always in pairs. Only the ones verified against the published act and the
# press coverage of it; a newer `holidays` release may know them too, which is harmless (sets overlap).
KZ_TRANSFERS: tuple[tuple[date, TransferKind], ...] = (
    # 2023, Government decree No. 326 of April 2023: rest moved from Saturday 1 July to Friday 7 July
    # (Capital Day, Thursday 6 July, became a four-day break 6-9 July).
    (date(2023, 7, 1), "working"),
    (date(2023, 7, 7), "off"),
    # 2024, order of the Minister of Labour of 17 April 2024: rest moved from Saturday 4 May to
    # Wednesday 8 May (7, 8 and 9 May off in a row).
    (date(2024, 5, 4), "working"),
    (date(2024, 5, 8), "off"),
    # 2025, order of the Minister of Labour announced in November 2024: rest moved from Sunday 5 January
    # to Friday 3 January (1-4 January off; 5 and 6 January working; 7 January is Orthodox Christmas).
    (date(2025, 1, 5), "working"),
    (date(2025, 1, 3), "off"),
    # 2026: no transfer known when this was written (1-4 January 2026 is a holiday plus a weekend).
)


@cache
def _package_year(country: str, year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(days off, weekend days made working) of one year according to the package.

    Cached for the whole process: a year's holidays never change under a running release, and building
    them costs about a millisecond, which every dashboard and list paid several times per request.
    Built per year on first use, since a deadline only ever touches one or two years.
    """
    # observed=True adds the day off that replaces a holiday falling on a weekend.
    known = holidays.country_holidays(country, years=year, observed=True)
    # The package records the working half of the transfers it knows; without it a transfer it
    # knows would only remove a working day. It can hold dates of other years, hence the filter.
    workdays: set[date] = getattr(known, "weekend_workdays", set())
    return (
        frozenset(d for d in known if d.year == year),
        frozenset(d for d in workdays if d.year == year),
    )


def _add_months(d: date, months: int) -> date:
    # A term in months ends on the same-numbered day; when that month is shorter, on its last day
    # (31 December + 2 months = 28/29 February).
    month_index = d.month - 1 + months
    year, month = d.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


class WorkCalendar:
    """Kazakhstan working days: the `holidays` package for "KZ", overridden by a transfers table."""

    def __init__(
        self,
        extra_days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        country: str = "KZ",
    ) -> None:
        self.extra_days_off: frozenset[date] = frozenset(extra_days_off)
        self.extra_working_days: frozenset[date] = frozenset(extra_working_days)
        self.country = country

    def _package_year(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        return _package_year(self.country, year)

    def is_working_day(self, d: date) -> bool:
        # The table wins over the package: it is the newer and the locally checked source.
        if d in self.extra_working_days:
            return True
        if d in self.extra_days_off:
            return False
        days_off, weekend_workdays = self._package_year(d.year)
        if d in days_off:
            return False
        return d.weekday() < 5 or d in weekend_workdays

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start`; the day of `start` itself never counts."""
        if n < 0:
            raise ValueError("n must not be negative")
        d = start
        while n:
            d += timedelta(days=1)
            if self.is_working_day(d):
                n -= 1
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after `a` up to and including `b`; negative, counted the same way, if b < a.

        `working_days_between(today, due)` is the days left (0 on the due date, -k when overdue by k);
        on a weekend right after the due date it is still 0, so "overdue" is `today > due`, not the sign.
        """
        if b < a:
            return -self.working_days_between(b, a)
        return sum(self.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))

    def due_date(self, received: date, days: int = ANSWER_DAYS) -> date:
        """The last day to answer: `days` working days counted from the day after registration."""
        return self.add_working_days(received, days)

    def redirect_by(self, received: date) -> date:
        """The last day to send the appeal on to the competent body."""
        return self.add_working_days(received, REDIRECT_DAYS)

    def tell_applicant_by(self, decided: date) -> date:
        """The last day to tell the applicant about a decision (e.g. an extension) taken on `decided`."""
        return self.add_working_days(decided, TELL_APPLICANT_DAYS)

    @staticmethod
    def extension_limit(received: date) -> date:
        """The cap for extensions: the whole procedure may not exceed 2 calendar months."""
        return _add_months(received, EXTENSION_MONTHS)


@cache
def default_calendar() -> WorkCalendar:
    """The package plus `KZ_TRANSFERS`, without the administrator's table (that needs the database)."""
    return WorkCalendar(
        extra_days_off={d for d, kind in KZ_TRANSFERS if kind == "off"},
        extra_working_days={d for d, kind in KZ_TRANSFERS if kind == "working"},
    )
