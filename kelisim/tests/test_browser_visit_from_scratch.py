"""Issue 13: a department runs the Korday visit of 10–12 May 2023 in Kelisim from an empty database.

Only the reference data of a fresh install is loaded (the territories, the roles, the instruments;
no demo). The first system administrator comes from `kelisim create_admin`; from then on everything
is done through the pages, by the role whose work it is, with two factors where production asks for
them (docs/adr/0004): the administrator and the regional coordinator scan nothing, they read the key
the page shows, as an authenticator app would.
"""

import base64
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from docx import Document
from playwright.sync_api import expect

from kelisim.accounts.models import Department, User
from kelisim.appeals.models import Appeal, Visitor
from kelisim.events.models import Event
from kelisim.programs.models import Member, SubGroup, Visit
from kelisim.surveys.models import Response

pytestmark = pytest.mark.browser

PASSWORD = "Kelisim-2023-korday"
KORDAY, SHU, ZHAMBYL = "314800000", "316600000", "310000000"

# The twelve regional bodies of the Korday working group: code, kind, sector, Kazakh, Russian.
DEPARTMENTS = [
    ("police", "law_enforcement", "law_enforcement", "Полиция департаменті", "Департамент полиции"),
    (
        "internal_policy",
        "department",
        "internal_policy",
        "Ішкі саясат басқармасы",
        "Управление внутренней политики",
    ),
    ("culture", "department", "culture", "Мәдениет басқармасы", "Управление культуры"),
    ("education", "department", "education", "Білім басқармасы", "Управление образования"),
    ("sport", "department", "sport", "Спорт басқармасы", "Управление спорта"),
    ("religion", "department", "religion", "Дін істері басқармасы", "Управление по делам религий"),
    ("languages", "department", "languages", "Тілдерді дамыту басқармасы", "Управление развития языков"),
    ("youth", "department", "youth", "Жастар саясаты басқармасы", "Управление молодёжной политики"),
    ("employment", "department", "employment", "Жұмыспен қамту басқармасы", "Управление занятости"),
    ("veterinary", "department", "veterinary", "Ветеринария басқармасы", "Управление ветеринарии"),
    ("energy", "department", "energy", "Энергетика және ТКШ басқармасы", "Управление энергетики и ЖКХ"),
    (
        "natural_resources",
        "department",
        "natural_resources",
        "Табиғи ресурстар басқармасы",
        "Управление природных ресурсов",
    ),
]
NAME_KK = {code: kk for code, _kind, _sector, kk, _ru in DEPARTMENTS}

# Three sub-groups; each member: full name, department, position, sub-group (the first is the lead).
SUBGROUPS = [
    ("Құқықтық тәртіп және дін", "Правопорядок и религия"),
    ("Мәдениет, білім және жастар", "Культура, образование и молодёжь"),
    ("Әлеуметтік-экономикалық мәселелер", "Социально-экономические вопросы"),
]
MEMBERS = [
    ("Ә.Сейітов", "police", "Бастықтың орынбасары", 0),
    ("Д.Оспанова", "religion", "Бөлім басшысы", 0),
    ("Н.Әбдірахманов", "internal_policy", "Басшының орынбасары", 1),
    ("Г.Жақыпова", "culture", "Бас маман", 1),
    ("М.Есенов", "education", "Бөлім басшысы", 1),
    ("А.Төлеуова", "sport", "Бас маман", 1),
    ("С.Құлжанов", "languages", "Бас маман", 1),
    ("Е.Мұратов", "youth", "Бөлім басшысы", 1),
    ("Т.Қасымов", "employment", "Басшының орынбасары", 2),
    ("Б.Ахметов", "veterinary", "Бас маман", 2),
    ("Ж.Сарсенов", "energy", "Бөлім басшысы", 2),
    ("Қ.Нұрланова", "natural_resources", "Бас маман", 2),
]
EVENTS = [
    (
        "Ашық диалог алаңы",
        "«Бірлік пен келісім – ел тірегі» ашық диалог алаңы",
        "2023-05-10",
        "11:00",
        "12:30",
    ),
    ("Кездесу", "Этномәдени бірлестіктермен кездесу", "2023-05-11", "15:00", "16:30"),
    ("Мәдени іс-шара", "Әдеби карнавал", "2023-05-12", "12:00", "13:30"),
]
# Walk-ins at the reception of 11 May, each routed to another department, and what became of them.
WALK_INS = [
    ("Сәуле Бекова", "culture", "Ауылдық клубқа жаңа орындықтар керек", "advice"),
    ("Ерлан Дәулетов", "employment", "Жастарға арналған жұмыс орындары туралы", "appeal"),
    ("Гүлнар Исаева", "education", "Мектептегі қазақ тілі үйірмесі туралы", "resolved"),
]


