"""The dashboard's visits: only held visits are facts; a region total row; figures link to records.

Built from an empty database (the region's classifier and the roles), not from the demo."""

import re
from datetime import date

import pytest
from django.test import Client

from kelisim.programs import services
from kelisim.programs.models import Visit

ZHAMBYL, KORDAY, SHU = "310000000", "314800000", "316600000"
PERIOD = {"from": "2023-01-01", "to": "2023-12-31"}


@pytest.fixture
def coordinator(make_user):  # type: ignore[no-untyped-def]
    return make_user("regional_coordinator", ZHAMBYL)


@pytest.fixture
def edition(coordinator, territory):  # type: ignore[no-untyped-def]
    program = services.program_create(
        actor=coordinator,
        territory=territory(ZHAMBYL),
        name_kk="«Бейбітшілік пен келісім» жобасы",
        name_ru="Проект «Мир и согласие»",
        started=2023,
    )
    edition = services.edition_get_or_create(actor=coordinator, program=program, year=2023)
    for code in (KORDAY, SHU):
        services.visit_plan_set(actor=coordinator, edition=edition, district=territory(code), planned=1)
    return edition


def _plan(actor, edition, territory, code: str, start: date) -> Visit:  # type: ignore[no-untyped-def]
    return services.visit_create(
        actor=actor, edition=edition, territory=territory(code), date_start=start, date_end=start
    )


def _hold(actor, visit: Visit) -> None:  # type: ignore[no-untyped-def]
    services.visit_set_status(actor=actor, visit=visit, status=Visit.Status.IN_PROGRESS)
    services.visit_set_status(actor=actor, visit=visit, status=Visit.Status.COMPLETED)


def _dashboard(actor) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(actor)
    return client.get("/dashboard/", PERIOD).content.decode()


def _figure(html: str, figure_id: str) -> tuple[int, str]:
    found = re.search(rf'id="{figure_id}" href="([^"]+)"><strong>(\d+)</strong>', html)
    assert found, figure_id
    return int(found.group(2)), found.group(1).replace("&amp;", "&")


def _row(html: str, district: str) -> list[str]:
    row = re.search(rf"<tr><td>{district}</td>(.*?)</tr>", html, re.S)
    assert row, district
    return re.findall(r">(\d+)<", row.group(1))


def _total(html: str) -> list[str]:
    total = re.search(r'<tr class="total">(.*?)</tr>', html, re.S)
    assert total
    return re.findall(r">(\d+)<", total.group(1))


def test_a_planned_visit_is_not_counted_as_held_until_it_is_completed(coordinator, edition, territory):
    korday = _plan(coordinator, edition, territory, KORDAY, date(2023, 5, 10))
    _plan(coordinator, edition, territory, SHU, date(2023, 10, 3))

    html = _dashboard(coordinator)
    assert _figure(html, "visits-held")[0] == 0
    assert _figure(html, "visits-upcoming")[0] == 2
    assert _row(html, "Қордай ауданы") == ["1", "0", "1"]  # planned, held, not yet held
    assert _total(html) == ["2", "0", "2"]

    _hold(coordinator, korday)

    html = _dashboard(coordinator)
    assert _figure(html, "visits-held")[0] == 1
    assert _figure(html, "visits-upcoming")[0] == 1
    assert _row(html, "Қордай ауданы") == ["1", "1", "0"]
    assert _row(html, "Шу ауданы") == ["1", "0", "1"]
    assert _total(html) == ["2", "1", "1"]  # the region's total row


def test_the_held_figure_links_to_the_held_visits_of_its_period(coordinator, edition, territory):
    held = _plan(coordinator, edition, territory, KORDAY, date(2023, 5, 10))
    _hold(coordinator, held)
    planned = _plan(coordinator, edition, territory, SHU, date(2023, 10, 3))
    earlier = services.edition_get_or_create(actor=coordinator, program=edition.program, year=2022)
    _hold(
        coordinator, _plan(coordinator, earlier, territory, KORDAY, date(2022, 10, 3))
    )  # outside the period
    client = Client()
    client.force_login(coordinator)

    count, link = _figure(_dashboard(coordinator), "visits-held")
    listed = client.get(link).content.decode()
    assert count == 1 and f"/visits/{held.pk}/" in listed and f"/visits/{planned.pk}/" not in listed

    count, link = _figure(_dashboard(coordinator), "visits-upcoming")
    listed = client.get(link).content.decode()
    assert count == 1 and f"/visits/{planned.pk}/" in listed and f"/visits/{held.pk}/" not in listed
    assert len(re.findall(r'href="/visits/\d+/"', listed)) == count


def test_a_district_coordinator_sees_only_their_district_in_the_plan_and_the_figures(
    coordinator, edition, territory, make_user
):
    _hold(coordinator, _plan(coordinator, edition, territory, KORDAY, date(2023, 5, 10)))
    _plan(coordinator, edition, territory, SHU, date(2023, 10, 3))
    district = make_user("district_coordinator", KORDAY)

    html = _dashboard(district)
    assert _figure(html, "visits-held")[0] == 1 and _figure(html, "visits-upcoming")[0] == 0
    assert "Шу ауданы" not in html
    assert _total(html) == ["1", "1", "0"]
