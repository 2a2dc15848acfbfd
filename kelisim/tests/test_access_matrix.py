"""Every page and endpoint of the foundation against five kinds of caller.

For each surface: anonymous; signed in without the capability; holding it in another territory
(Shu); in this territory (Korday); in the parent territory (Zhambyl region). Allowed callers see or
change the Korday record; everyone else gets the same answer as for a missing record, and a
denied write leaves the database exactly as it was.
"""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from kelisim.accounts.models import Department
from kelisim.core.audit import audit_record
from kelisim.core.models import AuditEntry
from kelisim.events.models import Event
from kelisim.programs.models import Visit
from kelisim.registry.models import Organization, Person

KORDAY, SHU, ZHAMBYL = "314800000", "316600000", "310000000"
PERSONAS = ["anonymous", "no_capability", "other_territory", "this_territory", "parent_territory"]
ALLOWED = {"this_territory", "parent_territory"}


@dataclass
class Surface:
    name: str
    method: str
    url: str  # formatted with the Korday records' keys: {pk} (department), {event}, {visit}, {org}, {person}
    role: str  # a role holding the capability
    weak_role: str  # a role on this territory that lacks it
    api: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    ok: int = 200
    marker: str = ""  # text that only an allowed caller's answer holds (formatted like the url)
    writes: bool = False
    denied: frozenset[int] = frozenset({404})


