"""Working days of Kazakhstan, 2023-2026, and the appeal deadlines built on them.

Every expected date below was counted by hand on a calendar; the comments list the days skipped.
Weekday names: 2023-01-01 is a Sunday, 2024-01-01 a Monday, 2025-01-01 a Wednesday, 2026-01-01 a Thursday.
"""

from datetime import date

import pytest

from kelisim.appeals.workdays import KZ_TRANSFERS, WorkCalendar, default_calendar

D = date


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return default_calendar()


# (day, is a working day, why). Weekend holidays are checked through the weekday that replaces them.
CALENDAR = [
    # --- 2023 ---
    (D(2023, 1, 2), False, "New Year, day 2 (Mon)"),
    (D(2023, 1, 3), False, "Tue: replaces 1 January, a Sunday"),
    (D(2023, 1, 4), True, "Wed after New Year"),
    (D(2023, 1, 9), True, "Mon: Orthodox Christmas fell on Saturday 7 January and is not moved"),
    (D(2023, 3, 8), False, "8 March (Wed)"),
    (D(2023, 3, 21), False, "Nauryz (Tue)"),
    (D(2023, 3, 22), False, "Nauryz (Wed)"),
    (D(2023, 3, 23), False, "Nauryz (Thu)"),
    (D(2023, 3, 24), True, "Fri after Nauryz"),
    (D(2023, 5, 1), False, "Unity Day (Mon)"),
    (D(2023, 5, 8), False, "Mon: replaces Defender's Day, Sunday 7 May"),
    (D(2023, 5, 9), False, "Victory Day (Tue)"),
    (D(2023, 6, 28), False, "Kurban ait (Wed), as the package dates it"),
    (D(2023, 7, 1), True, "Sat made working: transfer to 7 July"),
    (D(2023, 7, 6), False, "Capital Day (Thu)"),
    (D(2023, 7, 7), False, "Fri made a day off: transfer from 1 July"),
    (D(2023, 7, 10), True, "Mon: an ordinary working day, no transfer onto it"),
    (D(2023, 8, 30), False, "Constitution Day (Wed)"),
    (D(2023, 10, 25), False, "Republic Day (Wed)"),
    (D(2023, 12, 18), False, "Mon: replaces Independence Day, Saturday 16 December"),
    (D(2023, 12, 19), True, "Tue: 17 December is no longer a holiday (since 2022)"),
    # --- 2024 ---
    (D(2024, 1, 1), False, "New Year (Mon)"),
    (D(2024, 1, 2), False, "New Year, day 2 (Tue)"),
    (D(2024, 1, 8), True, "Mon: Orthodox Christmas fell on Sunday 7 January and is not moved"),
    (D(2024, 3, 8), False, "8 March (Fri)"),
    (D(2024, 3, 21), False, "Nauryz (Thu)"),
    (D(2024, 3, 22), False, "Nauryz (Fri)"),
    (D(2024, 3, 25), False, "Mon: replaces Nauryz, Saturday 23 March"),
    (D(2024, 3, 26), True, "Tue after Nauryz"),
    (D(2024, 5, 1), False, "Unity Day (Wed)"),
    (D(2024, 5, 4), True, "Sat made working: transfer to 8 May"),
    (D(2024, 5, 7), False, "Defender's Day (Tue)"),
    (D(2024, 5, 8), False, "Wed made a day off: transfer from 4 May"),
    (D(2024, 5, 9), False, "Victory Day (Thu)"),
    (D(2024, 6, 17), True, "Mon: Kurban ait fell on Sunday 16 June and is not moved"),
    (D(2024, 7, 8), False, "Mon: replaces Capital Day, Saturday 6 July"),
    (D(2024, 7, 9), True, "Tue after the Capital Day break"),
    (D(2024, 8, 30), False, "Constitution Day (Fri)"),
    (D(2024, 10, 25), False, "Republic Day (Fri)"),
    (D(2024, 12, 16), False, "Independence Day (Mon)"),
    (D(2024, 12, 17), True, "Tue: 17 December is no longer a holiday"),
    # --- 2025 ---
    (D(2025, 1, 1), False, "New Year (Wed)"),
    (D(2025, 1, 2), False, "New Year, day 2 (Thu)"),
    (D(2025, 1, 3), False, "Fri made a day off: transfer from Sunday 5 January"),
    (D(2025, 1, 5), True, "Sun made working: transfer to 3 January"),
    (D(2025, 1, 6), True, "Mon: a working day (the transfer went to 3 January, not here)"),
    (D(2025, 1, 7), False, "Orthodox Christmas (Tue)"),
    (D(2025, 3, 10), False, "Mon: replaces 8 March, a Saturday"),
    (D(2025, 3, 21), False, "Nauryz (Fri)"),
    (D(2025, 3, 24), False, "Mon: replaces Nauryz, Saturday 22 March"),
    (D(2025, 3, 25), False, "Tue: replaces Nauryz, Sunday 23 March"),
    (D(2025, 3, 26), True, "Wed after Nauryz"),
    (D(2025, 5, 1), False, "Unity Day (Thu)"),
    (D(2025, 5, 7), False, "Defender's Day (Wed)"),
    (D(2025, 5, 8), True, "Thu between the May holidays, no transfer"),
    (D(2025, 5, 9), False, "Victory Day (Fri)"),
    (D(2025, 6, 6), False, "Kurban ait (Fri), as the package dates it"),
    (D(2025, 7, 7), False, "Mon: replaces Capital Day, Sunday 6 July"),
    (D(2025, 7, 8), True, "Tue after the Capital Day break"),
    (D(2025, 9, 1), False, "Mon: replaces Constitution Day, Saturday 30 August"),
    (D(2025, 10, 27), False, "Mon: replaces Republic Day, Saturday 25 October"),
    (D(2025, 12, 16), False, "Independence Day (Tue)"),
    # --- 2026 ---
    (D(2026, 1, 1), False, "New Year (Thu)"),
    (D(2026, 1, 2), False, "New Year, day 2 (Fri)"),
    (D(2026, 1, 5), True, "Mon: no transfer in January 2026"),
    (D(2026, 1, 7), False, "Orthodox Christmas (Wed)"),
    (D(2026, 3, 9), False, "Mon: replaces 8 March, a Sunday"),
    (D(2026, 3, 23), False, "Nauryz (Mon)"),
    (D(2026, 3, 24), False, "Tue: replaces Nauryz, Saturday 21 March"),
    (D(2026, 3, 25), False, "Wed: replaces Nauryz, Sunday 22 March"),
    (D(2026, 3, 26), True, "Thu after Nauryz"),
    (D(2026, 5, 1), False, "Unity Day (Fri)"),
    (D(2026, 5, 7), False, "Defender's Day (Thu)"),
    (D(2026, 5, 11), False, "Mon: replaces Victory Day, Saturday 9 May"),
    (D(2026, 5, 27), False, "Kurban ait (Wed), as the package dates it"),
    (D(2026, 7, 6), False, "Capital Day (Mon)"),
    (D(2026, 7, 7), True, "Tue: Capital Day fell on a weekday, nothing replaced"),
    # The 2026 Constitution moved Constitution Day to 15 March from 2027; 30 August 2026 (a Sunday) is
    # not a holiday, so Monday 31 August is not a replacement day off.
    (D(2026, 8, 31), True, "Mon: no Constitution Day in 2026"),
    (D(2026, 10, 26), False, "Mon: replaces Republic Day, Sunday 25 October"),
    (D(2026, 12, 16), False, "Independence Day (Wed)"),
]


