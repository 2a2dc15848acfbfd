"""Every page and endpoint of the foundation against five kinds of caller.

For each surface: anonymous; signed in without the capability; holding it in another territory
(Shu); in this territory (Korday); in the parent territory (Zhambyl region). Allowed callers see or
change the Korday record; everyone else gets the same answer as for a missing record, and a
denied write leaves the database exactly as it was.

Writes that link records are here too: each writable relation (territory, department, visit,
venue, officials, program, head of an organization, lead executor, duplicate to merge) is given
a Korday record. Korday's and the region's callers link it; a Shu caller is refused, and learns
nothing of it.
"""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

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
    json: bool = False  # a page's JSON endpoint: the body is JSON, the session signs it in
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
        "visit public page switch",
        "post",
        "/visits/{visit}/public/",
        "district_coordinator",
        "specialist",
        data={"public": "on"},
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
        "pre-registration to the queue",
        "post",
        "/preregistrations/{preregistration}/admit/",
        "district_coordinator",
        "analyst",
        ok=302,
        writes=True,
    ),
    Surface(
        "pre-registration removal",
        "post",
        "/preregistrations/{preregistration}/remove/",
        "district_coordinator",
        "analyst",
        ok=302,
        writes=True,
    ),
    Surface(
        "offline desk sync",
        "post",
        "/receptions/offline-sync/",
        "district_coordinator",
        "analyst",
        json=True,
        data={
            "entries": [
                {
                    "client_id": "5b0f3c1e-8d6a-4c1e-9a57-2f4b7e0c9d11",
                    "session": "{reception}",
                    "made_at": "2000-01-01T00:00:00+05:00",
                    "fields": {
                        "name": "Жаңа келуші",
                        "question": "Сұрақ",
                        "department": "{pk}",
                        "consent_given": "on",
                    },
                }
            ]
        },
        marker='"accepted"',
        writes=True,
        denied=frozenset({200}),
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
    # Writes that link Korday's records: every writable relation of the API and the pages. A record
    # of the caller's own territory ("{home}": Shu for the Shu caller, else Korday) links Korday's
    # records, so that only the link can be refused.
    Surface(
        "API event create with links",
        "post",
        "/api/v1/events/",
        "district_coordinator",
        "analyst",
        api=True,
        data={
            "format": "meeting",
            "title_kk": "Байланысты іс-шара",
            "start": "2023-06-01T15:00:00+05:00",
            "end": "2023-06-01T16:00:00+05:00",
            "territory": "{home}",
            "venue": "{org}",
            "topics": ["family_values"],
            "audiences": [{"category": "youth", "count": 10}],
            "officials": [{"person": "{person}", "role": "speaker"}],
        },
        ok=201,
        writes=True,
        denied=frozenset({400, 404}),
    ),
    Surface(
        "API event create in a visit",
        "post",
        "/api/v1/events/",
        "district_coordinator",
        "analyst",
        api=True,
        data={
            "format": "meeting",
            "title_kk": "Сапар іс-шарасы",
            "start": "2023-06-01T15:00:00+05:00",
            "end": "2023-06-01T16:00:00+05:00",
            "territory": "{home}",
            "visit": "{visit}",
        },
        ok=201,
        writes=True,
        denied=frozenset({400, 404}),
    ),
    Surface(
        "API event update links",
        "patch",
        "/api/v1/events/{event}/",
        "district_coordinator",
        "analyst",
        api=True,
        data={"venue": "{org}", "officials": [{"person": "{person}"}]},
        writes=True,
    ),
    Surface(
        "API program create",
        "post",
        "/api/v1/programs/",
        "district_coordinator",
        "specialist",
        api=True,
        data={
            "name_kk": "Аудан бағдарламасы",
            "name_ru": "Программа района",
            "started": 2023,
            "territory": KORDAY,
        },
        ok=201,
        writes=True,
        denied=frozenset({400, 404}),
    ),
    Surface(
        "API visit create with program",
        "post",
        "/api/v1/visits/",
        "district_coordinator",
        "specialist",
        api=True,
        data={
            "program": "{korday_program}",
            "territory": "{home}",
            "date_start": "2023-09-01",
            "date_end": "2023-09-02",
        },
        ok=201,
        writes=True,
        denied=frozenset({400, 404}),
    ),
    Surface(
        "API organization create with head",
        "post",
        "/api/v1/organizations/",
        "district_coordinator",
        "specialist",
        api=True,
        data={"type": "library", "name_kk": "Жаңа кітапхана", "territory": "{home}", "head": "{person}"},
        ok=201,
        writes=True,
        denied=frozenset({400, 404}),
    ),
    Surface(
        "API person create",
        "post",
        "/api/v1/people/",
        "district_coordinator",
        "specialist",
        api=True,
        data={"full_name": "Жаңа Адам", "kind": "official", "territory": KORDAY},
        ok=201,
        writes=True,
        denied=frozenset({400, 404}),
    ),
    Surface(
        "API reception create with links",
        "post",
        "/api/v1/receptions/",
        "district_coordinator",
        "analyst",
        api=True,
        data={
            "visit": "{visit}",
            "department": "{pk}",
            "territory": "{home}",
            "place": "Мәдениет үйі",
            "start": "2023-06-02T10:00:00+05:00",
            "end": "2023-06-02T12:00:00+05:00",
        },
        ok=201,
        writes=True,
        denied=frozenset({400, 404}),
    ),
    Surface(
        "API appeal create with links",
        "post",
        "/api/v1/appeals/",
        "district_coordinator",
        "analyst",
        api=True,
        data={
            "type": "statement",
            "channel": "written",
            "applicant_name": "Жаңа өтініш беруші",
            "territory": "{home}",
            "department": "{pk}",
            "category": "land",
            "text": "Мәтін",
            "received_on": "2023-06-05",
            "lead_executor": "{executor}",
        },
        ok=201,
        writes=True,
        denied=frozenset({400, 404}),
    ),
    Surface(
        "API appeal assign",
        "post",
        "/api/v1/appeals/{appeal}/transition/",
        "district_coordinator",
        "analyst",
        api=True,
        data={"action": "assign", "version": 1, "lead_executor": "{executor}"},
        writes=True,
    ),
    Surface(
        "event create page with links",
        "post",
        "/events/new/",
        "district_coordinator",
        "analyst",
        data={
            "format": "{format}",
            "title_kk": "Байланысты іс-шара",
            "start": "2023-06-01T15:00",
            "end": "2023-06-01T16:00",
            "territory": "{home}",
            "venue": "{org}",
        },
        ok=302,
        writes=True,
        denied=frozenset({200, 404}),
    ),
    Surface(
        "visit create page",
        "post",
        "/visits/new/",
        "district_coordinator",
        "specialist",
        data={
            "program": "{korday_program}",
            "territory": "{home}",
            "date_start": "2023-09-01",
            "date_end": "2023-09-02",
        },
        ok=302,
        writes=True,
        denied=frozenset({200, 404}),
    ),
    Surface(
        "reception create page",
        "post",
        "/receptions/new/",
        "district_coordinator",
        "analyst",
        data={
            "department": "{pk}",
            "territory": "{home}",
            "place": "Мәдениет үйі",
            "start": "2023-06-02T10:00",
            "end": "2023-06-02T12:00",
        },
        ok=302,
        writes=True,
        denied=frozenset({200, 404}),
    ),
    Surface(
        "appeal create page",
        "post",
        "/appeals/new/",
        "district_coordinator",
        "analyst",
        data={
            "type": "statement",
            "channel": "written",
            "applicant_kind": "person",
            "applicant_name": "Жаңа өтініш беруші",
            "territory": "{home}",
            "department": "{pk}",
            "text": "Мәтін",
            "received_on": "2023-06-05",
            "lead_executor": "{executor}",
        },
        ok=302,
        writes=True,
        denied=frozenset({200, 404}),
    ),
    Surface(
        "appeal assign page",
        "post",
        "/appeals/{appeal}/assign/",
        "district_coordinator",
        "analyst",
        data={"version": "1", "lead_executor": "{executor}"},
        ok=302,
        writes=True,
    ),
    Surface(
        "organization create page",
        "post",
        "/registry/organizations/new/",
        "district_coordinator",
        "specialist",
        data={"type": "library", "name_kk": "Жаңа кітапхана", "territory": KORDAY},
        ok=302,
        writes=True,
        denied=frozenset({200, 404}),
    ),
    Surface(
        "focus group page",
        "get",
        "/focus-groups/{focus_group}/",
        "district_coordinator",
        "viewer",
        marker="Матрица фокус-тобының қорытындысы",
    ),
    Surface(
        "focus group record page",
        "post",
        "/visits/{visit}/focus-groups/new/",
        "district_coordinator",
        "press_officer",
        data={"event": "{event}", "held_on": "2023-06-01", "territory": "{home}", "finding_1_theme": "sport"},
        ok=302,
        writes=True,
    ),
    Surface(
        "API focus group create",
        "post",
        "/api/v1/focus-groups/",
        "district_coordinator",
        "press_officer",
        api=True,
        data={
            "event": "{event}",
            "held_on": "2023-06-01",
            "territory": "{home}",
            "composition": {"gender": {"female": 6}},
            "findings": [{"theme": "land", "tension_signal": True, "severity": "low"}],
        },
        ok=201,
        writes=True,
        denied=frozenset({400, 404}),
    ),
    Surface(
        "API focus group delete",
        "delete",
        "/api/v1/focus-groups/{focus_group}/",
        "district_coordinator",
        "press_officer",
        api=True,
        ok=204,
        writes=True,
    ),
    Surface(
        "person merge page",
        "post",
        "/registry/people/{person}/",
        "district_coordinator",
        "viewer",
        data={"duplicate": "{twin}"},
        ok=302,
        writes=True,
    ),
    # Administration: an account is the manager's when one of its roles lies in their scope
    Surface(
        "user page",
        "get",
        "/manage/users/{executor}/",
        "regional_coordinator",
        "district_coordinator",
        marker="matrix.executor",
    ),
    Surface(
        "grant a role",
        "post",
        "/manage/users/{executor}/",
        "regional_coordinator",
        "district_coordinator",
        data={"action": "grant", "role": "viewer", "territory": KORDAY},
        ok=302,
        writes=True,
    ),
    Surface(
        "department removal",
        "post",
        "/departments/{pk}/remove/",
        "district_coordinator",
        "specialist",
        ok=302,  # refused by the service: records refer to it
    ),
]


