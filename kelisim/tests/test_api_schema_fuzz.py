"""Schemathesis over /api/schema/, bounded: zero server errors, zero responses that break the schema.

Driven by hand rather than through schemathesis' pytest plugin (which does not load under pytest 9):
for every GET operation, a few generated requests, each checked."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from kelisim.accounts.services import api_token_create


@pytest.fixture
def _connection_kept_across_requests():
    """What Django's own test client does: the real WSGI handler closes "old" connections at each
    request, and on PostgreSQL that closes the one holding the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_connection_kept_across_requests")
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
