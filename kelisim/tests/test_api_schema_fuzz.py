"""Schemathesis over /api/schema/, bounded: zero server errors, zero responses that break the schema.

Driven by hand rather than through schemathesis' pytest plugin (which does not load under pytest 9):
for every GET operation, a few generated requests, each checked."""

import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from kelisim.accounts.services import api_token_create


def test_get_operations_never_fail_on_the_server_and_keep_to_the_schema(seed_visit, make_user):
    _token, key = api_token_create(user=make_user("regional_coordinator", "310000000"), name="fuzz")
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    tried = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != "GET":
            continue

        @settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def check(case):  # type: ignore[no-untyped-def]
            response = case.call(headers={"Authorization": f"Token {key}"})
            case.validate_response(response, checks=(not_a_server_error, response_schema_conformance))

        check()
        tried.append(operation.label)
    assert len(tried) >= 15, tried
