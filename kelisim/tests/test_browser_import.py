from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = pytest.mark.browser
SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "press-release-kk.txt"


def test_press_officer_pastes_the_seed_accepts_the_drafts_and_finds_the_carnival(
    live_server, page, make_user, seed_visit
):
    if not SEED.exists():
        pytest.skip(f"the seed release is not at {SEED}")
    officer = make_user("press_officer", "310000000")
    sign_in(page, live_server.url, officer.username)
    page.goto(f"{live_server.url}/imports/")
    page.fill("#id_text", SEED.read_text(encoding="utf-8"))
    page.fill("#id_pub_date", "2023-05-15")
    page.click("#extract")
    drafts = page.locator("section.draft")
    expect(drafts.first).to_be_visible()
    expect(page.locator("section.draft mark").first).to_be_visible()  # fields shown beside their text
    count = drafts.count()
    for index in range(count):
        section = page.locator(f"#draft-{index}")
        if section.locator("input[name=date_start]").input_value():
            section.locator("button.accept").click()
        else:
            section.locator("button[value=rejected]").click()
    page.click("#commit")
    expect(page.locator("h1")).to_contain_text("Қордай ауданы")
    page.goto(f"{live_server.url}/search/?q=карнавал")
    results = page.locator("ol.results li")
    expect(results.first).to_be_visible()
    assert results.count() >= 2  # the demo's carnival and the one just imported
