"""The yearly plan of visits: pages, spreadsheet import, API; plan against fact counts held visits."""

import io
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from openpyxl import Workbook, load_workbook

from kelisim.core.models import AuditEntry
from kelisim.programs import selectors, services
from kelisim.programs.models import Program, VisitPlan

ZHAMBYL, KORDAY, SHU, MERKI = "310000000", "314800000", "316600000", "315400000"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _plan_next_visit(actor, seed_visit, territory):  # type: ignore[no-untyped-def]
    """A visit to Shu in the demo's year, still only planned."""
    return services.visit_create(
        actor=actor,
        edition=seed_visit.edition,
        territory=territory(SHU),
        date_start=date(2023, 10, 3),
        date_end=date(2023, 10, 5),
    )


def _cells(html: str, district: str) -> list[str]:
    """The figures of one district's row in a plan table."""
    row = re.search(rf"<tr><td>{district}</td>(.*?)</tr>", html, re.S)
    assert row, district
    return re.findall(r">(\d+)<", row.group(1))


def test_a_planned_visit_is_not_counted_as_held(seed_visit, make_user, territory):
    actor = make_user("regional_coordinator", ZHAMBYL)
    _plan_next_visit(actor, seed_visit, territory)

    table = selectors.plan_table(user=actor, year_from=2023, year_to=2023)

    rows = {r.district.code: r for r in table.rows}
    assert (rows[SHU].planned, rows[SHU].held, rows[SHU].upcoming) == (1, 0, 1)
    assert (rows[KORDAY].planned, rows[KORDAY].held, rows[KORDAY].upcoming) == (1, 1, 0)
    assert table.total.held == sum(r.held for r in table.rows) == 1
    assert table.total.planned == sum(r.planned for r in table.rows) == 4
    assert table.total.upcoming == 1


def test_the_dashboard_counts_held_visits_and_has_a_region_total(seed_visit, make_user, territory):
    actor = make_user("regional_coordinator", ZHAMBYL)
    _plan_next_visit(actor, seed_visit, territory)

    html = _client(actor).get("/dashboard/", {"from": "2023-01-01", "to": "2023-12-31"}).content.decode()

    plan = html[html.index("plan") :]
    assert _cells(plan, "Шу ауданы") == ["1", "0", "1"]
    assert _cells(plan, "Қордай ауданы") == ["1", "1", "0"]
    total = re.search(r'<tr class="total">(.*?)</tr>', plan, re.S).group(1)
    assert [n for n in re.findall(r">(\d+)<", total)] == ["4", "1", "1"]
    assert "status=held" in total and f"territory={ZHAMBYL}" not in total  # the board had no filter


def test_each_plan_figure_links_to_the_visits_behind_it(seed_visit, make_user, territory):
    actor = make_user("regional_coordinator", ZHAMBYL)
    planned = _plan_next_visit(actor, seed_visit, territory)
    client = _client(actor)

    held = client.get("/visits/", {"territory": SHU, "year": 2023, "status": "held"}).content.decode()
    upcoming = client.get("/visits/", {"territory": SHU, "year": 2023, "status": "upcoming"}).content.decode()

    assert f"/visits/{planned.pk}/" not in held and f"/visits/{planned.pk}/" in upcoming
    korday_held = client.get("/visits/", {"territory": KORDAY, "status": "held"}).content.decode()
    assert f"/visits/{seed_visit.pk}/" in korday_held


def test_the_plan_page_saves_the_year_and_zero_takes_a_district_out(seed_visit, make_user):
    actor = make_user("regional_coordinator", ZHAMBYL)
    program = seed_visit.edition.program
    client = _client(actor)

    page = client.get(f"/programs/{program.pk}/plans/2024/")
    assert page.status_code == 200 and f'name="planned-{MERKI}"' in page.content.decode()
    answer = client.post(
        f"/programs/{program.pk}/plans/2024/", {f"planned-{KORDAY}": "2", f"planned-{SHU}": "1"}
    )
    assert answer.status_code == 302
    plans = dict(VisitPlan.objects.filter(edition__year=2024).values_list("district__code", "planned"))
    assert plans == {KORDAY: 2, SHU: 1}
    client.post(f"/programs/{program.pk}/plans/2024/", {f"planned-{KORDAY}": "0", f"planned-{SHU}": "3"})
    plans = dict(VisitPlan.objects.filter(edition__year=2024).values_list("district__code", "planned"))
    assert plans == {SHU: 3}
    assert AuditEntry.objects.filter(action="visit_plan.remove").count() == 1


