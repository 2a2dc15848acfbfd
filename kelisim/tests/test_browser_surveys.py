import io

import pytest
from playwright.sync_api import expect

from kelisim.surveys.models import CollectionLink, Response
from kelisim.surveys.tests.test_surveys import build_xlsform

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_analyst_uploads_an_xlsform_respondents_fill_it_on_a_phone_and_the_analyst_sees_the_score(
    live_server, page, phone, make_user, tmp_path
):
    analyst = make_user("analyst", "310000000")
    sign_in(page, live_server.url, analyst.username)
    page.goto(f"{live_server.url}/surveys/")
    form_file = tmp_path / "form.xlsx"
    form_file.write_bytes(scored_xlsform())
    page.set_input_files("#id_file", str(form_file))
    page.fill(
        "#id_scoring",
        '{"items": ["q1", "q2"], "scale": [1, 5], "reverse": ["q2"], '
        '"bands": [{"code": "low", "min": 2, "max": 5}, {"code": "high", "min": 6, "max": 10}]}',
    )
    page.click("main form button[type=submit]")
    # The worker converts the form; its job page leads to the instrument.
    expect(page.locator(".job-status")).to_have_text("дайын")
    page.click("#job a.button")
    expect(page.locator("h1")).to_have_text("Сынақ сауалнамасы")
    page.fill("#id_territory_q", "қордай ауданы")
    expect(page.locator("#id_territory option[value='314800000']")).to_have_count(1)
    page.select_option("#id_territory", "314800000")
    page.click("form.form button[type=submit] >> nth=-1")
    token = CollectionLink.objects.get().token

    for answer in range(5):  # five respondents: the smallest group the analytics will show
        phone.goto(f"{live_server.url}/s/{token}/")
        phone.check(f"input[name=q1][value='{4 if answer < 4 else 5}']")
        phone.check("input[name=q2][value='2']")
        phone.click("main form button[type=submit]")
        expect(phone.locator("h1")).not_to_have_text("Сынақ сауалнамасы")
    assert Response.objects.count() == 5
    assert sorted(Response.objects.values_list("total", flat=True)) == [8, 8, 8, 8, 9]

    page.goto(
        f"{live_server.url}/surveys/{CollectionLink.objects.get().instrument_id}/analytics/?group_by=district"
    )
    row = page.locator("table.table tr", has_text="Қордай ауданы")
    expect(row).to_contain_text("8,2")  # mean of 8, 8, 8, 8, 9 in Kazakh number format
    expect(row).to_contain_text("5")


def scored_xlsform() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label::Kazakh (kk)", "label::Russian (ru)", "required"])
    survey.append(
        ["select_one five", "q1", "Көршілермен қарым-қатынас жақсы", "Отношения с соседями хорошие", "yes"]
    )
    survey.append(["select_one five", "q2", "Ауылда шиеленіс бар", "В селе есть напряжённость", "yes"])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::Kazakh (kk)", "label::Russian (ru)"])
    for n in range(1, 6):
        choices.append(["five", str(n), str(n), str(n)])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version"])
    settings.append(["Сынақ сауалнамасы", "pilot_form", "1"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


assert build_xlsform  # the same builder the unit tests use, kept importable here
