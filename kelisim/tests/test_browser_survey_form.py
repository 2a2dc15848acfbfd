"""The respondent's web form on a phone: relevance, choice filters, constraint messages, labels that
show other answers and repeat counts follow the answers as they are typed."""

import pytest
from playwright.sync_api import expect

from kelisim.surveys import services
from kelisim.surveys.models import Response
from kelisim.surveys.tests.xlsforms import ALL_TYPES_FILES, all_types

pytestmark = pytest.mark.browser


def test_a_respondent_on_a_phone_sees_the_form_follow_the_answers(live_server, phone, make_user, territory):
    analyst = make_user("analyst", "310000000")
    version = services.instrument_upload(
        actor=analyst, content=all_types(), filename="all_types.xlsx", files=ALL_TYPES_FILES
    )
    link = services.collection_link_create(
        actor=analyst, instrument=version.instrument, territory=territory("314800000")
    )
    phone.goto(f"{live_server.url}/s/{link.token}/")
    household = phone.locator('[data-key="household"]')
    phone.check("input[name=region][value=al]")
    expect(household).to_be_hidden()  # the group's relevance, before anything is sent
    expect(phone.locator("#i-district option")).to_have_count(2)  # "—" and Talgar only
    phone.check("input[name=region][value=zh]")
    expect(household).to_be_visible()
    expect(phone.locator("#i-district option[value=korday]")).to_have_count(1)
    expect(phone.locator("#i-district option[value=talgar]")).to_have_count(0)
    phone.select_option("#i-district", "korday")
    phone.fill('[name="household/age"]', "7")
    age = phone.locator('[data-key="household/age"] [data-error]')
    expect(age).to_have_text("14 пен 99 аралығы")  # the form's own message, while typing
    phone.fill('[name="household/age"]', "34")
    expect(age).to_be_hidden()
    expect(phone.locator('[data-key="household/hello"] [data-label]')).to_have_text("Жасыңыз 34")
    phone.fill('[name="household/name"]', "Айгүл")
    phone.fill('[name="household/visit_date"]', "2023-05-11")
    phone.fill("[name=n]", "2")
    expect(phone.locator('[data-repeat="members"] .repeat-instance')).to_have_count(2)
    phone.fill('[name="members[1]/mname"]', "Ali")
    phone.fill('[name="members[2]/mname"]', "Dana")
    phone.check("input[name=place][value=korday_bazar]")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    phone.click("main form button[type=submit] >> nth=-1")
    expect(phone.locator("h1")).not_to_have_text(version.instrument.name)
    stored = Response.objects.get()
    assert stored.answers["household/age"] == 34 and [m["mname"] for m in stored.answers["members"]] == [
        "Ali",
        "Dana",
    ]
