import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from kelisim.appeals.models import Appeal

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_coordinator_checks_a_file_imports_it_and_follows_the_job_to_the_list(
    live_server, page, make_user, korday_department, tmp_path
):
    book = Workbook()
    book.active.append(
        ["type", "channel", "applicant_name", "territory", "department", "text", "received_on"]
    )
    for n in (1, 2):
        book.active.append(
            [
                "statement",
                "written",
                f"Өтініш беруші {n}",
                "314800000",
                "korday_culture",
                "Су құбыры",
                "2024-03-01",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    upload = tmp_path / "appeals.xlsx"
    upload.write_bytes(buffer.getvalue())

    sign_in(page, live_server.url, make_user("district_coordinator", "314800000").username)
    page.goto(f"{live_server.url}/appeals/import/")
    page.set_input_files("input[type=file]", str(upload))
    page.click("main form button[type=submit]")
    # The worker checks the file; its job page leads to the preview.
    expect(page.locator(".job-status")).to_have_text("дайын")
    page.click("#job a.button")
    expect(page.locator("main")).to_contain_text("2")
    assert not Appeal.objects.exists()  # the check writes nothing
    page.click("#import-commit button[type=submit]")
    expect(page.locator(".job-status")).to_have_text("дайын")
    assert page.url.startswith(f"{live_server.url}/jobs/")
    expect(page.locator("main")).to_contain_text("Импортталған өтініштер саны: 2.")
    page.click("#job a.button")
    numbers = sorted(Appeal.objects.values_list("number", flat=True))
    assert len(numbers) == 2
    for number in numbers:
        expect(page.locator("main table")).to_contain_text(number)