@pytest.mark.parametrize(("day", "working", "why"), CALENDAR, ids=[str(row[0]) for row in CALENDAR])
def test_is_working_day(cal: WorkCalendar, day: date, working: bool, why: str) -> None:
    assert cal.is_working_day(day) is working, why


# Kurban ait is movable: these are the package's dates, checked against the announcements.
@pytest.mark.parametrize("day", [D(2023, 6, 28), D(2024, 6, 16), D(2025, 6, 6), D(2026, 5, 27)])
def test_kurban_ait_comes_from_the_package(day: date) -> None:
    import holidays

    assert "Eid al-Adha" in holidays.country_holidays("KZ", years=day.year, language="en_US").get(day, "")


def test_the_transfers_table_is_what_was_verified() -> None:
    # A change to KZ_TRANSFERS has to be deliberate: each pair is checked again below.
    assert set(KZ_TRANSFERS) == {
        (D(2023, 7, 1), "working"),
        (D(2023, 7, 7), "off"),
        (D(2024, 5, 4), "working"),
        (D(2024, 5, 8), "off"),
        (D(2025, 1, 5), "working"),
        (D(2025, 1, 3), "off"),
    }


@pytest.mark.parametrize(("day", "kind"), KZ_TRANSFERS, ids=[f"{d}-{k}" for d, k in KZ_TRANSFERS])
def test_each_transfer(cal: WorkCalendar, day: date, kind: str) -> None:
    # A transfer turns a weekend day into a working day and a weekday into a day off, nothing else.
    assert (day.weekday() >= 5) is (kind == "working")
    assert cal.is_working_day(day) is (kind == "working")
    # Cross-check with an independent source: the installed package, without the table, agrees.
    assert WorkCalendar().is_working_day(day) is (kind == "working")