@dataclass
class Desk:
    """One person at their own browser: the page they work on, and their authenticator's key."""

    page: Any
    username: str
    key: str = ""
    base: str = ""
    notes: list[str] = field(default_factory=list)

    def go(self, path: str) -> None:
        self.page.goto(f"{self.base}{path}")

    def submit(self, scope: str = "main form") -> None:
        self.page.click(f"{scope} button[type=submit] >> nth=0")


@pytest.fixture
def desks(browser) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    contexts = []

    def open_desk(base: str, username: str) -> Desk:
        context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return Desk(page=context.new_page(), username=username, base=base)

    yield open_desk
    for context in contexts:
        context.close()


# A fresh install ---------------------------------------------------------------------------------


def fresh_install(monkeypatch: pytest.MonkeyPatch) -> User:
    """The reference data (the `zhambyl` fixture loaded the classifier's region and the roles),
    the instruments, and the first administrator from the command line."""
    call_command("sync_roles", verbosity=0)
    call_command("load_instruments", verbosity=0)
    monkeypatch.setenv("KELISIM_ADMIN_PASSWORD", PASSWORD)
    call_command("create_admin", "--username", "admin", "--email", "admin@kelisim.kz", verbosity=0)
    assert not Visit.objects.exists() and not Department.objects.exists()
    assert User.objects.count() == 1
    return User.objects.get(username="admin")


TEAM = [
    # username, first name, last name, role, territory
    ("zarina", "Зарина", "Әлиева", "regional_coordinator", ZHAMBYL),
    ("marat", "Марат", "Оспанов", "district_coordinator", KORDAY),
    ("aliya", "Әлия", "Серікова", "specialist", KORDAY),
    ("dana", "Дана", "Қалиева", "press_officer", ZHAMBYL),
]


def create_team(desk: Desk) -> None:
    """The administrator adds each member of the team with their role × territory on the user pages."""
    page = desk.page
    for username, first_name, last_name, role, code in TEAM:
        desk.go("/manage/users/new/")
        page.fill("#id_username", username)
        page.fill("#id_first_name", first_name)
        page.fill("#id_last_name", last_name)
        page.select_option("#id_role", role)
        pick_territory(page, "id_territory", "жамбыл облысы" if code == ZHAMBYL else "қордай ауданы", code)
        page.fill("#id_password", PASSWORD)
        desk.submit()
        expect(page.locator("main")).to_contain_text(last_name)
        assert User.objects.get(username=username).memberships.filter(role__code=role).exists()


# Signing in ----------------------------------------------------------------------------------------


def _code(key: str) -> str:
    return f"{totp(base64.b32decode(key), step=30, t0=0, digits=6):06d}"


def sign_in(desk: Desk) -> None:
    """The password, then (where the role asks for it) the six digits of the authenticator: on the
    first sign-in the page shows the key to add to the app."""
    page = desk.page
    desk.go("/accounts/login/")
    page.fill("#id_username", desk.username)
    page.fill("#id_password", PASSWORD)
    desk.submit()
    page.wait_for_load_state()
    if "/accounts/2fa/" in page.url:
        key = page.locator("main code")
        if key.count():
            desk.key = key.inner_text().strip()
        assert desk.key, "the second factor is asked, but no key was ever shown"
        page.fill("#id_token", _code(desk.key))
        desk.submit()
    page.wait_for_url(f"{desk.base}/")


