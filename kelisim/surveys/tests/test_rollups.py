"""Survey rollups (rollups.py, ADR 0013, 0015): kept by every write of a response, by month and by
year, rebuilt and checked from the responses, and read by the analytics with exactly the answers of
the responses themselves, for every grouping, scope and date filter."""

import importlib
import itertools
import random
import threading
from datetime import date
from io import StringIO
from types import SimpleNamespace
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kelisim.accounts.models import Role, User
from kelisim.accounts.services import membership_grant
from kelisim.surveys import disclosure, rollups, selectors, services
from kelisim.surveys.models import (
    Instrument,
    InstrumentVersion,
    Response,
    ResponseFile,
    ResponseRollup,
    ResponseYearRollup,
)
from kelisim.surveys.scoring import TOLERANCE_DIRECT, TOLERANCE_ITEMS
from kelisim.territories.models import Territory

ZHAMBYL, KORDAY, SHU, MERKE = "310000000", "314800000", "316600000", "315400000"
KORDAY_VILLAGE, SHU_OKRUG = "314830100", "316630000"
PLACES = [ZHAMBYL, KORDAY, KORDAY, KORDAY_VILLAGE, MERKE, MERKE, SHU, SHU_OKRUG]
CHOICES = {
    "age_band": ["14_17", "18_24", "25_34", "35_54", "55_plus"],
    "gender": ["female", "male"],
    "ethnicity": ["kazakh", "russian", "dungan", "uzbek"],
    "language": ["kk", "ru", "other"],
    "occupation": ["student", "employed", "retired"],
}
GROUPINGS = list(selectors.GROUPS)


def _answers(rng: random.Random) -> dict[str, str]:
    answers = {q: rng.choice(c) for q, c in CHOICES.items()}
    if rng.random() < 0.2:
        del answers["ethnicity"]  # optional: "not answered" is a group too
    level = rng.randint(1, 6)
    for number, item in enumerate(TOLERANCE_ITEMS, start=1):
        answers[item] = str(level if number in TOLERANCE_DIRECT else 7 - level)
    return answers


def _version() -> InstrumentVersion:
    services.instruments_install_ready()
    version = Instrument.objects.get(code="tolerance_index").current
    assert version is not None
    return version


def _submit(version: InstrumentVersion, rng: random.Random, number: int, **where: object) -> Response:
    response, created = services.response_submit(
        actor=None,
        version=version,
        raw=_answers(rng),
        territory=where.get("territory") or Territory.objects.get(code=rng.choice(PLACES)),
        source="synthetic",
        instance_id=f"r:{number}",
        collected_on=where.get("on")
        or date(rng.choice([2022, 2023, 2024]), rng.randint(1, 12), rng.randint(1, 28)),
    )
    assert created
    return response


def _seed(count: int, seed: int = 17) -> Instrument:
    version, rng = _version(), random.Random(seed)
    for number in range(count):
        _submit(version, rng, number)
    return version.instrument


def _table() -> dict[tuple[object, ...], tuple[int, int, int]]:
    """Every rollup row of both grains: a monthly row keyed by its month, a yearly one by its year."""
    return {
        (r.version_id, r.dimension, r.district_code, r.month, r.value, r.band): (r.n, r.s, r.ss)
        for r in ResponseRollup.objects.all()
    } | {
        (r.version_id, r.dimension, r.district_code, r.year, r.value, r.band): (r.n, r.s, r.ss)
        for r in ResponseYearRollup.objects.all()
    }


def _years_of_months() -> dict[tuple[object, ...], tuple[int, int, int]]:
    """The monthly rows added up by year: what the yearly rows must be."""
    sums: dict[tuple[object, ...], list[int]] = {}
    for r in ResponseRollup.objects.all():
        total = sums.setdefault(
            (r.version_id, r.dimension, r.district_code, r.year, r.value, r.band), [0, 0, 0]
        )
        total[0], total[1], total[2] = total[0] + r.n, total[1] + r.s, total[2] + r.ss
    return {k: (n, s, ss) for k, (n, s, ss) in sums.items() if n or s or ss}


def _years() -> dict[tuple[object, ...], tuple[int, int, int]]:
    return {
        (r.version_id, r.dimension, r.district_code, r.year, r.value, r.band): (r.n, r.s, r.ss)
        for r in ResponseYearRollup.objects.all()
    }


def _user(make_user, *codes: str | None) -> User:  # type: ignore[no-untyped-def]
    user = make_user("analyst", codes[0])
    for code in codes[1:]:
        where = Territory.objects.get(code=code) if code else None
        membership_grant(actor=None, user=user, role=Role.objects.get(code="analyst"), territory=where)
    return User.objects.get(pk=user.pk)


