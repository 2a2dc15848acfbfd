import pytest
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_sign_in_switch_language_pick_a_territory_and_be_denied_another_district(
    live_server, page, make_user
):
    user = make_user("district_coordinator", "314800000")
    sign_in(page, live_server.url, user.username)
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("link", name="Қордай ауданы")).to_be_visible()

    page.select_option("#lang-select", "ru")
    page.click(".lang button")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("link", name="Кордайский район")).to_be_visible()

    page.goto(f"{live_server.url}/territories/")
    page.fill("#territory-search", "Сортөбе")  # Kazakh name, while the UI is in Russian
    row_link = page.get_by_role("link", name="314854000")
    expect(row_link).to_be_visible()
    row_link.click()
    expect(page.locator("h1")).to_have_text("Сортобинский сельский округ")

    denied = page.goto(f"{live_server.url}/t/316600000/")
    assert denied is not None and denied.status == 404
    expect(page.locator("body")).not_to_contain_text("Шуский")


def test_the_territory_picker_in_a_form_fills_the_field(live_server, phone, make_user):
    user = make_user("district_coordinator", "314800000")
    sign_in(phone, live_server.url, user.username)
    phone.goto(f"{live_server.url}/departments/new/")
    phone.fill("#id_name_kk", "Сортөбе ауылдық округі әкімінің аппараты")
    phone.fill("#id_name_ru", "Аппарат акима Сортобинского сельского округа")
    phone.fill("#id_code", "sortobe_akim")
    phone.fill("#id_territory_q", "сортөбе ауылдық")
    expect(phone.locator("#id_territory option[value='314854000']")).to_have_count(1)
    phone.select_option("#id_territory", "314854000")
    phone.click("main form button[type=submit]")
    expect(phone.locator("h1")).to_have_text("Сортөбе ауылдық округі әкімінің аппараты")
    expect(phone.locator("dd a")).to_have_text("Сортөбе ауылдық округі")
