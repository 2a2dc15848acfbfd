"""Schemathesis over /api/schema/: every operation, schema-valid and schema-breaking requests, three
checks on each answer: no server error, a status the operation documents, a body that matches the
schema documented for that status (the error envelope included).

Driven by hand rather than through schemathesis' pytest plugin (which does not load under pytest 9).
Each operation gets up to four streams of KELISIM_FUZZ_EXAMPLES cases (3 by default; `make
conformance` runs 100): schema-valid, schema-breaking, schema-valid with real references from the
demo in its body, and schema-valid addressed to a record that exists. Writes go to the test database, as a regional
coordinator with an API token on the demo data; the rows they make are rolled back with the test."""

import os
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance
from werkzeug.test import Client

from kelisim.accounts.models import Department
from kelisim.accounts.services import api_token_create
from kelisim.events.models import Event
from kelisim.programs.models import Visit

EXAMPLES = int(os.environ.get("KELISIM_FUZZ_EXAMPLES", "3"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def _connection_kept_across_requests():
    """What Django's own test client does: the real WSGI handler closes "old" connections at each
    request, and on PostgreSQL that closes the one holding the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _documented(raw: dict) -> list[str]:  # type: ignore[type-arg]
    return sorted(
        f"{method.upper()} {path}"
        for path, item in raw["paths"].items()
        for method in item
        if method in METHODS
    )


def _references(visit: Visit) -> dict[str, Any]:
    """Records of the demo in the coordinator's scope, by the names request bodies give them: a
    body generated with these gets past the lookups, so writes answer 2xx and their bodies are
    checked too, not only their 400s."""
    event = Event.objects.filter(visit=visit).first()
    assert event is not None
    return {
        "territory": "314800000",  # Korday district, where the demo's visit is
        "district": "314800000",
        "department": Department.objects.filter(territory__code__startswith="31").order_by("pk").first().pk,  # type: ignore[union-attr]
        "program": visit.edition.program_id,
        "year": visit.date_start.year,
        "visit": visit.pk,
        "event": event.pk,
        "format": event.format.code,
        "topics": [],
        "category": None,
        "lead_executor": None,
        "moderator": None,
        "venue": None,
        "head": None,
    }


def _with_references(case: Any, references: dict[str, Any]) -> Any:
    if isinstance(case.body, dict):
        case.body.update({name: value for name, value in references.items() if name in case.body})
    return case


def _first_id(client: Client, key: str, path: str) -> dict[str, Any] | None:
    """The path parameter of the first record the collection above `path` lists, if any. Asked
    through the WSGI application, as Schemathesis asks: Django's test client would put back the
    close_old_connections the fixture takes away."""
    name = path.rsplit("{", 1)[1].split("}", 1)[0]
    collection = path.split("{", 1)[0]
    rows = client.get(collection, headers={"Authorization": f"Token {key}"}).json.get("results", [])
    return {name: rows[0][name if name in rows[0] else "id"]} if rows else None


@pytest.mark.usefixtures("_connection_kept_across_requests")
def test_every_operation_keeps_to_its_documented_statuses_and_bodies(seed_visit, make_user):
    _token, key = api_token_create(user=make_user("regional_coordinator", "310000000"), name="fuzz")
    application = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    references = _references(seed_visit)
    client = Client(application)
    tried: dict[str, set[str]] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        declared = schema.raw_schema["paths"][operation.path][operation.method.lower()]
        strategies = [operation.as_strategy()]
        # Nothing to break in a request that takes no input (GET /me/): no negative cases there.
        if declared.get("parameters") or declared.get("requestBody"):
            strategies.append(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
        if declared.get("requestBody"):
            strategies.append(operation.as_strategy().map(lambda case: _with_references(case, references)))
        # A record that exists, read just before (a DELETE may have removed the last one).
        existing = _first_id(client, key, operation.path) if "{" in operation.path else None
        if existing:
            strategies.append(
                operation.as_strategy(path_parameters=existing).map(
                    lambda case: _with_references(case, references)
                )
            )
        for strategy in strategies:

            @settings(
                max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
            )
            @given(case=strategy)
            def check(case):  # type: ignore[no-untyped-def]
                response = case.call(headers={"Authorization": f"Token {key}"})
                case.validate_response(response, checks=CHECKS)
                tried.setdefault(case.operation.label, set()).add(str(response.status_code))

            check()

    print("\n".join(f"{label}: {', '.join(sorted(codes))}" for label, codes in sorted(tried.items())))
    # Every documented operation was called: none was skipped because it could not be generated.
    assert sorted(tried) == _documented(schema.raw_schema)
    assert len(tried) >= 60
