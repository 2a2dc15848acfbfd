"""Every writable serializer of the API refuses a field it does not know, with a 400 naming it,
instead of dropping the value in silence. The serializers are found, not listed: every serializer
class the API modules define (nested rows such as an event's officials among them) and every
endpoint of the router that creates."""

import importlib
import pkgutil
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import RequestFactory
from rest_framework import serializers as drf
from rest_framework.test import APIClient

import kelisim.api
from kelisim.api.fields import UNKNOWN_FIELD, StrictFields

ZHAMBYL, KORDAY = "310000000", "314800000"
UNKNOWN = "zz_not_a_field"


def _serializer_classes() -> list[type[drf.BaseSerializer]]:
    found = []
    for _finder, name, _pkg in pkgutil.iter_modules(kelisim.api.__path__):
        if name == "tests":
            continue
        module = importlib.import_module(f"kelisim.api.{name}")
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, drf.BaseSerializer)
                and obj.__module__ == module.__name__
                and not issubclass(obj, drf.ListSerializer)
                and not (issubclass(obj, drf.ModelSerializer) and not hasattr(obj, "Meta"))
            ):
                found.append(obj)
    return sorted(found, key=lambda cls: cls.__name__)


def _writable(cls: type[drf.BaseSerializer]) -> bool:
    return any(not field.read_only for field in cls().fields.values())  # type: ignore[attr-defined]


WRITABLE = [cls for cls in _serializer_classes() if _writable(cls)]


def test_the_writable_serializers_are_found_and_all_derive_from_the_strict_base():
    names = {cls.__name__ for cls in WRITABLE}
    # Those the API is known to take: a discovery that finds fewer has gone blind.
    assert {
        "EventSerializer",
        "OfficialSerializer",
        "OrganizerSerializer",
        "EthnicGroupSerializer",
        "AudienceSerializer",
        "AppealSerializer",
        "TransitionSerializer",
        "DepartmentSerializer",
    } <= names
    assert [cls.__name__ for cls in WRITABLE if not issubclass(cls, StrictFields)] == []


@pytest.mark.parametrize("cls", WRITABLE, ids=lambda cls: cls.__name__)
def test_each_writable_serializer_names_an_unknown_field(cls, make_user):
    request = RequestFactory().post("/")
    request.user = make_user("system_admin", ZHAMBYL)
    serializer = cls(data={UNKNOWN: "1"}, partial=True, context={"request": request})
    assert not serializer.is_valid()
    assert serializer.errors == {UNKNOWN: [str(UNKNOWN_FIELD)]}


def _create_endpoints() -> list[str]:
    from kelisim.api.urls import router

    return sorted(
        f"/api/v1/{prefix}/" for prefix, viewset, _basename in router.registry if hasattr(viewset, "create")
    )


@pytest.mark.parametrize("url", _create_endpoints())
def test_each_endpoint_that_creates_answers_400_naming_an_unknown_field(url, make_user):
    from kelisim.core.models import AuditEntry

    client = APIClient()
    client.force_authenticate(make_user("system_admin", ZHAMBYL))
    before = AuditEntry.objects.filter(kind="write").count()
    response = client.post(url, {UNKNOWN: 1}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"] == {UNKNOWN: [str(UNKNOWN_FIELD)]}
    assert AuditEntry.objects.filter(kind="write").count() == before


def test_an_appeals_transition_names_an_unknown_field_and_changes_nothing(
    make_user, territory, korday_department
):
    from kelisim.appeals.services import appeal_register

    user = make_user("system_admin", ZHAMBYL)
    appeal = appeal_register(
        actor=user,
        type="statement",
        channel="written",
        applicant_name="Тұрғын",
        territory=territory(KORDAY),
        department=korday_department,
        text="Мәтін",
        received_on=date(2024, 6, 3),
    )
    client = APIClient()
    client.force_authenticate(user)
    body: dict[str, Any] = {"action": "assign", "version": appeal.version, UNKNOWN: "x"}
    response = client.post(f"/api/v1/appeals/{appeal.pk}/transition/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {UNKNOWN: [str(UNKNOWN_FIELD)]}
    appeal.refresh_from_db()
    assert appeal.version == body["version"]


def test_fields_that_are_read_back_are_known_so_a_read_record_can_be_sent_back(make_user, territory):
    from kelisim.events.models import EventFormat
    from kelisim.events.services import event_create

    user = make_user("district_coordinator", KORDAY)
    event = event_create(
        actor=user,
        format=EventFormat.objects.get(code="meeting"),
        title_kk="Кездесу",
        start=datetime(2024, 6, 3, 10, tzinfo=ZoneInfo("Asia/Almaty")),
        end=datetime(2024, 6, 3, 11, tzinfo=ZoneInfo("Asia/Almaty")),
        territory=territory(KORDAY),
    )
    client = APIClient()
    client.force_authenticate(user)
    read = client.get(f"/api/v1/events/{event.pk}/").json()
    assert read["ethnic_groups"] is None  # not this user's to see: null, and null sent back changes nothing
    response = client.put(f"/api/v1/events/{event.pk}/", read, format="json")
    assert response.status_code == 200, response.content
