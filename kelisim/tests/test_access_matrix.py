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

KORDAY, SHU, ZHAMBYL = "314800000", "316600000", "310000000"
PERSONAS = ["anonymous", "no_capability", "other_territory", "this_territory", "parent_territory"]
ALLOWED = {"this_territory", "parent_territory"}


@dataclass
class Surface:
    name: str
    method: str
    url: str  # formatted with {pk}
    role: str  # a role holding the capability
    weak_role: str  # a role on this territory that lacks it
    api: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    ok: int = 200
    marker: str = ""  # text that only an allowed caller's answer holds (formatted with {pk})
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
]


def _snapshot() -> tuple[list[tuple[Any, ...]], int]:
    rows = list(Department.objects.order_by("pk").values_list("pk", "code", "name_kk", "territory_id"))
    return rows, AuditEntry.objects.count()


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
def test_access(surface: Surface, persona: str, make_user, korday_department, shu_department):
    audit_record(
        actor=None,
        action="department.create",
        obj=korday_department,
        territory_path=korday_department.territory.path,
    )
    client = _caller(persona, surface, make_user)
    before = _snapshot()
    url = surface.url.format(pk=korday_department.pk)
    kwargs: dict[str, Any] = {"data": surface.data}
    if surface.api and surface.method != "get":
        kwargs["content_type"] = "application/json"
    response = getattr(client, surface.method)(url, **kwargs)
    body = response.content.decode()
    marker = surface.marker.format(pk=korday_department.pk)

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
    assert "Қордай ауданының мәдениет бөлімі" not in body or surface.name == "workspace page"
    assert _snapshot() == before
