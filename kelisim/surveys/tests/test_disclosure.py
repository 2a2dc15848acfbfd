"""Disclosure control of survey data: sensitive answers reach holders of `view_sensitive` only
(and each of their reads is audited); no table, chart, export or API answer gives a hidden group
away, by subtraction within a table or across the territory and year filters."""

import csv
import io
import json
from datetime import date

from django.test import Client, override_settings
from openpyxl import load_workbook

from kelisim.core.models import AuditEntry
from kelisim.surveys import disclosure, services
from kelisim.surveys.models import Instrument, Response
from kelisim.surveys.ready import tolerance_xlsform
from kelisim.surveys.scoring import TOLERANCE_DIRECT, TOLERANCE_ITEMS, TOLERANCE_KEY

from .attack import breaches, relations

ZHAMBYL, KORDAY, SHU, MERKE = "310000000", "314800000", "316600000", "315400000"
KORDAY_VILLAGE, SHU_OKRUG = "314830100", "316630000"
GROUPINGS = ["all", "region", "district", "year", "age_band", "gender", "language", "occupation", "ethnicity"]
PEOPLE = {
    "student": {
        "age_band": "18_24",
        "gender": "female",
        "language": "kk",
        "occupation": "student",
        "ethnicity": "kazakh",
    },
    "worker": {
        "age_band": "25_34",
        "gender": "male",
        "language": "ru",
        "occupation": "employed",
        "ethnicity": "russian",
    },
    "elder": {
        "age_band": "55_plus",
        "gender": "male",
        "language": "other",
        "occupation": "retired",
        "ethnicity": "dungan",
    },
    "pupil": {
        "age_band": "14_17",
        "gender": "female",
        "language": "kk",
        "occupation": "student",
        "ethnicity": "uzbek",
    },
}


def _answers(person: str, level: int) -> dict[str, str]:
    answers = dict(PEOPLE[person])
    for number, item in enumerate(TOLERANCE_ITEMS, start=1):
        answers[item] = str(level if number in TOLERANCE_DIRECT else 7 - level)
    return answers


def _seed(territory, plan) -> Instrument:  # type: ignore[no-untyped-def]
    """plan: (KATO code, year, person, how many); levels vary so that every group's mean differs."""
    services.instruments_install_ready()
    version = Instrument.objects.get(code="tolerance_index").current
    counter = 0
    for code, year, person, count in plan:
        for i in range(count):
            counter += 1
            services.response_submit(
                actor=None,
                version=version,
                raw=_answers(person, 1 + (counter * 7 + i) % 6),
                territory=territory(code),
                source="synthetic",
                instance_id=f"d:{counter}",
                collected_on=date(year, 5, 12),
            )
    return version.instrument


# Korday 14 students over two years, Merke 7 workers (and 2 pupils in 2022), Shu 2 elders: Shu is
# small, and so is Merke's 2022, and in every grouping but gender and year one or two groups are.
PLAN = [
    (KORDAY_VILLAGE, 2022, "student", 6),
    (KORDAY_VILLAGE, 2023, "student", 8),
    (MERKE, 2023, "worker", 7),
    (MERKE, 2022, "pupil", 2),
    (SHU_OKRUG, 2023, "elder", 2),
]