def test_a_bad_number_on_the_plan_page_saves_nothing_and_names_the_district(seed_visit, make_user):
    actor = make_user("regional_coordinator", ZHAMBYL)
    program = seed_visit.edition.program

    answer = _client(actor).post(
        f"/programs/{program.pk}/plans/2024/", {f"planned-{KORDAY}": "2", f"planned-{SHU}": "many"}
    )

    assert answer.status_code == 200
    assert f'href="#planned-{SHU}"' in answer.content.decode()
    assert not VisitPlan.objects.filter(edition__year=2024).exists()


def test_a_district_coordinator_plans_only_their_district(seed_visit, make_user):
    actor = make_user("district_coordinator", SHU)
    program = seed_visit.edition.program
    client = _client(actor)

    html = client.get(f"/programs/{program.pk}/plans/2024/").content.decode()
    assert f'name="planned-{SHU}"' in html and f'name="planned-{KORDAY}"' not in html
    assert "Қордай ауданы" not in html
    client.post(f"/programs/{program.pk}/plans/2024/", {f"planned-{KORDAY}": "5", f"planned-{SHU}": "2"})

    plans = dict(VisitPlan.objects.filter(edition__year=2024).values_list("district__code", "planned"))
    assert plans == {SHU: 2}


def _xlsx(rows) -> bytes:  # type: ignore[no-untyped-def]
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, program, year, content: bytes):  # type: ignore[no-untyped-def]
    file = io.BytesIO(content)
    file.name = "plan.xlsx"
    return client.post(f"/programs/{program.pk}/plans/{year}/import/", {"file": file})


def test_the_template_lists_the_regions_districts_and_imports_back(seed_visit, make_user):
    actor = make_user("regional_coordinator", ZHAMBYL)
    program = seed_visit.edition.program
    client = _client(actor)

    template = client.get(f"/programs/{program.pk}/plans/2023/template.xlsx")
    rows = list(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))
    codes = {r[0]: r[2] for r in rows[1:]}
    assert (
        codes[KORDAY] == 1
        and codes[MERKI] == 1
        and len(codes) == selectors.plan_districts(program=program).count()
    )
    filled = [rows[0], *[(code, name, 2 if code == MERKI else planned) for code, name, planned in rows[1:]]]

    answer = _upload(client, program, 2025, _xlsx(filled))

    assert answer.status_code == 302
    plans = dict(VisitPlan.objects.filter(edition__year=2025).values_list("district__code", "planned"))
    assert plans == {KORDAY: 1, SHU: 1, MERKI: 2, "313600000": 1}


def test_a_bad_row_in_the_import_saves_nothing_and_names_row_and_column(seed_visit, make_user):
    actor = make_user("regional_coordinator", ZHAMBYL)
    program = seed_visit.edition.program

    answer = _upload(
        _client(actor),
        program,
        2025,
        _xlsx(
            [
                ["KATO", "name", "planned"],
                [KORDAY, "", 2],
                ["999999999", "", 1],
                [SHU, "", -1],
                [KORDAY, "", 1],
            ]
        ),
    )

    assert answer.status_code == 400
    errors = re.findall(r"<li>(.*?)</li>", answer.content.decode().split("error-summary")[1])
    assert len(errors) == 3
    assert "999999999" in errors[0] and "3" in errors[0]
    assert "4" in errors[1] and "5" in errors[2] and "2" in errors[2]  # row 5 repeats row 2
    assert not VisitPlan.objects.filter(edition__year=2025).exists()