def _snapshot() -> dict[str, Any]:
    """Every row of every table of the project's apps (the audit log: its writes)."""
    from django.apps import apps

    rows: dict[str, Any] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("kelisim."):
            continue
        queryset = model._default_manager.order_by("pk")
        if model is AuditEntry:
            queryset = queryset.filter(kind="write")
        columns = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        rows[model._meta.label_lower] = list(queryset.values_list(*columns))
    return rows


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
    twin = Person.objects.create(full_name="Матрица Адамы екінші жазба", territory=korday)
    korday_program = Program.objects.create(
        name_kk="Матрица бағдарламасы", name_ru="Программа района", started=2021, territory=korday
    )
    from kelisim.search.indexing import rebuild

    rebuild()
    from kelisim.accounts.models import User
    from kelisim.appeals import services as appeal_services
    from kelisim.appeals.models import ConsentText, PreRegistration, ReceptionSession, Visitor

    admin = User.objects.create_superuser("matrix-admin", password="x-pass-word-1")
    from kelisim.accounts.models import Role
    from kelisim.accounts.services import membership_grant

    executor = User.objects.create_user("matrix.executor", first_name="Матрица", last_name="Орындаушысы")
    membership_grant(actor=None, user=executor, role=Role.objects.get(code="specialist"), territory=korday)
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
    preregistration = PreRegistration.objects.create(
        session=reception,
        name="Матрица Жазылушы",
        phone="+7 700 000 00 01",
        topic="Матрица тақырыбы",
        consent=ConsentText.objects.filter(is_active=True).get(),
        consent_at=at,
    )
    from kelisim.surveys.services import focus_group_record

    focus_group = focus_group_record(
        actor=None,
        event=event,
        composition={"gender": {"female": 6}},
        summary_kk="Матрица фокус-тобының қорытындысы",
    )
    return {
        "focus_group": focus_group.pk,
        "pk": korday_department.pk,
        "event": event.pk,
        "visit": visit.pk,
        "org": org.pk,
        "person": person.pk,
        "appeal": appeal.pk,
        "number": appeal.number,
        "code": appeal.public_code,
        "preregistration": preregistration.pk,
        "reception": reception.pk,
        "program": program.pk,
        "korday_program": korday_program.pk,
        "twin": twin.pk,
        "executor": executor.pk,
        "format": event.format_id,
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


def _fill(value: Any, keys: dict[str, Any]) -> Any:
    """The surface's data with the Korday records' keys in place, nested lists and objects too."""
    if isinstance(value, str):
        return value.format(**keys)
    if isinstance(value, list):
        return [_fill(v, keys) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, keys) for k, v in value.items()}
    return value


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
    # The caller's own territory, where a record linking Korday's may be written.
    keys = {**korday_records, "home": SHU if persona == "other_territory" else KORDAY}
    kwargs: dict[str, Any] = {"data": _fill(surface.data, keys)}
    if (surface.api or surface.json) and surface.method != "get":
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
        "Матрица Жазылушы",
        "Матрица Орындаушысы",
        "matrix.executor",
        "Матрица Адамы екінші жазба",
        "Матрица бағдарламасы",
        korday_records["number"],
        f"/events/{korday_records['event']}/",
        f"/registry/organizations/{korday_records['org']}/",
        f"/registry/people/{korday_records['person']}/",
        f"/appeals/{korday_records['appeal']}/",
    ):
        assert secret not in body
    assert _snapshot() == before