def test_transfers_come_in_pairs_within_a_year() -> None:
    for year in (2023, 2024, 2025):
        kinds = sorted(kind for d, kind in KZ_TRANSFERS if d.year == year)
        assert kinds == ["off", "working"], year


def test_required_example_new_year_2025(cal: WorkCalendar) -> None:
    # Registered Fri 27.12.2024; counting from Sat 28.12: skip 28, 29 (weekend); 30 Mon=1, 31 Tue=2;
    # skip 1, 2 (New Year), 3 (transfer), 4 (Sat); 5 Sun=3 (transfer), 6 Mon=4; skip 7 (Christmas);
    # 8=5, 9=6, 10=7; skip 11, 12; 13=8 ... 17=12; skip 18, 19; 20=13, 21=14, 22=15.
    assert cal.due_date(D(2024, 12, 27)) == D(2025, 1, 22)
    assert cal.working_days_between(D(2024, 12, 27), D(2025, 1, 22)) == 15


def test_the_2025_transfer_moves_short_deadlines(cal: WorkCalendar) -> None:
    # The 15-day example ends on 22 January with or without the transfer (it adds one working day and
    # removes one), so shorter terms check it. From Thu 02.01: skip 3 (transfer), 4 (Sat); Sun 5 = 1.
    assert cal.add_working_days(D(2025, 1, 2), 1) == D(2025, 1, 5)
    # From Fri 03.01: skip 4; Sun 5 = 1, Mon 6 = 2 (6 January 2025 was a working day, not a day off).
    assert cal.add_working_days(D(2025, 1, 3), 2) == D(2025, 1, 6)