FORM = {
    "name_kk": "Жаңа атау",
    "name_ru": "Новое название",
    "name_en": "",
    "kind": "division",
    "sector": "culture",
    "code": "new_code",
    "territory": KORDAY,
    "is_active": "on",
}
SURFACES = [
    Surface("workspace page", "get", f"/t/{KORDAY}/", "viewer", "", marker="Қордай ауданы"),
    Surface(
        "department list page",
        "get",
        "/departments/",
        "district_coordinator",
        "viewer",
        marker="/departments/{pk}/",
        denied=frozenset({200, 404}),
    ),
    Surface(
        "department page",
        "get",
        "/departments/{pk}/",
        "district_coordinator",
        "viewer",
        marker="Қордай ауданының мәдениет бөлімі",
    ),
    Surface(
        "department edit form",
        "get",
        "/departments/{pk}/edit/",
        "district_coordinator",
        "specialist",
        marker="Қордай ауданының мәдениет бөлімі",
    ),
    Surface(
        "department edit",
        "post",
        "/departments/{pk}/edit/",
        "district_coordinator",
        "specialist",
        data=FORM,
        ok=302,
        writes=True,
    ),
    Surface(
        "department create",
        "post",
        "/departments/new/",
        "district_coordinator",
        "specialist",
        data={**FORM, "code": "created"},
        ok=302,
        writes=True,
        denied=frozenset({200, 404}),
    ),
    Surface(
        "audit page",
        "get",
        "/audit/?object_type=accounts.department",
        "regional_coordinator",
        "district_coordinator",
        marker="<td>{pk}</td>",
        denied=frozenset({200, 404}),
    ),
    Surface(
        "API department list",
        "get",
        "/api/v1/departments/",
        "district_coordinator",
        "viewer",
        api=True,
        marker='"id":{pk},',
        denied=frozenset({200}),
    ),
    Surface(
        "API department",
        "get",
        "/api/v1/departments/{pk}/",
        "district_coordinator",
        "viewer",
        api=True,
        marker='"id":{pk},',
    ),
    Surface(
        "API department update",
        "patch",
        "/api/v1/departments/{pk}/",
        "district_coordinator",
        "specialist",
        api=True,
        data={"name_kk": "Жаңа атау"},
        writes=True,
    ),
    Surface(
        "API department create",
        "post",
        "/api/v1/departments/",
        "district_coordinator",
        "specialist",
        api=True,
        data={**FORM, "code": "created", "is_active": True},
        ok=201,
        writes=True,
        denied=frozenset({400, 404}),
    ),
    # Visits and events
    Surface(
        "visit page", "get", "/visits/{visit}/", "district_coordinator", "viewer", marker="Матрица іс-шарасы"
    ),
    Surface(
        "visit list page",
        "get",
        "/visits/",
        "district_coordinator",
        "viewer",
        marker="/visits/{visit}/",
        denied=frozenset({200, 404}),
    ),
    Surface(
        "visit edit form",
        "get",
        "/visits/{visit}/edit/",
        "district_coordinator",
        "specialist",
        marker="2023-06-01",
    ),
    Surface(
        "visit status",
        "post",
        "/visits/{visit}/status/",
        "district_coordinator",
        "specialist",
        data={"status": "in_progress"},
        ok=302,
        writes=True,
    ),
    Surface(
        "event page", "get", "/events/{event}/", "district_coordinator", "viewer", marker="Матрица іс-шарасы"
    ),
    Surface(
        "event edit form",
        "get",
        "/events/{event}/edit/",
        "district_coordinator",
        "analyst",
        marker="Матрица іс-шарасы",
    ),
    Surface(
        "calendar",
        "get",
        "/calendar/?view=list&day=2023-06-01",
        "district_coordinator",
        "viewer",
        marker="Матрица іс-шарасы",
        denied=frozenset({200, 404}),
    ),
    Surface(
        "events CSV",
        "get",
        "/calendar/export.csv",
        "district_coordinator",
        "viewer",
        marker="Матрица іс-шарасы",
        denied=frozenset({200, 404}),
    ),
    Surface(
        "visit iCalendar",
        "get",
        "/api/v1/visits/{visit}/calendar.ics",
        "district_coordinator",
        "viewer",
        api=True,
        marker="event-{event}@",
    ),
    Surface(
        "API visit list",
        "get",
        "/api/v1/visits/",
        "district_coordinator",
        "viewer",
        api=True,
        marker='"id":{visit},',
        denied=frozenset({200}),
    ),
    Surface(
        "API visit update",
        "patch",
        "/api/v1/visits/{visit}/",
        "district_coordinator",
        "specialist",
        api=True,
        data={"goals_kk": "Жаңа мақсат"},
        writes=True,
    ),
    Surface(
        "API event list",
        "get",
        "/api/v1/events/",
        "district_coordinator",
        "viewer",
        api=True,
        marker='"id":{event},',
        denied=frozenset({200}),
    ),
    Surface(
        "API event",
        "get",
        "/api/v1/events/{event}/",
        "district_coordinator",
        "viewer",
        api=True,
        marker="Матрица іс-шарасы",
    ),
    Surface(
        "API event update",
        "patch",
        "/api/v1/events/{event}/",
        "district_coordinator",
        "analyst",
        api=True,
        data={"title_kk": "Өзгерген"},
        writes=True,
    ),
    # Search, reports and press releases
    Surface(
        "search page",
        "get",
        "/search/?q=матрица",
        "district_coordinator",
        "viewer",
        marker='href="/events/{event}/"',
        denied=frozenset({200}),
    ),
    Surface(
        "API search",
        "get",
        "/api/v1/search/?q=матрица",
        "district_coordinator",
        "viewer",
        api=True,
        marker='"url":"/events/{event}/"',
        denied=frozenset({200}),
    ),
    Surface(
        "press release page", "get", "/visits/{visit}/press-release/", "press_officer", "", marker="2023"
    ),
    Surface(
        "visit report",
        "get",
        "/visits/{visit}/report.xlsx",
        "district_coordinator",
        "viewer",
        marker="Матрица іс-шарасы",
    ),
    Surface(
        "dashboard",
        "get",
        "/dashboard/?from=2023-01-01&to=2023-12-31",
        "district_coordinator",
        "",
        marker="Қордай ауданы",
        denied=frozenset({200, 404}),
    ),
    # Registries
    Surface(
        "organization page",
        "get",
        "/registry/organizations/{org}/",
        "district_coordinator",
        "viewer",
        marker="Матрица ұйымы",
    ),
    Surface(
        "person page",
        "get",
        "/registry/people/{person}/",
        "district_coordinator",
        "viewer",
        marker="Матрица Адамы",
    ),
    Surface(
        "API organization update",
        "patch",
        "/api/v1/organizations/{org}/",
        "district_coordinator",
        "specialist",
        api=True,
        data={"address": "Жаңа мекенжай"},
        writes=True,
    ),
    # Receptions and appeals
    Surface("appeal page", "get", "/appeals/{appeal}/", "district_coordinator", "viewer", marker="{number}"),
    Surface(
        "appeal list page",
        "get",
        "/appeals/",
        "district_coordinator",
        "viewer",
        marker="{number}",
        denied=frozenset({200, 404}),
    ),
    Surface(
        "appeal receipt",
        "get",
        "/appeals/{appeal}/receipt/",
        "district_coordinator",
        "viewer",
        marker="{number}",
    ),
    Surface(
        "appeal transition",
        "post",
        "/appeals/{appeal}/transition/",
        "district_coordinator",
        "analyst",
        data={"action": "redirect", "version": "1", "to": "Прокуратура"},
        ok=302,
        writes=True,
    ),
    Surface(
        "appeals export",
        "get",
        "/appeals/export.xlsx",
        "district_coordinator",
        "specialist",
        marker="{number}",
        denied=frozenset({200, 404}),
    ),
    Surface(
        "reception desk",
        "get",
        "/receptions/{reception}/",
        "district_coordinator",
        "viewer",
        marker="Матрица сұрағы",
    ),
    Surface(
        "reception visitor",
        "post",
        "/receptions/{reception}/",
        "district_coordinator",
        "analyst",
        data={"name": "Жаңа келуші", "question": "Сұрақ", "department": "{pk}", "consent_given": "on"},
        ok=302,
        writes=True,
    ),
    Surface(
        "API appeal",
        "get",
        "/api/v1/appeals/{appeal}/",
        "district_coordinator",
        "viewer",
        api=True,
        marker="{number}",
    ),
    Surface(
        "API appeal list",
        "get",
        "/api/v1/appeals/",
        "district_coordinator",
        "viewer",
        api=True,
        marker="{number}",
        denied=frozenset({200}),
    ),
    Surface(
        "API appeal transition",
        "post",
        "/api/v1/appeals/{appeal}/transition/",
        "district_coordinator",
        "analyst",
        api=True,
        data={"action": "redirect", "version": 1, "to": "Прокуратура"},
        writes=True,
    ),
    Surface(
        "API person",
        "get",
        "/api/v1/people/{person}/",
        "district_coordinator",
        "viewer",
        api=True,
        marker="Матрица Адамы",
    ),
]


