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


def test_the_outcome_form_shows_only_the_fields_the_outcome_needs_and_a_correction_keeps_history(
    live_server, phone, make_user, territory
):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from kelisim.appeals import services
    from kelisim.appeals.models import Visitor, VisitorOutcomeChange

    department = Department.objects.create(
        code="korday_land", name_kk="Жер бөлімі", name_ru="Земельный отдел", territory=territory("314800000")
    )
    specialist = make_user("specialist", "314800000")
    start = datetime.now(ZoneInfo("Asia/Almaty")).replace(minute=0, second=0, microsecond=0)
    session = ReceptionSession.objects.create(
        department=department,
        territory=territory("314800000"),
        place="Әкімдік",
        start=start,
        end=start + timedelta(hours=3),
    )
    walk_in = services.visitor_register(
        actor=specialist, session=session, name="Келуші", question="Жер туралы", department=department
    )
    sign_in(phone, live_server.url, specialist.username)
    phone.goto(f"{live_server.url}/receptions/{session.pk}/")
    form = phone.locator(f"#visitor-{walk_in.pk} form.outcome-form")
    body = form.locator("input[name=redirected_to]")
    kind = form.locator("select[name=appeal_type]")
    form.locator("select[name=outcome]").select_option("advice")
    expect(body).to_be_hidden()
    expect(kind).to_be_hidden()
    form.locator("select[name=outcome]").select_option("redirected")
    expect(body).to_be_visible()
    expect(kind).to_be_hidden()
    form.locator("select[name=outcome]").select_option("appeal")
    expect(kind).to_be_visible()
    expect(body).to_be_hidden()
    form.locator("select[name=outcome]").select_option("advice")
    form.locator("button[type=submit]").click()
    expect(phone.locator(".messages")).to_be_visible()
    assert Visitor.objects.get(pk=walk_in.pk).outcome == "advice"

    item = phone.locator(f"#visitor-{walk_in.pk}")
    item.locator("details.correct summary").click()
    correct = item.locator("details.correct form")
    correct.locator("select[name=outcome]").select_option("redirected")
    correct.locator("input[name=redirected_to]").fill("Жер инспекциясы")
    correct.locator("textarea[name=reason]").fill("Қате таңдалды")
    correct.locator("button[type=submit]").click()
    expect(phone.locator(f"#visitor-{walk_in.pk} .outcome-history li")).to_have_count(2)
    change = VisitorOutcomeChange.objects.filter(visitor=walk_in).last()
    assert change is not None and change.to_outcome == "redirected" and change.reason == "Қате таңдалды"