DUE_DATES = [
    # Across weekends only: Fri 06.09.2024; 9-13 = 1-5, 16-20 = 6-10, 23-27 = 11-15 (skip 7-8, 14-15, 21-22).
    (D(2024, 9, 6), 15, D(2024, 9, 27)),
    # Short term over a weekend: Thu 12.09.2024; Fri 13 = 1, skip 14, 15; Mon 16 = 2, Tue 17 = 3.
    (D(2024, 9, 12), 3, D(2024, 9, 17)),
    # Registered on a Saturday: Sat 14.09.2024; skip 15; 16-20 = 1-5, 23-27 = 6-10, 30, 1-4 Oct = 11-15.
    (D(2024, 9, 14), 15, D(2024, 10, 4)),
    # Across Republic Day: Fri 04.10.2024; 7-11 = 1-5, 14-18 = 6-10, 21-24 = 11-14; skip 25 (holiday),
    # 26, 27; Mon 28 = 15.
    (D(2024, 10, 4), 15, D(2024, 10, 28)),
    # Across Nauryz 2024: Fri 15.03.2024; 18-20 = 1-3; skip 21, 22 (Nauryz), 23, 24, 25 (replaces Sat 23);
    # 26-29 = 4-7; 1-5 Apr = 8-12; 8, 9, 10 Apr = 13-15.
    (D(2024, 3, 15), 15, D(2024, 4, 10)),
    # Across Nauryz 2025: Fri 14.03.2025; 17-20 = 1-4; skip 21 (Nauryz), 22, 23, 24, 25 (replacements);
    # 26-28 = 5-7; 31 = 8; 1-4 Apr = 9-12; 7, 8, 9 Apr = 13-15.
    (D(2025, 3, 14), 15, D(2025, 4, 9)),
    # Across New Year 2024: Fri 22.12.2023; 25-29 = 1-5; skip 30, 31, 1, 2 Jan; 3-5 = 6-8; skip 6, 7
    # (Christmas on Sunday, not moved); 8-12 = 9-13; skip 13, 14; 15 = 14, 16 = 15.
    (D(2023, 12, 22), 15, D(2024, 1, 16)),
    # Across New Year 2026: Fri 19.12.2025; 22-26 = 1-5; 29, 30, 31 = 6-8; skip 1, 2 (New Year), 3, 4;
    # 5, 6 = 9, 10; skip 7 (Christmas); 8, 9 = 11, 12; skip 10, 11; 12, 13, 14 = 13-15.
    (D(2025, 12, 19), 15, D(2026, 1, 14)),
    # Across the May 2024 transfer: Fri 03.05.2024; Sat 4 = 1 (working); skip 5; Mon 6 = 2; skip 7, 8, 9;
    # Fri 10 = 3.
    (D(2024, 5, 3), 3, D(2024, 5, 10)),
    (D(2024, 5, 3), 1, D(2024, 5, 4)),
    # Across the July 2023 transfer: Fri 30.06.2023; Sat 1 = 1; skip 2; 3, 4, 5 = 2-4; skip 6, 7, 8, 9;
    # Mon 10 = 5.
    (D(2023, 6, 30), 5, D(2023, 7, 10)),
]


@pytest.mark.parametrize(("received", "days", "due"), DUE_DATES, ids=[f"{r}+{n}" for r, n, _ in DUE_DATES])
def test_due_date(cal: WorkCalendar, received: date, days: int, due: date) -> None:
    assert cal.due_date(received, days) == due


def test_due_date_defaults_to_15_working_days(cal: WorkCalendar) -> None:
    assert cal.due_date(D(2024, 9, 6)) == D(2024, 9, 27)


BASE = D(2024, 9, 6)  # Fri; 15 working days end Fri 27.09.2024 (see DUE_DATES)

ADMIN_OVERRIDES = [
    # Wed 18.09 made a day off: one working day fewer in the window, the end moves to Mon 30.09
    # (skip 28, 29).
    ({D(2024, 9, 18)}, set(), D(2024, 9, 30)),
    # Sat 14.09 made working: one more working day, the end moves back to Thu 26.09.
    (set(), {D(2024, 9, 14)}, D(2024, 9, 26)),
    # Both: they cancel out.
    ({D(2024, 9, 18)}, {D(2024, 9, 14)}, D(2024, 9, 27)),
    # A day off after the due date changes nothing.
    ({D(2024, 10, 1)}, set(), D(2024, 9, 27)),
    # A day off on the due date itself pushes it to the next working day, Mon 30.09.
    ({D(2024, 9, 27)}, set(), D(2024, 9, 30)),
]


@pytest.mark.parametrize(("off", "working", "due"), ADMIN_OVERRIDES)
def test_admin_table_moves_the_due_date(off: set[date], working: set[date], due: date) -> None:
    assert WorkCalendar(extra_days_off=off, extra_working_days=working).due_date(BASE) == due


def test_admin_table_overrides_the_package() -> None:
    # A holiday in the package made working, and a weekday the package knows nothing about made a day off.
    table = WorkCalendar(extra_days_off={D(2026, 1, 5)}, extra_working_days={D(2026, 1, 7)})
    assert table.is_working_day(D(2026, 1, 7))
    assert not table.is_working_day(D(2026, 1, 5))
    # Received Fri 02.01.2026, 3 days: skip 3, 4 (weekend), 5 (table); 6 = 1, 7 = 2 (table), 8 = 3.
    assert table.add_working_days(D(2026, 1, 2), 3) == D(2026, 1, 8)
    # The package alone: 5 = 1, 6 = 2, skip 7 (Christmas), 8 = 3 -- the same end by another road, so
    # check a 2-day term too: package 6 Jan, table 7 Jan.
    assert WorkCalendar().add_working_days(D(2026, 1, 2), 2) == D(2026, 1, 6)
    assert table.add_working_days(D(2026, 1, 2), 2) == D(2026, 1, 7)