def _snapshot() -> tuple[Any, ...]:
    from kelisim.appeals.models import Appeal, Visitor

    return (
        list(Appeal.objects.order_by("pk").values_list("pk", "status", "version")),
        Visitor.objects.count(),
        list(Department.objects.order_by("pk").values_list("pk", "code", "name_kk", "territory_id")),
        list(Event.objects.order_by("pk").values_list("pk", "title_kk", "version")),
        list(Visit.objects.order_by("pk").values_list("pk", "status", "goals_kk")),
        list(Organization.objects.order_by("pk").values_list("pk", "address")),
        AuditEntry.objects.filter(kind="write").count(),
    )


@pytest.fixture
def korday_records(korday_department, territory) -> dict[str, int]:
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from kelisim.events.models import EventFormat
    from kelisim.programs.models import Edition, Program

    korday, region = territory(KORDAY), territory(ZHAMBYL)
    program = Program.objects.create(
        name_kk="Бағдарлама", name_ru="Программа", started=2020, territory=region
    )
    visit = Visit.objects.create(
        edition=Edition.objects.create(program=program, year=2023),
        territory=korday,
        date_start=date(2023, 6, 1),
        date_end=date(2023, 6, 2),
    )
    at = datetime(2023, 6, 1, 10, tzinfo=ZoneInfo("Asia/Almaty"))
    event = Event.objects.create(
        visit=visit,
        format=EventFormat.objects.get(code="meeting"),
        start=at,
        end=at,
        title_kk="Матрица іс-шарасы",
        territory=korday,
    )
    org = Organization.objects.create(type="library", name_kk="Матрица ұйымы", territory=korday)
    person = Person.objects.create(full_name="Матрица Адамы", territory=korday)
    from kelisim.search.indexing import rebuild

    rebuild()
    from kelisim.accounts.models import User
    from kelisim.appeals import services as appeal_services
    from kelisim.appeals.models import ReceptionSession, Visitor

    admin = User.objects.create_superuser("matrix-admin", password="x-pass-word-1")
    appeal = appeal_services.appeal_register(
        actor=admin,
        type="statement",
        channel="written",
        applicant_name="Матрица Өтініш беруші",
        territory=korday,
        department=korday_department,
        text="Матрица мәтіні",
        received_on=date(2023, 6, 1),
    )
    reception = ReceptionSession.objects.create(
        department=korday_department, territory=korday, place="Әкімдік", start=at, end=at
    )
    Visitor.objects.create(
        session=reception, name="Матрица Келуші", department=korday_department, question="Матрица сұрағы"
    )
    return {
        "pk": korday_department.pk,
        "event": event.pk,
        "visit": visit.pk,
        "org": org.pk,
        "person": person.pk,
        "appeal": appeal.pk,
        "number": appeal.number,
        "reception": reception.pk,
    }


