import pytest
from playwright.sync_api import expect

from kelisim.accounts.models import Department
from kelisim.appeals.models import Appeal, ReceptionSession

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_specialist_registers_a_walk_in_on_a_phone_turns_it_into_an_appeal_and_the_coordinator_sees_it(
    live_server, phone, browser, make_user, territory
):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    department = Department.objects.create(
        code="korday_culture",
        name_kk="Мәдениет бөлімі",
        name_ru="Отдел культуры",
        territory=territory("314800000"),
    )
    specialist = make_user("specialist", "314800000")
    coordinator = make_user("district_coordinator", "314800000")
    start = datetime.now(ZoneInfo("Asia/Almaty")).replace(minute=0, second=0, microsecond=0)
    session = ReceptionSession.objects.create(
        department=department,
        territory=territory("314800000"),
        place="Әкімдік",
        start=start,
        end=start + timedelta(hours=3),
    )

    sign_in(phone, live_server.url, specialist.username)
    phone.goto(f"{live_server.url}/receptions/{session.pk}/")
    phone.fill("#id_name", "Сәуле Демоқызы")
    phone.fill("#id_contact", "+7 700 000 1234")
    phone.fill("#id_question", "Ауылдағы клубты жөндеу туралы")
    phone.check("#id_consent_given")
    phone.click("#visitor-form button[type=submit]")
    visitor = phone.locator(".visitors li").first
    expect(visitor).to_contain_text("Сәуле Демоқызы")
    visitor.locator("select[name=outcome]").select_option("appeal")
    visitor.locator("button[type=submit]").click()
    appeal = Appeal.objects.get()
    expect(phone.locator(".visitors li").first).to_contain_text(appeal.number)

    desk = browser.new_context(locale="en-US")
    page = desk.new_page()
    sign_in(page, live_server.url, coordinator.username)
    page.goto(f"{live_server.url}/appeals/?department={department.pk}")
    row = page.locator("tr", has_text=appeal.number)
    expect(row).to_contain_text(appeal.due_date.strftime("%d.%m.%Y"))
    page.goto(f"{live_server.url}/appeals/queue/")
    expect(page.locator("main")).to_contain_text("Мәдениет бөлімі")
    desk.close()
