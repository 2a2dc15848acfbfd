"""The office files people take away say things in words too: the visit report, the appeal and
event exports and the dashboard, opened back and read cell by cell, in Kazakh and in Russian."""

import io
import zipfile

import pytest
from django.test import Client
from openpyxl import load_workbook

from kelisim.accounts.models import User
from kelisim.tests.raw_values import raw_values


def _xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return " \n ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    )


def _docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " \n ".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_exported_files_say_things_in_words(seed_visit, language):
    user = User.objects.get(username="coordinator.zhambyl")
    User.objects.filter(pk=user.pk).update(language=language)
    client = Client()
    client.force_login(user)
    logins = set(User.objects.values_list("username", flat=True))
    files = {
        f"/visits/{seed_visit.pk}/report.xlsx": _xlsx_text,
        f"/visits/{seed_visit.pk}/report.docx": _docx_text,
        "/appeals/export.xlsx": _xlsx_text,
        "/calendar/export.xlsx?view=list&day=2023-05-01": _xlsx_text,
    }
    problems = []
    for url, read in files.items():
        response = client.get(url)
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert zipfile.is_zipfile(io.BytesIO(content)), url
        text = read(content)
        assert len(text) > 100, url
        problems += [f"{url}: {found}" for found in raw_values(text, logins)]
    assert not problems, "\n".join(problems)