def test_a_spreadsheet_of_another_districts_plan_is_refused_for_a_district_coordinator(seed_visit, make_user):
    actor = make_user("district_coordinator", SHU)
    program = seed_visit.edition.program

    answer = _upload(_client(actor), program, 2025, _xlsx([[SHU, "", 1], [KORDAY, "", 1]]))

    assert answer.status_code == 400 and not VisitPlan.objects.filter(edition__year=2025).exists()


def test_the_plan_api_sets_changes_lists_and_removes(seed_visit, make_user):
    actor = make_user("regional_coordinator", ZHAMBYL)
    program = seed_visit.edition.program
    client = _client(actor)

    created = client.post(
        "/api/v1/visit-plans/",
        {"program": program.pk, "year": 2031, "district": MERKI, "planned": 2},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    changed = client.patch(f"/api/v1/visit-plans/{pk}/", {"planned": 3}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["planned"] == 3
    listed = client.get("/api/v1/visit-plans/", {"year": 2031}).json()["results"]
    assert [(r["district"], r["planned"]) for r in listed] == [(MERKI, 3)]
    assert client.delete(f"/api/v1/visit-plans/{pk}/").status_code == 204
    assert not VisitPlan.objects.filter(pk=pk).exists()


def test_the_plan_api_refuses_a_district_outside_the_callers_scope(seed_visit, make_user):
    actor = make_user("district_coordinator", SHU)
    program = seed_visit.edition.program
    client = _client(actor)

    answer = client.post(
        "/api/v1/visit-plans/",
        {"program": program.pk, "year": 2031, "district": KORDAY, "planned": 2},
        content_type="application/json",
    )
    zero = client.post(
        "/api/v1/visit-plans/",
        {"program": program.pk, "year": 2031, "district": SHU, "planned": 0},
        content_type="application/json",
    )

    assert answer.status_code == 400 and zero.status_code == 400
    assert not VisitPlan.objects.filter(edition__year=2031).exists()


@pytest.mark.parametrize(
    "code", ["314854000", SHU], ids=["an okrug is not a district", "a district of another program"]
)
def test_a_plan_names_only_districts_of_the_programs_territory(zhambyl, make_user, territory, code):
    actor = make_user("system_admin")
    korday_program = Program.objects.create(
        name_kk="Қордай", name_ru="Кордай", started=2020, territory=territory(KORDAY)
    )
    edition = services.edition_get_or_create(actor=actor, program=korday_program, year=2023)

    with pytest.raises(ValidationError) as caught:
        services.visit_plan_set(actor=actor, edition=edition, district=territory(code), planned=1)

    assert "district" in caught.value.message_dict
    assert not VisitPlan.objects.filter(edition=edition).exists()


def test_a_program_is_created_on_a_page_and_leads_to_its_plan(zhambyl, make_user):
    actor = make_user("regional_coordinator", ZHAMBYL)
    client = _client(actor)

    answer = client.post(
        "/programs/new/",
        {
            "name_kk": "Бейбітшілік пен келісім",
            "name_ru": "Мир и согласие",
            "started": 2020,
            "territory": ZHAMBYL,
        },
    )

    program = Program.objects.get()
    assert answer.status_code == 302 and f"/programs/{program.pk}/plans/" in answer["Location"]
    assert client.get(answer["Location"]).status_code == 200
    assert AuditEntry.objects.filter(action="program.create", object_id=str(program.pk)).exists()


def test_a_district_coordinator_can_neither_create_nor_rename_the_regions_program(seed_visit, make_user):
    actor = make_user("district_coordinator", SHU)
    program = seed_visit.edition.program
    client = _client(actor)

    created = client.post(
        "/programs/new/", {"name_kk": "Жаңа", "name_ru": "Новая", "started": 2024, "territory": ZHAMBYL}
    )
    renamed = client.post(
        f"/programs/{program.pk}/edit/", {"name_kk": "Басқа", "name_ru": "Другая", "started": 2020}
    )

    assert created.status_code == 200 and Program.objects.count() == 1
    assert renamed.status_code == 404
    assert Program.objects.get().name_kk == program.name_kk