def _indices(client: Client, **params: str) -> list[dict]:  # type: ignore[type-arg]
    response = client.get("/api/v1/indices/", {"instrument": "tolerance_index", **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _main(response) -> str:  # type: ignore[no-untyped-def]
    """A page's own content (the header repeats the address, query and all, for the language switch)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _year(year: int | None) -> dict[str, str]:
    return {"date_from": f"{year}-01-01", "date_to": f"{year}-12-31"} if year else {}


# Point 4: sensitive items.


def test_without_view_sensitive_there_is_no_micro_data_and_no_sensitive_grouping(make_user, territory):
    instrument = _seed(territory, PLAN)
    client = Client()
    client.force_login(make_user("analyst", ZHAMBYL))  # view_survey, no view_sensitive
    api = client.get("/api/v1/responses/")
    assert api.status_code == 403 and "dungan" not in api.content.decode()
    for kind in ("csv", "xlsx"):
        assert client.get(f"/surveys/{instrument.pk}/responses.{kind}").status_code == 404
    page = _main(client.get(f"/surveys/{instrument.pk}/analytics/", {"group_by": "ethnicity"}))
    assert 'value="ethnicity"' not in page
    assert "дүнген" not in page and ">қазақ<" not in page and "group_by=ethnicity" not in page
    refused = client.get("/api/v1/indices/", {"instrument": "tolerance_index", "group_by": "ethnicity"})
    assert refused.status_code == 400 and "group_by" in refused.json()["error"]["fields"]
    table = client.get(f"/surveys/{instrument.pk}/aggregates.csv", {"group_by": "ethnicity"})
    assert "kazakh" not in table.content.decode("utf-8-sig")
    assert not AuditEntry.objects.filter(kind=AuditEntry.Kind.READ).exists()


def test_paper_entry_does_not_show_a_sensitive_answer_back(make_user, territory):
    services.instruments_install_ready()
    instrument = Instrument.objects.get(code="tolerance_index")
    client = Client()
    client.force_login(make_user("specialist", KORDAY))  # collects, may not see ethnicity
    row = {
        "territory": KORDAY,
        "collected_on": "2023-05-12",
        **_answers("elder", 3),
        "t07": "8",
    }  # t07 out of range
    refused = client.post(f"/surveys/{instrument.pk}/paper/", row, HTTP_HX_REQUEST="true")
    text = refused.content.decode()
    assert "t07" in refused.context["errors"] and not Response.objects.exists()
    assert 'value="55_plus"' in text  # the other answers come back, to be corrected
    assert 'value="dungan"' not in text and "dungan" not in json.dumps(refused.context["values"])


def test_holders_of_view_sensitive_read_full_micro_data_and_every_read_is_audited(make_user, territory):
    instrument = _seed(territory, PLAN)
    coordinator = make_user("regional_coordinator", ZHAMBYL)  # view_survey and view_sensitive
    client = Client()
    client.force_login(coordinator)
    reads = AuditEntry.objects.filter(kind=AuditEntry.Kind.READ, actor=coordinator)
    page = client.get("/api/v1/responses/", {"page_size": 10}).json()
    assert page["count"] == 25 and len(page["results"]) == 10
    assert {r["ethnicity"] for r in page["results"]} >= {"kazakh"}
    assert page["results"][0]["collected_on"] == "2022-05-12" and "t01" in page["results"][0]["answers"]
    assert reads.count() == 1
    entry = reads.get()
    assert entry.action == "survey_response.read" and entry.params == {"rows": 10, "surface": "api"}
    exported = client.get(f"/surveys/{instrument.pk}/responses.csv").content.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(exported)))
    assert len(table) == 25 and "dungan" in {r["ethnicity"] for r in table}
    assert {r["collected_on"] for r in table} == {"2022-05-12", "2023-05-12"}
    assert reads.count() == 2 and reads.first().params == {"rows": 25, "surface": "csv"}  # type: ignore[union-attr]
    assert _indices(client, group_by="ethnicity")  # the sensitive grouping is theirs, and audited
    assert reads.filter(action="survey_table.read", params={"group_by": "ethnicity"}).count() == 1


def test_the_instrument_says_which_questions_are_sensitive(make_user, territory):
    # The ready instruments mark ethnicity on their XLSForm; an uploaded version may mark others.
    services.instruments_install_ready()
    tolerance = Instrument.objects.get(code="tolerance_index")
    ethnicity = next(q for q in tolerance.current.definition["children"] if q["name"] == "ethnicity")
    assert ethnicity.get("sensitive") == "yes"
    analyst = make_user("analyst", ZHAMBYL)
    client = Client()
    client.force_login(analyst)
    marked = tolerance_xlsform(version="2024.1", sensitive=("ethnicity", "language"))
    services.instrument_upload(actor=None, content=marked, code="tolerance_index", scoring_key=TOLERANCE_KEY)
    assert disclosure.sensitive_items(Instrument.objects.get(code="tolerance_index").current.definition) == {
        "ethnicity",
        "language",
    }
    for grouping in ("language", "ethnicity"):
        response = client.get("/api/v1/indices/", {"instrument": "tolerance_index", "group_by": grouping})
        assert response.status_code == 400, grouping
    assert (
        client.get("/api/v1/indices/", {"instrument": "tolerance_index", "group_by": "gender"}).status_code
        == 200
    )
    page = _main(client.get(f"/surveys/{tolerance.pk}/analytics/"))
    assert 'value="language"' not in page and 'value="gender"' in page
    # A configured list names more, whatever the form says (here: occupation).
    with override_settings(KELISIM_SURVEY_SENSITIVE_ITEMS=["ethnicity", "occupation"]):
        response = client.get("/api/v1/indices/", {"instrument": "tolerance_index", "group_by": "occupation"})
        assert response.status_code == 400


# Point 5: complementary suppression.


def test_no_grouping_gives_a_hidden_group_away_by_subtraction(make_user, territory):
    """For every grouping the analytics offer: the shown total minus the shown groups must not be
    one hidden group (its n and mean would follow), nor fewer than five respondents."""
    _seed(territory, PLAN)
    client = Client()
    client.force_login(make_user("regional_coordinator", ZHAMBYL))
    responses = list(Response.objects.all())
    column = {"district": "district_code", "region": None, "year": None, "all": None}
    problems = []
    for grouping in GROUPINGS:
        (total,) = _indices(client, group_by="all")
        shown = _indices(client, group_by=grouping)
        assert all(r["n"] >= 5 for r in shown), grouping
        rest_n = total["n"] - sum(r["n"] for r in shown)
        rest_sum = total["n"] * total["mean"]["estimate"] - sum(r["n"] * r["mean"]["estimate"] for r in shown)

        def key(r: Response, grouping: str = grouping) -> str:
            if grouping == "year":
                return str(r.collected_on.year)
            if grouping == "region":
                return r.district_code[:2]
            if grouping == "all":
                return "all"
            return str(getattr(r, column.get(grouping) or grouping))

        truth: dict[str, list[int]] = {}
        for r in responses:
            truth.setdefault(key(r), []).append(r.total)  # type: ignore[arg-type]
        hidden = {k: v for k, v in truth.items() if k not in {s["group"] for s in shown}}
        if len(hidden) == 1:
            ((name, totals),) = hidden.items()
            assert rest_n == len(totals) and round(rest_sum / rest_n, 2) == round(
                sum(totals) / len(totals), 2
            )
            problems.append(f"{grouping}: {name} recovered, n={rest_n}, mean={rest_sum / rest_n:.2f}")
        elif 0 < rest_n < 5:
            problems.append(
                f"{grouping}: the hidden groups hold {rest_n} respondents, mean {rest_sum / rest_n:.2f}"
            )
    assert problems == []


def _published(client: Client) -> set[tuple[str, int | None, str | None]]:
    """Every cell the indices API publishes, over every territory and year filter and grouping,
    as (territory, year, group) in the attacker's terms."""
    seen = set()
    for code in (None, ZHAMBYL, KORDAY, MERKE, SHU):
        node = "" if code is None else code[:2] if code == ZHAMBYL else code
        for year in (None, 2022, 2023):
            for grouping in GROUPINGS:
                for r in _indices(
                    client, group_by=grouping, **({"territory": code} if code else {}), **_year(year)
                ):
                    if grouping == "all":
                        seen.add((node, year, None))
                    elif grouping == "region":
                        seen.add((node if len(node) > 2 else r["group"], year, None))
                    elif grouping == "district":
                        seen.add((r["group"], year, None))
                    elif grouping == "year":
                        seen.add((node, int(r["group"]), None))
                    else:
                        seen.add((node, year, f"{grouping}:{r['group']}"))
    return seen


def test_no_hidden_cell_is_recovered_across_territory_and_year_filters(make_user, territory):
    """A region's total against its districts', a year's against the others': the attacker solves
    every relation between every answer of the API at once, and recovers nothing hidden."""
    _seed(territory, PLAN)
    client = Client()
    client.force_login(make_user("regional_coordinator", ZHAMBYL))
    truth: dict[tuple[str, int | None, str | None], int] = {}
    equations = []
    for grouping in [None, "age_band", "gender", "language", "occupation", "ethnicity"]:
        cells: dict[tuple[str, int | None, str | None], int] = {}
        for r in Response.objects.all():
            for t in ("", r.district_code[:2], r.district_code):
                for y in (None, r.collected_on.year):
                    for g in (None,) if grouping is None else (None, f"{grouping}:{getattr(r, grouping)}"):
                        cells[(t, y, g)] = cells.get((t, y, g), 0) + 1
        truth.update(cells)
        equations += relations(cells)
    problems = breaches(truth, _published(client), equations)
    assert problems == []


def test_complementary_suppression_holds_on_every_surface(make_user, territory):
    # Shu 3 (hidden), Korday 6 (hidden too, or Shu = region - Korday - Merke), Merke 7 (shown).
    instrument = _seed(
        territory,
        [(KORDAY_VILLAGE, 2023, "student", 6), (SHU_OKRUG, 2023, "elder", 3), (MERKE, 2023, "worker", 7)],
    )
    client = Client()
    client.force_login(make_user("regional_coordinator", ZHAMBYL))
    hidden = [KORDAY, SHU, territory(KORDAY).name, territory(SHU).name]
    surfaces = {
        "page": _main(client.get(f"/surveys/{instrument.pk}/analytics/", {"group_by": "district"})),
        "korday page": _main(client.get(f"/surveys/{instrument.pk}/analytics/", {"territory": KORDAY}))
        .replace(f'value="{KORDAY}"', "")  # the filter, as typed
        .replace(f"territory={KORDAY}", ""),
        "aggregates csv": client.get(f"/surveys/{instrument.pk}/aggregates.csv").content.decode("utf-8-sig"),
        "indices api": json.dumps(_indices(client, group_by="district"), ensure_ascii=False),
        "korday api": json.dumps(_indices(client, group_by="all", territory=KORDAY), ensure_ascii=False),
    }
    xlsx = client.get(f"/surveys/{instrument.pk}/aggregates.xlsx")
    surfaces["aggregates xlsx"] = json.dumps(
        list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)), ensure_ascii=False
    )
    for name, text in surfaces.items():
        for word in hidden:
            assert word not in text, (name, word)
        for n in ("n=3", "n = 3", "n=6", "n = 6", '"n": 6', '"n": 3'):
            assert n not in text, (name, n)
    assert territory(MERKE).name in surfaces["page"] and "n=7" in surfaces["page"]  # the chart
    assert [r["n"] for r in _indices(client, group_by="district")] == [7]
    assert [r["n"] for r in _indices(client, group_by="all")] == [16]
    assert _indices(client, group_by="all", territory=KORDAY) == []


def test_the_api_refuses_filters_finer_than_the_tables(make_user, territory):
    _seed(territory, PLAN)
    client = Client()
    client.force_login(make_user("regional_coordinator", ZHAMBYL))
    okrug = client.get("/api/v1/indices/", {"instrument": "tolerance_index", "territory": SHU_OKRUG})
    assert okrug.status_code == 400 and "territory" in okrug.json()["error"]["fields"]
    days = client.get(
        "/api/v1/indices/",
        {"instrument": "tolerance_index", "date_from": "2022-05-01", "date_to": "2023-05-31"},
    )
    assert days.status_code == 400 and "date_to" in days.json()["error"]["fields"]
    assert _indices(client, group_by="all", year="2023")[0]["n"] == 17