def pick_territory(page: Any, field_id: str, query: str, code: str) -> None:
    page.fill(f"#{field_id}_q", query)
    expect(page.locator(f"#{field_id} option[value='{code}']")).to_have_count(1)
    page.select_option(f"#{field_id}", code)


# Step 1-3: departments, program, visit, working group ---------------------------------------------


def create_departments(desk: Desk) -> None:
    page = desk.page
    for code, kind, sector, name_kk, name_ru in DEPARTMENTS:
        desk.go("/departments/")
        page.click("a[href='/departments/new/']")
        page.fill("#id_name_kk", name_kk)
        page.fill("#id_name_ru", name_ru)
        page.select_option("#id_kind", kind)
        page.fill("#id_sector", sector)
        page.fill("#id_code", code)
        pick_territory(page, "id_territory", "жамбыл облысы", ZHAMBYL)
        desk.submit()
        expect(page.locator("h1")).to_have_text(name_kk)
    desk.go("/departments/")
    for _code, _kind, _sector, name_kk, _ru in DEPARTMENTS:
        expect(page.locator("main")).to_contain_text(name_kk)


def create_program(desk: Desk) -> None:
    page = desk.page
    desk.go("/programs/")
    page.click("a[href='/programs/new/']")
    page.fill("#id_name_kk", "«Бейбітшілік пен келісім» жобасы")
    page.fill("#id_name_ru", "Проект «Мир и согласие»")
    page.fill("#id_started", "2023")
    pick_territory(page, "id_territory", "жамбыл облысы", ZHAMBYL)
    desk.submit()
    expect(page.locator(".messages")).to_be_visible()


def set_year_plan(desk: Desk) -> None:
    """The program's page opens on this year's plan: back to 2023, one visit to Korday, one to Shu."""
    page = desk.page
    for _step in range(10):
        if "2023" in page.locator("h1").inner_text():
            break
        page.get_by_role("link", name=re.compile(r"^← ")).click()
    expect(page.locator("h1")).to_contain_text("2023")
    page.fill(f"#planned-{KORDAY}", "1")
    page.fill(f"#planned-{SHU}", "1")
    page.get_by_role("button", name="Жоспарды сақтау").click()
    expect(page.locator(f"#planned-{KORDAY}")).to_have_value("1")


def dashboard_plan(desk: Desk) -> tuple[list[str], list[str], str]:
    """Korday's row and the region's total row of plan against fact for 2023, and the held figure."""
    page = desk.page
    desk.go("/")
    page.locator("a[href='/dashboard/']").first.click()
    page.fill("input[name=from]", "2023-01-01")
    page.fill("input[name=to]", "2023-12-31")
    page.click("main form.filters button[type=submit]")
    plan = page.locator("table.plan")
    korday = plan.locator("tbody tr", has_text="Қордай ауданы").locator("td").all_inner_texts()
    total = plan.locator("tr.total td").all_inner_texts()
    held = page.locator("#visits-held strong").inner_text()
    return [t.strip() for t in korday[1:]], [t.strip() for t in total], held


def plan_visit(desk: Desk) -> Visit:
    page = desk.page
    desk.go("/visits/")
    page.click("a[href='/visits/new/']")
    page.select_option("#id_program", label="«Бейбітшілік пен келісім» жобасы")
    pick_territory(page, "id_territory", "қордай ауданы", KORDAY)
    page.fill("#id_date_start", "2023-05-10")
    page.fill("#id_date_end", "2023-05-12")
    page.fill("#id_goals_kk", "Ұлтаралық келісімді нығайту, тұрғындардың мәселелерін тыңдау")
    desk.submit()
    expect(page.locator("h1")).to_contain_text("Қордай ауданы")
    return Visit.objects.get(territory__code=KORDAY, date_start=date(2023, 5, 10))