# Public pages: the same answer for everyone, signed in or not, and nothing restricted or personal.
# The Korday visit's page is opened by its coordinator; a restricted event and one with a sensitive
# audience are added to it and must never show.

PUBLIC_SURFACES = [
    ("public visit page", "get", "/p/{slug}/", {}, 200, "Матрица іс-шарасы"),
    ("public visit calendar", "get", "/p/{slug}/calendar.ics", {}, 200, "event-{event}@"),
    ("public visit poster", "get", "/p/{slug}/poster/", {}, 200, "/p/{slug}/"),
    ("public sign-up form", "get", "/p/{slug}/receptions/{public_reception}/", {}, 200, "Матрица қабылдауы"),
    ("status lookup form", "get", "/status/", {}, 200, 'name="code"'),
    ("status lookup", "post", "/status/", {"number": "{number}", "code": "{code}"}, 200, "{due}"),
    ("status lookup, wrong code", "post", "/status/", {"number": "{number}", "code": "WRONG"}, 200, ""),
    ("closed visit page", "get", "/p/{visit}/", {}, 404, ""),
]
PUBLIC_SECRETS = (
    "Матрица жабық іс-шарасы",
    "Матрица пробация кездесуі",
    "Матрица Өтініш беруші",
    "Матрица мәтіні",
    "Матрица Келуші",
    "Матрица Жазылушы",
    "Матрица Адамы",
    "matrix.executor",
)
# The status lookup names no department either (the visit's page does: who receives, who organizes).
STATUS_SECRETS = ("Қордай ауданының мәдениет бөлімі",)