def test_working_day_in_the_table_wins_over_a_day_off_in_it() -> None:
    both = D(2024, 9, 18)
    assert WorkCalendar(extra_days_off={both}, extra_working_days={both}).is_working_day(both)


BETWEEN = [
    # Same day: nothing left, nothing overdue.
    (D(2025, 1, 22), D(2025, 1, 22), 0),
    # Days left: Mon 20.01 -> Wed 22.01: 21, 22.
    (D(2025, 1, 20), D(2025, 1, 22), 2),
    # Overdue: due Wed 22.01, today Mon 27.01: 23, 24, 27 (skip 25, 26) -> overdue by 3.
    (D(2025, 1, 27), D(2025, 1, 22), -3),
    # Due Fri 27.09.2024, today Sat 28.09: no working day after the due date yet.
    (D(2024, 9, 28), D(2024, 9, 27), 0),
    # Due Thu 20.03.2025, today Wed 26.03: 21-25 are Nauryz, weekend and replacements; only 26 -> -1.
    (D(2025, 3, 26), D(2025, 3, 20), -1),
    # Over New Year: Fri 27.12.2024 -> Wed 22.01.2025 is the 15 of the required example.
    (D(2024, 12, 27), D(2025, 1, 22), 15),
    (D(2025, 1, 22), D(2024, 12, 27), -15),
]


@pytest.mark.parametrize(("a", "b", "expected"), BETWEEN, ids=[f"{a}..{b}" for a, b, _ in BETWEEN])
def test_working_days_between(cal: WorkCalendar, a: date, b: date, expected: int) -> None:
    assert cal.working_days_between(a, b) == expected


@pytest.mark.parametrize("n", [1, 3, 15])
def test_between_undoes_add(cal: WorkCalendar, n: int) -> None:
    # Every start day of 2023-2026: the end is a working day and exactly n working days away.
    day = D(2023, 1, 1)
    while day.year < 2027:
        end = cal.add_working_days(day, n)
        assert cal.is_working_day(end), (day, end)
        assert cal.working_days_between(day, end) == n, (day, end)
        day = day.fromordinal(day.toordinal() + 1)


def test_add_zero_and_negative(cal: WorkCalendar) -> None:
    assert cal.add_working_days(D(2025, 1, 4), 0) == D(2025, 1, 4)
    with pytest.raises(ValueError, match="negative"):
        cal.add_working_days(D(2025, 1, 4), -1)


def test_redirect_and_tell_applicant(cal: WorkCalendar) -> None:
    # Redirect, 3 days from Fri 03.05.2024: Sat 4 = 1 (transfer), skip 5, Mon 6 = 2, skip 7-9, Fri 10 = 3.
    assert cal.redirect_by(D(2024, 5, 3)) == D(2024, 5, 10)
    # Tell the applicant, 3 days from Thu 20.03.2025: skip 21-25 (Nauryz), 26 = 1, 27 = 2, 28 = 3.
    assert cal.tell_applicant_by(D(2025, 3, 20)) == D(2025, 3, 28)


@pytest.mark.parametrize(
    ("received", "limit"),
    [
        (D(2025, 1, 15), D(2025, 3, 15)),
        (D(2024, 12, 27), D(2025, 2, 27)),
        (D(2024, 12, 31), D(2025, 2, 28)),  # no 31 February: the last day of the month
        (D(2023, 12, 31), D(2024, 2, 29)),  # leap year
        (D(2025, 11, 30), D(2026, 1, 30)),  # across the year end
    ],
)
def test_extension_limit(received: date, limit: date) -> None:
    assert WorkCalendar.extension_limit(received) == limit
    assert default_calendar().extension_limit(received) == limit