SCOPES = [
    (None,),  # the whole country
    (ZHAMBYL,),  # a region
    (KORDAY,),  # a district
    (SHU_OKRUG,),  # below a district: answered from the responses
    (KORDAY, SHU_OKRUG),  # both kinds at once
    (ZHAMBYL, KORDAY_VILLAGE),  # a grant inside another adds nothing
]


def test_rollups_answer_every_grouping_as_the_responses_do_for_every_scope(make_user, territory):
    instrument = _seed(240)
    assert rollups.differences() == []
    for codes in SCOPES:
        user = _user(make_user, *codes)
        for grouping in GROUPINGS:
            column = grouping if grouping in selectors.DEMOGRAPHIC_GROUPS else None
            kept = selectors._cube(user=user, instrument=instrument, column=column)
            raw = selectors._cube(user=user, instrument=instrument, column=column, raw=True)
            assert kept.cells == raw.cells, (codes, grouping)
            assert kept.hidden == raw.hidden, (codes, grouping)
            assert kept.cells, (codes, grouping)  # every scope above holds responses
            for place in (None, ZHAMBYL, KORDAY, SHU_OKRUG):
                for year in (None, 2023):
                    assert selectors.index_table(
                        user=user, instrument=instrument, group_by=grouping, territory=place, year=year
                    ) == _raw_table(user, instrument, grouping, place, year), (codes, grouping, place, year)


def _raw_table(user, instrument, grouping, place, year):  # type: ignore[no-untyped-def]
    """index_table with its cubes read from the responses."""
    original = selectors._cube
    with mock.patch.object(selectors, "_cube", lambda **kw: original(**kw, raw=True)):
        return selectors.index_table(
            user=user, instrument=instrument, group_by=grouping, territory=place, year=year
        )


def _ordered(rows):  # type: ignore[no-untyped-def]
    return sorted(rows, key=lambda r: (r.district, r.year, r.category or ""))


RANGES = [
    (date(2023, 1, 1), date(2023, 12, 31)),  # whole months only
    (date(2023, 3, 15), date(2023, 9, 10)),  # partial months at both edges
    (date(2023, 3, 1), date(2023, 3, 20)),  # within one month
    (date(2023, 3, 10), date(2023, 4, 5)),  # two partial months, none whole
    (date(2022, 12, 31), None),  # open at the end
    (None, date(2023, 6, 1)),  # open at the start
    (date(2024, 2, 1), date(2024, 2, 29)),  # a leap February, whole
    (date(2023, 1, 1), date(2024, 12, 31)),  # whole years only
    (date(2022, 3, 1), date(2024, 5, 31)),  # whole months around a whole year
    (date(2022, 3, 15), date(2024, 5, 10)),  # and partial months at the edges
    (date(2022, 1, 1), date(2023, 6, 30)),  # a whole year, then whole months
    (date(2022, 7, 1), date(2023, 12, 31)),  # whole months, then a whole year
    (date(2023, 2, 1), date(2024, 1, 31)),  # twelve whole months, no whole year
]


def test_date_filters_read_whole_months_from_rollups_and_edges_from_responses(make_user, territory):
    instrument = _seed(160, seed=5)
    bands = selectors._bands(instrument)
    for codes in ((None,), (KORDAY, SHU_OKRUG)):
        user = _user(make_user, *codes)
        for date_from, date_to in RANGES:
            for column in (None, "age_band", "ethnicity"):
                chosen = selectors.responses(
                    user=user, instrument=instrument, date_from=date_from, date_to=date_to
                )
                raw = _ordered(rollups.raw_rows(chosen, column, bands))
                kept = rollups.cube_rows(
                    user=user,
                    instrument=instrument,
                    column=column,
                    bands=bands,
                    date_from=date_from,
                    date_to=date_to,
                )
                assert _ordered(kept) == raw, (codes, date_from, date_to, column)
                assert raw or codes != (None,), (date_from, date_to)


def test_whole_months_are_not_read_from_responses(make_user, territory):
    """The rollups answer alone: with the responses' figures gone, the same answer."""
    instrument = _seed(40)
    user = _user(make_user, ZHAMBYL)
    bands = selectors._bands(instrument)
    before = rollups.cube_rows(user=user, instrument=instrument, column="gender", bands=bands)
    assert before
    Response.objects.update(total=None)  # past the signals: the rollups keep the old figures
    assert rollups.cube_rows(user=user, instrument=instrument, column="gender", bands=bands) == before
    assert rollups.differences()