@pytest.fixture
def public_records(korday_records, territory, korday_department) -> dict[str, Any]:
    from datetime import timedelta

    from django.utils import timezone

    from kelisim.accounts.models import User
    from kelisim.appeals.models import ReceptionSession
    from kelisim.events.models import AudienceCategory, EventAudience
    from kelisim.programs.services import visit_set_public

    visit = Visit.objects.get(pk=korday_records["visit"])
    open_event = Event.objects.get(pk=korday_records["event"])
    for title, restricted in (("Матрица жабық іс-шарасы", True), ("Матрица пробация кездесуі", False)):
        hidden = Event.objects.create(
            visit=visit,
            format=open_event.format,
            start=open_event.start,
            end=open_event.end,
            title_kk=title,
            territory=open_event.territory,
            restricted=restricted,
        )
        if not restricted:
            EventAudience.objects.create(
                event=hidden, category=AudienceCategory.objects.get(code="probation")
            )
    later = timezone.now() + timedelta(days=3)
    other = territory(KORDAY).children.order_by("code").first()
    reception = ReceptionSession.objects.create(
        visit=visit,
        department=korday_department,
        territory=other or territory(KORDAY),
        place="Матрица қабылдауы",
        start=later,
        end=later + timedelta(hours=2),
    )
    admin = User.objects.get(username="matrix-admin")
    visit = visit_set_public(actor=admin, visit=visit, public=True)
    from kelisim.appeals.models import Appeal

    due = Appeal.objects.get(pk=korday_records["appeal"]).due_date
    from django.utils.formats import date_format
    from django.utils.translation import override

    with override("kk"):
        shown_due = date_format(due, "DATE_FORMAT")
    closed = Visit.objects.create(
        edition=visit.edition, territory=visit.territory, date_start=visit.date_start, date_end=visit.date_end
    )
    return {
        **korday_records,
        "slug": visit.public_slug,
        "public_reception": reception.pk,
        "due": shown_due,
        "visit": closed.pk,
    }


def _public_body(response: Any) -> str:
    import re

    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return re.sub(r"DTSTAMP:\S+", "", body)  # the calendar's time of writing


@pytest.mark.parametrize("surface", PUBLIC_SURFACES, ids=lambda s: s[0])
def test_public_access(surface, make_user, public_records):
    """Every persona, anonymous first, gets the same public answer; nothing restricted or personal."""
    _name, method, url, data, ok, marker = surface
    url = url.format(**public_records)
    data = _fill(data, public_records)
    marker = marker.format(**public_records)
    clients = {
        persona: _caller(persona, Surface(_name, method, url, "district_coordinator", "viewer"), make_user)
        for persona in PERSONAS
    }
    before = _snapshot()
    bodies = {}
    for persona, client in clients.items():
        response = getattr(client, method)(url, data=data)
        body = _public_body(response)
        assert response.status_code == ok, (persona, body[:300])
        if marker:
            assert marker in body, persona
        for secret in PUBLIC_SECRETS + (STATUS_SECRETS if url == "/status/" else ()):
            assert secret not in body, (persona, secret)
        bodies[persona] = body
    if ok == 200:  # (the 404 page is the app's own, with the signed-in user's menu)
        assert len(set(bodies.values())) == 1, "a signed-in caller saw another public answer"
    after = _snapshot()
    # Only the throttle's counters change (a wrong code counts); nothing of the project's records.
    for table in after:
        if table != "public.attempt":
            assert after[table] == before[table], table
