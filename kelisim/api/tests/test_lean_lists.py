"""Every list of the API answers the same through the lean list serializer as through DRF's own."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework import serializers
from rest_framework.test import APIClient

from kelisim.accounts.models import User
from kelisim.api import lean
from kelisim.api.urls import router


@pytest.fixture
def demo(zhambyl, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path
    call_command("load_instruments", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())


def _lists() -> list[str]:
    return [
        f"/api/v1/{prefix}/" for prefix, viewset, _basename in router.registry if hasattr(viewset, "list")
    ]


def _answers(user: User, host: str) -> dict[str, bytes | None]:
    client = APIClient(HTTP_HOST=host)
    client.force_authenticate(user)
    found: dict[str, bytes | None] = {}
    for url in _lists():
        response = client.get(url, {"page_size": 200})
        # A list the role may not read (survey microdata for a coordinator) is refused either way.
        assert response.status_code in (200, 403), url
        found[url] = response.content if response.status_code == 200 else None
    return found


def test_every_list_answers_byte_for_byte_as_drf_would(demo, monkeypatch):
    rows: dict[str, int] = {}
    # The second host comes after the compiled plans are cached: nothing of the first request
    # (its host, its user) may be carried into the next.
    for host in ("testserver", "kelisim.example.kz"):
        for username in ("coordinator.zhambyl", "specialist.korday", "analyst.zhambyl"):
            user = User.objects.get(username=username)
            lean_answers = _answers(user, host)
            with monkeypatch.context() as patched:
                patched.setattr(
                    lean.LeanListSerializer, "to_representation", serializers.ListSerializer.to_representation
                )
                drf_answers = _answers(user, host)
            assert lean_answers == drf_answers
            for url, answer in lean_answers.items():
                if answer is not None:
                    rows[url] = rows.get(url, 0) + len(json.loads(answer).get("results", []))
    # The comparison is not of empty lists: the demo's appeals, events, people and responses are there.
    for name in ("appeals", "events", "people", "visits", "departments", "responses"):
        assert rows[f"/api/v1/{name}/"] > 0, name


def test_columns_are_read_directly_and_the_fields_built_once_per_serializer():
    from kelisim.api.appeals import AppealSerializer

    lean._COMPILED.pop(AppealSerializer, None)
    lean.plan(AppealSerializer())
    steps = {name: how for name, how, _what in lean._COMPILED[AppealSerializer]}
    assert steps["overdue"] == "method"
    assert steps["number"] == steps["department"] == steps["registered_at"] == "column"
    assert "notice_phone" not in steps  # write-only: never read back
    # A second page does not build the serializer's fields again.
    again = AppealSerializer()
    lean.plan(again)
    assert "fields" not in again.__dict__