def test_submission_adds_one_response_to_six_rows_in_its_transaction(territory):
    version = _version()
    response = _submit(version, random.Random(1), 1, territory=territory(KORDAY_VILLAGE), on=date(2024, 5, 9))
    rows = ResponseRollup.objects.filter(version=version)
    assert rows.count() == 6  # every response, and once under each demographic question
    assert {(r.dimension, r.value) for r in rows} == {("", "")} | {
        (f, getattr(response, f)) for f in rollups.DEMOGRAPHIC
    }
    assert {(r.district_code, r.month, r.year, r.band, r.n, r.s, r.ss) for r in rows} == {
        (KORDAY, date(2024, 5, 1), 2024, response.band, 1, response.total, response.total**2)
    }
    years = ResponseYearRollup.objects.filter(version=version)  # and the same six by year
    assert {(r.dimension, r.value) for r in years} == {(r.dimension, r.value) for r in rows}
    assert {(r.district_code, r.year, r.band, r.n, r.s, r.ss) for r in years} == {
        (KORDAY, 2024, response.band, 1, response.total, response.total**2)
    }


def test_a_failing_submission_leaves_the_rollups_as_they_were(territory):
    version = _version()
    _submit(version, random.Random(2), 1)
    before = _table()
    with (
        mock.patch.object(ResponseFile.objects, "bulk_create", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        _submit(version, random.Random(3), 2)
    assert _table() == before and Response.objects.count() == 1


def test_the_same_key_twice_is_one_row_counting_two(territory):
    version = _version()
    first = _submit(version, random.Random(4), 1, territory=territory(KORDAY), on=date(2023, 4, 2))
    again = Response.objects.get(pk=first.pk)
    again.pk, again.instance_id = None, "r:copy"
    again.save()
    rollups.add(again)
    rows = ResponseRollup.objects.filter(version=version)
    assert rows.count() == 6 and {r.n for r in rows} == {2} and {r.s for r in rows} == {2 * first.total}
    assert rollups.differences() == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_to_one_row_all_count(zhambyl):
    """Writers that meet on one new row: the database's ON CONFLICT serializes them, none is lost
    and none fails on the unique key (PostgreSQL; SQLite has one writer at a time anyway)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database has one writer at a time")
    version = _version()
    values = {
        "version_id": version.pk,
        "district_code": KORDAY,
        "collected_on": date(2024, 3, 3),
        "total": 70,
        "band": "medium",
        **{f: "x" for f in rollups.DEMOGRAPHIC},
    }
    writers, barrier, errors = 8, threading.Barrier(8), []

    def write() -> None:
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                rollups.apply(None, values)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = ResponseRollup.objects.filter(version=version)
    assert rows.count() == 6 and {(r.n, r.s, r.ss) for r in rows} == {(8, 560, 8 * 4900)}


def test_rebuild_gives_what_the_submissions_kept(territory):
    _seed(120, seed=9)
    kept = _table()
    assert len(kept) > 100
    assert rollups.rebuild() == len(kept)
    assert _table() == kept


def test_check_finds_a_tampered_row_and_rebuild_mends_it(territory):
    _seed(30)
    out = StringIO()
    call_command("check_survey_rollups", stdout=out)
    assert "equal" in out.getvalue()
    row = ResponseRollup.objects.filter(dimension="gender").first()
    assert row is not None
    ResponseRollup.objects.filter(pk=row.pk).update(n=row.n + 1)
    ResponseRollup.objects.create(
        version=row.version, district_code="999999999", month=date(2020, 1, 1), year=2020, n=1, s=5, ss=25
    )
    err = StringIO()
    for command in (["check_survey_rollups"], ["rebuild_survey_rollups", "--check"]):
        with pytest.raises(CommandError, match="rebuild_survey_rollups"):
            call_command(*command, stdout=StringIO(), stderr=err)
    assert f"/gender/{row.district_code}/{row.month}/{row.value}/{row.band}:" in err.getvalue()
    assert "999999999" in err.getvalue()
    assert ResponseRollup.objects.get(pk=row.pk).n == row.n + 1  # --check changes nothing
    call_command("rebuild_survey_rollups", stdout=StringIO())
    call_command("check_survey_rollups", stdout=StringIO())


def test_a_rebuild_that_fails_keeps_the_old_rollups(territory):
    _seed(20)
    before = _table()
    with (
        mock.patch.object(rollups, "DIMENSIONS", ("", "age_band", "no_such_column")),
        pytest.raises(Exception),  # noqa: B017 - whatever the engine raises
    ):
        rollups.rebuild()
    assert _table() == before


def test_deleting_and_editing_responses_moves_their_rows(territory):
    _seed(60, seed=11)
    responses = list(Response.objects.order_by("pk"))
    responses[0].delete()
    Response.objects.filter(pk__in=[r.pk for r in responses[1:5]]).delete()
    assert rollups.differences() == []
    edited = responses[10]
    edited.age_band, edited.total, edited.collected_on = "14_17", (edited.total or 0) + 3, date(2021, 1, 5)
    edited.save()
    assert rollups.differences() == []
    edited.district_code = SHU
    edited.gender = "changed, not saved"
    edited.save(update_fields=["district_code"])  # what is stored counts, not the instance
    assert rollups.differences() == []
    for response in Response.objects.all():
        response.delete()
    assert rollups.differences() == [] and not ResponseRollup.objects.exists()
    assert not ResponseYearRollup.objects.exists()


def test_migration_adds_up_existing_responses(territory):
    _seed(25)
    ResponseRollup.objects.all().delete()
    assert rollups.differences()
    migration = importlib.import_module("kelisim.surveys.migrations.0008_response_rollups")
    migration.build_rollups(apps, SimpleNamespace(connection=connection))
    assert rollups.differences() == []


# The yearly grain (ADR 0015) -------------------------------------------------------------------


def test_yearly_rows_are_the_monthly_rows_added_up_after_every_kind_of_write(territory):
    _seed(80, seed=21)
    assert len(_years()) > 50 and _years() == _years_of_months()
    responses = list(Response.objects.order_by("pk"))
    responses[0].delete()
    Response.objects.filter(pk__in=[r.pk for r in responses[1:4]]).delete()
    assert _years() == _years_of_months()
    edited = responses[10]  # to another year, another total and another age band
    edited.collected_on, edited.total, edited.age_band = date(2021, 6, 5), (edited.total or 0) + 2, "14_17"
    edited.save()
    moved = responses[11]  # to another month of the same year: its yearly rows stay
    moved.collected_on = moved.collected_on.replace(month=2 if moved.collected_on.month == 1 else 1)
    moved.save()
    assert _years() == _years_of_months() and rollups.differences() == []
    assert 2021 in {year for _v, _d, _c, year, _x, _b in _years()}
    kept = _table()
    assert rollups.rebuild() == len(kept)  # the yearly rows summed from the monthly ones just made
    assert _table() == kept
    ResponseYearRollup.objects.all().delete()
    rollups.rebuild(grains=(rollups.YEAR,))  # from the responses alone, as migration 0009 does
    assert _table() == kept and rollups.differences() == []


def test_check_finds_a_tampered_or_missing_yearly_row(territory):
    _seed(30)
    assert rollups.differences() == []
    row = ResponseYearRollup.objects.filter(dimension="age_band").first()
    assert row is not None
    ResponseYearRollup.objects.filter(pk=row.pk).update(s=row.s + 1)
    key = f"{row.version_id}/age_band/{row.district_code}/{row.year}/{row.value}/{row.band}"
    assert rollups.differences() == [
        f"{key}: responses {(row.n, row.s, row.ss)}, rollup {(row.n, row.s + 1, row.ss)}"
    ]
    with pytest.raises(CommandError, match="rebuild_survey_rollups"):
        call_command("check_survey_rollups", stdout=StringIO(), stderr=StringIO())
    ResponseYearRollup.objects.filter(pk=row.pk).delete()  # the monthly rows still say it all
    assert rollups.differences() == [f"{key}: responses {(row.n, row.s, row.ss)}, rollup -"]
    call_command("rebuild_survey_rollups", stdout=StringIO())
    assert rollups.differences() == []


def _tables_read(queries: CaptureQueriesContext) -> set[str]:
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    tables = {ResponseYearRollup, ResponseRollup, Response}
    return {m._meta.db_table for m in tables if connection.ops.quote_name(m._meta.db_table) in sql}


WHOLE_YEARS = [
    (None, None),  # what every table the pages show reads
    (date(2023, 1, 1), date(2023, 12, 31)),
    (date(2022, 1, 1), date(2024, 12, 31)),
    (None, date(2022, 12, 31)),
    (date(2024, 1, 1), None),
]


def test_whole_years_are_read_from_the_yearly_rows_alone(make_user, territory):
    instrument = _seed(120, seed=13)
    bands = selectors._bands(instrument)
    for codes in ((None,), (ZHAMBYL,), (KORDAY,)):
        user = _user(make_user, *codes)
        for date_from, date_to in WHOLE_YEARS:
            for column in (None, "age_band"):
                chosen = selectors.responses(
                    user=user, instrument=instrument, date_from=date_from, date_to=date_to
                )
                raw = _ordered(rollups.raw_rows(chosen, column, bands))
                with CaptureQueriesContext(connection) as queries:
                    kept = rollups.cube_rows(
                        user=user,
                        instrument=instrument,
                        column=column,
                        bands=bands,
                        date_from=date_from,
                        date_to=date_to,
                    )
                assert _ordered(kept) == raw and raw, (codes, date_from, date_to, column)
                assert _tables_read(queries) == {ResponseYearRollup._meta.db_table}, (
                    codes,
                    date_from,
                    date_to,
                )
    # The monthly rows gone (past any signal): the same answer, from the yearly rows.
    user = _user(make_user, ZHAMBYL)
    before = rollups.cube_rows(user=user, instrument=instrument, column="gender", bands=bands)
    ResponseRollup.objects.all().delete()
    assert rollups.cube_rows(user=user, instrument=instrument, column="gender", bands=bands) == before


def test_partial_years_read_months_around_whole_years_and_responses_at_the_edges(make_user, territory):
    instrument = _seed(120, seed=14)
    bands = selectors._bands(instrument)
    user = _user(make_user, None)
    expected = {
        (date(2022, 3, 1), date(2024, 5, 31)): {ResponseYearRollup, ResponseRollup},
        (date(2022, 3, 15), date(2024, 5, 10)): {ResponseYearRollup, ResponseRollup, Response},
        (date(2023, 2, 1), date(2024, 1, 31)): {ResponseRollup},
        (date(2023, 2, 2), date(2023, 3, 30)): {Response},  # no month whole
    }
    for (date_from, date_to), models in expected.items():
        chosen = selectors.responses(user=user, instrument=instrument, date_from=date_from, date_to=date_to)
        raw = _ordered(rollups.raw_rows(chosen, "age_band", bands))
        with CaptureQueriesContext(connection) as queries:
            kept = rollups.cube_rows(
                user=user,
                instrument=instrument,
                column="age_band",
                bands=bands,
                date_from=date_from,
                date_to=date_to,
            )
        assert _ordered(kept) == raw and raw, (date_from, date_to)
        assert _tables_read(queries) == {m._meta.db_table for m in models}, (date_from, date_to)


def _summed_by_hand(user, instrument, column):  # type: ignore[no-untyped-def]
    """Every cell of the cube added up response by response: no rollup, no GROUP BY, no packing."""
    bands = selectors._bands(instrument)
    people = [
        (
            r.district_code,
            r.collected_on.year,
            str(getattr(r, column) or "") if column else None,
            r.total,
            r.band,
        )
        for r in selectors.responses(user=user, instrument=instrument).filter(total__isnull=False)
    ]
    territories = {""} | {d for d, *_ in people} | {d[:2] for d, *_ in people}
    years = {None} | {y for _, y, *_ in people}
    groups = {None} | ({c for _, _, c, *_ in people} if column else set())
    cells = {}
    for key in itertools.product(territories, years, groups):
        inside = [
            p for p in people if p[0].startswith(key[0]) and key[1] in (None, p[1]) and key[2] in (None, p[2])
        ]
        if inside:
            cells[key] = (
                len(inside),
                float(sum(p[3] for p in inside)),
                float(sum(p[3] * p[3] for p in inside)),
                {b: sum(p[4] == b for p in inside) for b in bands},
            )
    return cells


def test_the_cube_adds_up_what_the_responses_hold_cell_by_cell(make_user, territory, monkeypatch):
    """The cube sums its cells packed in integers (disclosure._Packed): every cell is the sum of its
    responses, to the bit, and hides what the cube summed Stat by Stat hides."""
    instrument = _seed(240)
    for codes in SCOPES:
        user = _user(make_user, *codes)
        for column in (None, "age_band", "ethnicity"):
            cube = selectors._cube(user=user, instrument=instrument, column=column)
            assert isinstance(cube.cells, disclosure._Packed), (codes, column)
            found = {k: (v.n, v.s, v.ss, v.bands) for k, v in cube.cells.items()}
            assert found == _summed_by_hand(user, instrument, column), (codes, column)
            assert all(type(v.s) is float and type(v.ss) is float for v in cube.cells.values())
            with monkeypatch.context() as patched:
                patched.setattr(disclosure._Packed, "pack", classmethod(lambda cls, rows, categorical: None))
                patched.setattr(disclosure, "_PROTECTED", disclosure._Protections(size=4))
                by_stats = selectors._cube(user=user, instrument=instrument, column=column)
            assert isinstance(by_stats.cells, dict)
            assert list(by_stats.cells.items()) == list(cube.cells.items()), (codes, column)
            assert by_stats.hidden == cube.hidden, (codes, column)