def build_working_group(desk: Desk, visit: Visit) -> None:
    """Sub-groups first, then a member from each department into their sub-group, then the leads."""
    page = desk.page
    desk.go(f"/visits/{visit.pk}/")
    page.click(f"a[href='/visits/{visit.pk}/group/']")
    expect(page.locator("main")).to_contain_text("Әзірге мүшелер жоқ")
    for name_kk, name_ru in SUBGROUPS:
        form = page.locator(f"form[action='/visits/{visit.pk}/subgroups/add/']")
        form.locator("[name=name_kk]").fill(name_kk)
        form.locator("[name=name_ru]").fill(name_ru)
        form.locator("button[type=submit]").click()
        expect(page.locator(".messages")).to_be_visible()
    for number, (full_name, department, position, subgroup) in enumerate(MEMBERS):
        form = page.locator(f"form[action='/visits/{visit.pk}/group/add/']")
        form.locator("[name=full_name]").fill(full_name)
        form.locator("[name=email]").fill(f"member{number}@zhambyl.gov.kz")
        form.locator("[name=phone]").fill(f"+7 726 243 00 {number:02d}")
        form.locator("[name=department]").select_option(label=NAME_KK[department])
        form.locator("[name=position_kk]").fill(position)
        form.locator("[name=subgroup]").select_option(label=SUBGROUPS[subgroup][0])
        form.locator("button[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text(full_name)
    for index, (name_kk, _ru) in enumerate(SUBGROUPS):
        lead = next(m[0] for m in MEMBERS if m[3] == index)
        page.locator("#subgroups + ul li", has_text=name_kk).get_by_role("link").click()
        page.select_option("#id_lead", label=lead)
        desk.submit()
        expect(page.locator("main")).to_contain_text(f"{name_kk} — ")
    rows = page.locator("main table.table tbody tr")
    expect(rows).to_have_count(12)


# Step 4: events ----------------------------------------------------------------------------------------


def add_events(desk: Desk, visit: Visit) -> None:
    page = desk.page
    desk.go(f"/visits/{visit.pk}/")
    for format_label, title, day, start, end in EVENTS:
        page.click(f"a[href='/events/new/?visit={visit.pk}']")
        page.select_option("#id_format", label=format_label)
        page.fill("#id_title_kk", title)
        page.fill("#id_start", f"{day}T{start}")
        page.fill("#id_end", f"{day}T{end}")
        page.fill("#id_venue_text", "Қордай ауылының мәдениет үйі")
        page.fill("#id_audience_residents", "60")
        page.check("#id_topics input[type=checkbox] >> nth=0")
        page.get_by_role("button", name="Сақтау", exact=True).click()
        expect(page.locator("h1")).to_have_text(title)
        page.click(f"a[href='/visits/{visit.pk}/']")
    days = page.locator(".timeline .day")
    for number, (_format, title, *_rest) in enumerate(EVENTS):
        expect(days.nth(number)).to_contain_text(title)


# Step 5: receptions, appeals, surveys, the visit's course, the press release -------------------------


def hold_reception(desk: Desk) -> None:
    """The internal-policy department's reception on 11 May; three walk-ins, each routed to the
    department their question belongs to, and what each left with."""
    page = desk.page
    desk.go("/receptions/")
    page.click("a[href='/receptions/new/']")
    page.select_option("#id_department", label=NAME_KK["internal_policy"])
    pick_territory(page, "id_territory", "қордай ауданы", KORDAY)
    page.fill("#id_place", "Қордай ауылы, аудан әкімдігінің мәжіліс залы")
    page.fill("#id_start", "2023-05-11T10:00")
    page.fill("#id_end", "2023-05-11T13:00")
    desk.submit()
    expect(page.locator("h1")).to_have_text("Қабылдауды жүргізу")
    for name, department, question, outcome in WALK_INS:
        form = page.locator("#visitor-form")
        form.locator("#id_name").fill(name)
        form.locator("#id_contact").fill("+7 701 000 00 00")
        form.locator("#id_department").select_option(label=NAME_KK[department])
        form.locator("#id_question").fill(question)
        form.locator("#id_consent_given").check()
        form.locator("button[type=submit]").click()
        visitor = page.locator(".visitors li", has_text=name)
        expect(visitor).to_contain_text(NAME_KK[department])
        visitor.locator("select[name=outcome]").select_option(outcome)
        visitor.locator("button[type=submit]").click()
        # Recorded: the recording form is gone; a correction waits, folded, under the outcome.
        recorded = page.locator(".visitors li", has_text=name)
        expect(recorded.locator(":scope > form.outcome-form")).to_have_count(0)
        expect(recorded.locator("details.correct form.outcome-form")).to_be_hidden()


def assign_appeal(desk: Desk, appeal: Appeal, executor: str) -> None:
    page = desk.page
    desk.go("/appeals/queue/")
    desk.go(f"/appeals/?department={appeal.department_id}")
    page.get_by_role("link", name=appeal.number).click()
    page.select_option("#id_lead_executor", label=executor)
    page.get_by_role("button", name="Тағайындау", exact=True).click()
    expect(page.locator("main dl")).to_contain_text("тағайындалды")


def answer_appeal(desk: Desk, appeal: Appeal, answer: str) -> None:
    page = desk.page
    desk.go(f"/appeals/{appeal.pk}/")
    page.get_by_role("button", name="Жұмысты бастау", exact=True).click()
    page.fill("#id_comment", answer)
    page.get_by_role("button", name="Жауап беру", exact=True).click()
    expect(page.locator("main dl")).to_contain_text(answer)


# Paper questionnaires of the Tolerance Index typed in after the visit: demographics, then 22 items.
PAPER = [
    {"age_band": "18_24", "gender": "female", "language": "kk", "occupation": "student", "answer": "5"},
    {"age_band": "35_54", "gender": "male", "language": "ru", "occupation": "employed", "answer": "4"},
    {"age_band": "55_plus", "gender": "female", "language": "kk", "occupation": "retired", "answer": "6"},
]


def enter_paper_surveys(desk: Desk) -> None:
    page = desk.page
    desk.go("/surveys/")
    page.get_by_role("link", name="Толеранттылық индексі").click()
    page.click("a[href$='/paper/']")
    pick_territory(page, "id_territory", "қордай ауданы", KORDAY)
    page.fill("#id_collected_on", "2023-05-11")
    for row in PAPER:
        for name in ("age_band", "gender", "language", "occupation"):
            page.fill(f"#paper-row input[name={name}]", row[name])
        for number in range(1, 23):
            page.fill(f"#paper-row input[name=t{number:02d}]", row["answer"])
        page.get_by_role("button", name="Жолды сақтау").click()
        expect(page.locator("#paper-row .messages")).to_contain_text("Сақталды.")
        expect(page.locator("#paper-row input[name=t01]")).to_have_value("")


STATUS_KK = {"in_progress": "орындалуда", "completed": "аяқталды"}


def set_status(desk: Desk, visit: Visit, status: str) -> None:
    desk.go(f"/visits/{visit.pk}/")
    desk.page.click(f"form[action='/visits/{visit.pk}/status/'] button[value={status}]")
    expect(desk.page.locator("p.muted strong").first).to_have_text(STATUS_KK[status])


# Words each department's name keeps however the release inflects or joins the names.
DEPARTMENT_WORDS = {
    "police": "полиция",
    "internal_policy": "ішкі саясат",
    "culture": "мәдениет",
    "education": "білім",
    "sport": "спорт",
    "religion": "дін істері",
    "languages": "тілдерді дамыту",
    "youth": "жастар саясаты",
    "employment": "жұмыспен қамту",
    "veterinary": "ветеринария",
    "energy": "энергетика",
    "natural_resources": "табиғи ресурстар",
}


def generate_press_release(desk: Desk, visit: Visit) -> str:
    page = desk.page
    desk.go(f"/visits/{visit.pk}/")
    page.click("#press-release-link")
    page.click("#generate")
    text = page.locator("#id_text")
    expect(text).to_contain_text("Қордай ауданында")
    return str(text.input_value())


def visit_report_text(desk: Desk, visit: Visit, tmp_path: Path) -> str:
    """The visit report as its reader gets it: the DOCX from the visit page, paragraphs and tables."""
    page = desk.page
    desk.go(f"/visits/{visit.pk}/")
    with page.expect_download() as download:
        page.click(f"a[href='/visits/{visit.pk}/report.docx']")
    path = tmp_path / "report.docx"
    download.value.save_as(path)
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# Steps that wait for the branches being built in parallel (see the skip at the end of the test) ----


def reception_shows_on_the_visit(desk: Desk, visit: Visit) -> None:
    """Branch receptions: a reception opened for the district and days of a visit belongs to it;
    the visit's timeline lists it with its visitors, and the figures count them by department."""
    page = desk.page
    desk.go(f"/visits/{visit.pk}/")
    expect(page.locator(".timeline .day").nth(1)).to_contain_text(f"{NAME_KK['internal_policy']} (3)")
    # app.js wraps every table in a box of its own that scrolls on a phone
    figures = page.locator("h2:has-text('басқармалар мен нәтижелер бойынша келушілер') + .table-wrap > table")
    for _name, department, _question, _outcome in WALK_INS:
        expect(figures.locator("tr", has_text=NAME_KK[department])).to_have_count(1)


def add_official(desk: Desk, visit: Visit) -> None:
    """Branch events-full: the event form takes officials with their role at the event."""
    page = desk.page
    event = Event.objects.get(visit=visit, title_kk=EVENTS[0][1])
    desk.go(f"/events/{event.pk}/edit/")
    person = page.locator("#id_officials-0-person option", has_text="Н.Әбдірахманов").first
    page.locator("#id_officials-0-person").select_option(person.get_attribute("value"))
    page.locator("#id_officials-0-role").select_option("speaker")
    page.get_by_role("button", name="Сақтау", exact=True).click()
    expect(page.locator("h1")).to_have_text(EVENTS[0][1])
    expect(page.locator("main")).to_contain_text("Н.Әбдірахманов")


FINDINGS = [
    ("language", "", "Жастар арасында мемлекеттік тілді үйренуге сұраныс жоғары, үйірмелер аз."),
    ("employment", "medium", "Ауылда жастарға жұмыс жетіспейді, көбі қалаға кетуде."),
]


def record_focus_group(desk: Desk, visit: Visit) -> None:
    """Branch focus-groups: the session from the visit page, the composition by group and coded
    findings, one of them a tension signal; the visit page shows them."""
    page = desk.page
    desk.go(f"/visits/{visit.pk}/")
    page.click(f"a[href='/visits/{visit.pk}/focus-groups/new/']")
    page.select_option("#id_event", label=EVENTS[1][1])
    page.fill("#id_held_on", "2023-05-11")
    pick_territory(page, "id_territory", "қордай ауданы", KORDAY)
    page.fill("#id_guide_questions", "Ауылдағы татулыққа не әсер етеді?\nЖастарды не алаңдатады?")
    page.fill("#id_summary_kk", "Қатысушылар ауылдағы келісімді жоғары бағалады.")
    page.fill("#id_count_age_band_18_24", "6")
    page.fill("#id_count_age_band_35_54", "4")
    page.fill("#id_count_gender_female", "5")
    page.fill("#id_count_gender_male", "5")
    for number, (theme, signal, quote) in enumerate(FINDINGS, start=1):
        page.select_option(f"#id_finding_{number}_theme", theme)
        page.select_option(f"#id_finding_{number}_signal", signal)
        page.fill(f"#id_finding_{number}_quote", quote)
    page.get_by_role("button", name="Сақтау", exact=True).click()
    desk.go(f"/visits/{visit.pk}/")
    for _theme, _signal, quote in FINDINGS:
        expect(page.locator("#focus-groups ~ .focus-group")).to_contain_text(quote)


# The whole visit ---------------------------------------------------------------------------------------


def test_a_department_runs_the_korday_visit_from_an_empty_database_through_the_pages(
    live_server, desks, zhambyl, monkeypatch, settings, tmp_path
):
    settings.KELISIM_REQUIRE_2FA = True  # as in production: administrators and view_sensitive readers
    fresh_install(monkeypatch)
    base = live_server.url

    # 1. The administrator signs in (setting up the second factor) and adds the team and departments.
    admin = desks(base, "admin")
    sign_in(admin)
    create_team(admin)
    create_departments(admin)

    # 2–3. The regional coordinator plans the visit and makes up the working group.
    regional = desks(base, "zarina")
    sign_in(regional)
    assert regional.key and regional.key != admin.key
    create_program(regional)
    set_year_plan(regional)
    visit = plan_visit(regional)
    # Planned is not held: the dashboard counts it apart until the visit is completed.
    assert dashboard_plan(regional) == (["1", "0", "1"], ["2", "0", "1"], "0")
    build_working_group(regional, visit)
    assert Member.objects.filter(visit=visit).values("department").distinct().count() == 12
    assert SubGroup.objects.filter(visit=visit, lead__isnull=False).count() == 3

    # 4. The district coordinator adds the events.
    district = desks(base, "marat")
    sign_in(district)
    assert not district.key  # a district coordinator reads no restricted records: one factor
    add_events(district, visit)
    assert Event.objects.filter(visit=visit).count() == 3

    # 5. The specialist holds the reception of 11 May and routes the walk-ins to three departments.
    specialist = desks(base, "aliya")
    sign_in(specialist)
    hold_reception(specialist)
    routed = Visitor.objects.filter(session__start__date=date(2023, 5, 11))
    assert {v.department.code for v in routed} == {"culture", "employment", "education"}
    assert sorted(routed.values_list("outcome", flat=True)) == ["advice", "appeal", "resolved"]

    # The district coordinator gives the employment question to the specialist, who answers it.
    appeal = Appeal.objects.get(visitor__name="Ерлан Дәулетов")
    assert appeal.department.code == "employment"
    assign_appeal(district, appeal, "Әлия Серікова")  # by name: a picker never shows a login
    answer = "Аудандық жұмыспен қамту орталығында 12 бос орынға жастар жолдамамен қабылданады."
    answer_appeal(specialist, appeal, answer)
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.ANSWERED and appeal.answer == answer

    # The district coordinator types in the paper questionnaires filled in at the events.
    enter_paper_surveys(district)
    assert Response.objects.filter(source=Response.Source.PAPER, territory__code=KORDAY).count() == 3

    # The regional coordinator marks the visit held.
    set_status(regional, visit, "in_progress")
    set_status(regional, visit, "completed")
    visit.refresh_from_db()
    assert visit.status == Visit.Status.COMPLETED
    assert dashboard_plan(regional) == (["1", "1", "0"], ["2", "1", "0"], "1")

    # The press officer generates the Kazakh press release: it names the twelve departments.
    press = desks(base, "dana")
    sign_in(press)
    release = generate_press_release(press, visit).lower()
    missing = [code for code, word in DEPARTMENT_WORDS.items() if word not in release]
    assert not missing, f"the release leaves out {missing}:\n{release}"

    # The visit report holds the events of the three days.
    report = visit_report_text(regional, visit, tmp_path)
    for _format, title, *_rest in EVENTS:
        assert title in report

    # receptions: the reception opened on 11 May belongs to the visit and counts in its figures.
    reception_shows_on_the_visit(district, visit)
    # events-full: the dialogue platform's speaker from the working group (a regional person: the
    # regional coordinator picks them).
    add_official(regional, visit)
    # focus-groups: the focus group of 11 May, recorded by the regional coordinator (the composition
    # by ethnicity is for readers of restricted records).
    record_focus_group(regional, visit)
    # press-release: the twelve departments and the reception figures (3 citizens, 3 departments,
    # advice, an appeal).
    release = generate_press_release(press, visit).lower()
    missing = [code for code, word in DEPARTMENT_WORDS.items() if word not in release]
    assert not missing, f"the release leaves out {missing}:\n{release}"
    assert re.search(r"\b3 азамат", release) and re.search(r"\b3 (басқарма|мекеме)", release), release
    assert "өтініші тіркелді" in release
    # focus-groups: the visit report holds the focus group's findings.
    report = visit_report_text(regional, visit, tmp_path)
    for _theme, _signal, quote in FINDINGS:
        assert quote in report
