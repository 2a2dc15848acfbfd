import pytest
from docx import Document
from playwright.sync_api import expect

from kelisim.appeals.models import Visitor
from kelisim.reports.models import PressRelease

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_press_officer_generates_edits_saves_and_downloads_the_kazakh_draft(
    live_server, page, make_user, seed_visit, tmp_path
):
    officer = make_user("press_officer", "310000000")
    sign_in(page, live_server.url, officer.username)
    page.goto(f"{live_server.url}/visits/{seed_visit.pk}/")
    page.click("#press-release-link")
    page.click("#generate")
    text = page.locator("#id_text")
    expect(text).to_contain_text("Қордай ауданында")
    draft = text.input_value()
    # The figures come from the records: the visit's receptions, in grammatical Kazakh.
    visitors = Visitor.objects.filter(session__visit=seed_visit).count()
    assert f"мамандары {visitors} азаматты қабылдады" in draft
    assert "өкілдері қабылдаулар жүргізді" in draft
    edited = draft.replace("түрлі форматтағы шаралар ұйымдастырылды", "түрлі форматтағы іс-шаралар өткізілді")
    assert edited != draft
    text.fill(edited)
    page.click("#save-version")
    expect(page.locator(".messages")).to_be_visible()
    saved = PressRelease.objects.filter(visit=seed_visit, language="kk").order_by("-number").first()
    assert saved.number == 2 and "іс-шаралар өткізілді" in saved.text
    with page.expect_download() as download_info:
        page.click("#download-docx")
    path = tmp_path / "release.docx"
    download_info.value.save_as(path)
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    assert paragraphs[0].startswith("ҚОРДАЙДА") and any("іс-шаралар өткізілді" in p for p in paragraphs)