def _text(response: Any) -> str:
    """The answer as text; a spreadsheet is read back cell by cell, so its contents count too."""
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content)).active
        return "\n".join(
            " ".join(str(v) for v in row if v is not None) for row in sheet.iter_rows(values_only=True)
        )
    return response.content.decode()


def _caller(persona: str, surface: Surface, make_user) -> Client:
    client = Client()
    if persona == "anonymous":
        return client
    role, code = {
        "no_capability": (surface.weak_role or None, KORDAY),
        "other_territory": (surface.role, SHU),
        "this_territory": (surface.role, KORDAY),
        "parent_territory": (surface.role, ZHAMBYL),
    }[persona]
    if persona == "parent_territory" and surface.role == "district_coordinator":
        role = "regional_coordinator"
    client.force_login(make_user(role, code))
    return client


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
def test_access(surface: Surface, persona: str, make_user, korday_department, shu_department, korday_records):
    audit_record(
        actor=None,
        action="department.create",
        obj=korday_department,
        territory_path=korday_department.territory.path,
    )
    client = _caller(persona, surface, make_user)
    before = _snapshot()
    url = surface.url.format(**korday_records)
    kwargs: dict[str, Any] = {
        "data": {k: v.format(**korday_records) if isinstance(v, str) else v for k, v in surface.data.items()}
    }
    if surface.api and surface.method != "get":
        kwargs["content_type"] = "application/json"
    response = getattr(client, surface.method)(url, **kwargs)
    body = _text(response)
    marker = surface.marker.format(**korday_records)

    if persona in ALLOWED:
        assert response.status_code == surface.ok, body[:500]
        if marker:
            assert marker in body
        if surface.writes:
            assert _snapshot() != before
        return

    if persona == "anonymous":
        expected = 401 if surface.api else 302
        assert response.status_code == expected
        if not surface.api:
            assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code in surface.denied, body[:500]
        if surface.api and response.status_code == 404:
            assert response.json()["error"]["code"] == "not_found"
    if marker:
        assert marker not in body
    for secret in (
        "Қордай ауданының мәдениет бөлімі",
        "Матрица іс-шарасы",
        "Матрица ұйымы",
        "Матрица Адамы",
        "Матрица Өтініш беруші",
        "Матрица Келуші",
        korday_records["number"],
        f"/events/{korday_records['event']}/",
        f"/registry/organizations/{korday_records['org']}/",
        f"/registry/people/{korday_records['person']}/",
        f"/appeals/{korday_records['appeal']}/",
    ):
        assert secret not in body
    assert _snapshot() == before
