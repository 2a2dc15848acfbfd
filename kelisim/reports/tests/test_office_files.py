"""Office files read well when opened: charts in the DOCX and XLSX, sized columns, day.month.year
dates, and the document's title and language filled in."""

import io
import zipfile
from datetime import date

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from kelisim.core.tabular import MIN_WIDTH, xlsx_table
from kelisim.surveys.models import Response


@pytest.fixture
def client(make_user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(make_user("regional_coordinator", "310000000"))
    return client


def test_the_visit_report_docx_carries_its_chart_and_properties(seed_visit, client):
    assert Response.objects.exists(), "the demo visit has survey answers to chart"
    content = client.get(f"/visits/{seed_visit.pk}/report.docx", {"lang": "kk"}).content
    document = Document(io.BytesIO(content))
    assert document.core_properties.language == "kk"
    assert "Қордай" in document.core_properties.title
    pictures = [
        part for name, part in document.part.related_parts.items() if part.content_type == "image/png"
    ]
    assert len(document.inline_shapes) == len(pictures) == 1
    image = Image.open(io.BytesIO(pictures[0].blob))
    assert image.width > 1000 and len(image.getcolors(maxcolors=1 << 20) or []) > 3  # a drawing, not a blank


def test_the_visit_report_xlsx_has_native_charts_sized_columns_and_dates(seed_visit, client):
    content = client.get(f"/visits/{seed_visit.pk}/report.xlsx", {"lang": "kk"}).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        assert all(b"barChart>" in archive.read(n) for n in charts)
    book = load_workbook(io.BytesIO(content))
    assert book.properties.language == "kk" and "Қордай" in book.properties.title
    events = book.worksheets[0]
    days = [row[0] for row in events.iter_rows(min_row=2) if isinstance(row[0].value, date)]
    assert days and all(cell.number_format == "DD.MM.YYYY" for cell in days)
    titles = [len(str(c.value)) for c in events["C"][1:] if c.value]
    assert events.column_dimensions["A"].width >= MIN_WIDTH
    assert events.column_dimensions["C"].width >= min(max(titles), 60)


def test_a_streamed_table_sizes_its_columns_to_the_longest_value():
    body, count = xlsx_table(
        "Events", ["day", "title"], [[date(2023, 5, 10), "x" * 40], [date(2023, 5, 11), "y"]]
    )
    sheet = load_workbook(io.BytesIO(body)).active
    assert count == 2
    assert sheet.column_dimensions["A"].width == len("DD.MM.YYYY") + 2
    assert sheet.column_dimensions["B"].width == 42
    assert sheet["A2"].number_format == "DD.MM.YYYY"
    assert sheet["A2"].value.date() == date(2023, 5, 10)
