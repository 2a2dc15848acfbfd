import pytest
from playwright.sync_api import expect

from kelisim.events.models import Event
from kelisim.programs.models import Visit

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_coordinator_plans_a_visit_adds_two_events_on_a_phone_and_sees_them_on_the_timeline(
    live_server, phone, make_user, seed_visit
):
    user = make_user("district_coordinator", "314800000")
    sign_in(phone, live_server.url, user.username)

    phone.goto(f"{live_server.url}/visits/new/")
    phone.select_option("#id_program", label="«Бейбітшілік пен келісім» жобасы")
    phone.fill("#id_territory_q", "қордай ауданы")
    expect(phone.locator("#id_territory option[value='314800000']")).to_have_count(1)
    phone.select_option("#id_territory", "314800000")
    phone.fill("#id_date_start", "2023-10-03")
    phone.fill("#id_date_end", "2023-10-04")
    phone.click("main form button[type=submit]")
    expect(phone.locator("h1")).to_contain_text("Қордай ауданы")
    visit = Visit.objects.get(date_start="2023-10-03")

    for title, day, format_label in (
        ("Ақсақалдармен кездесу", "2023-10-03", "Кездесу"),
        ("Жастар арасындағы дөңгелек үстел", "2023-10-04", "Дөңгелек үстел"),
    ):
        phone.click(f"a[href='/events/new/?visit={visit.pk}']")
        phone.select_option("#id_format", label=format_label)
        phone.fill("#id_title_kk", title)
        phone.fill("#id_start", f"{day}T11:00")
        phone.fill("#id_end", f"{day}T12:30")
        phone.fill("#id_venue_text", "Қордай ауылының мәдениет үйі")
        phone.fill("#id_audience_residents", "40")
        phone.get_by_role("button", name="Сақтау", exact=True).click()  # not the hidden Enter default
        expect(phone.locator("h1")).to_have_text(title)
        phone.click(f"a[href='/visits/{visit.pk}/']")

    timeline = phone.locator(".timeline")
    expect(timeline.locator(".day").nth(0)).to_contain_text("Ақсақалдармен кездесу")
    expect(timeline.locator(".day").nth(1)).to_contain_text("Жастар арасындағы дөңгелек үстел")
    assert Event.objects.filter(visit=visit).count() == 2
    assert phone.evaluate("document.documentElement.scrollWidth") <= 400  # no sideways scrolling on a phone
