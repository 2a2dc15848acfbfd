"""The schema names the errors each operation answers, and the domain refuses moments that no
RFC 3339 date-time could carry back (what Schemathesis found)."""

from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from kelisim.appeals.models import ReceptionSession
from kelisim.events.models import Event

KORDAY = "314800000"
ERROR_REF = "#/components/schemas/Error"


def _client(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_every_operation_documents_its_errors_in_the_envelope():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    envelope = schema["components"]["schemas"]["Error"]
    assert envelope["required"] == ["error"]
    assert envelope["properties"]["error"]["required"] == ["code", "message", "fields"]
    operations = {
        (method.upper(), path): answer["responses"]
        for path, item in schema["paths"].items()
        for method, answer in item.items()
    }
    assert len(operations) >= 60
    for (method, path), responses in operations.items():
        for status in ("401", "403", "406"):
            assert responses[status]["content"]["application/json"]["schema"]["$ref"] == ERROR_REF, (
                method,
                path,
                status,
            )
        if "{" in path or method != "GET":
            assert "404" in responses, (method, path)
        if method in ("POST", "PUT", "PATCH"):
            assert {"400", "415"} <= set(responses), (method, path)
    # A stale version answers 409 where the view compares it, and only there.
    assert "409" in operations[("POST", "/api/v1/appeals/{id}/transition/")]
    assert "409" in operations[("PATCH", "/api/v1/events/{id}/")]
    assert "409" not in operations[("POST", "/api/v1/events/")]
    assert "409" not in operations[("PATCH", "/api/v1/visits/{id}/")]
    # Filters are the list's parameters, not the single record's.
    assert "territory" not in [
        p["name"] for p in schema["paths"]["/api/v1/visits/{id}/"]["get"]["parameters"]
    ]


def test_an_event_in_year_101_is_refused_by_name_and_nothing_is_saved(seed_visit, make_user):
    before = Event.objects.count()
    answer = _client(make_user("regional_coordinator", "310000000")).post(
        "/api/v1/events/",
        {
            "title_kk": "Кездесу",
            "format": "meeting",
            "territory": KORDAY,
            "start": "0101-10-15T18:57:37+05:00",
            "end": "0232-02-03T04:35:45+05:00",
        },
        format="json",
    )
    assert answer.status_code == 400, answer.content
    assert set(answer.json()["error"]["fields"]) == {"start", "end"}
    assert Event.objects.count() == before


def test_a_reception_in_year_101_is_refused_by_name_and_nothing_is_saved(seed_visit, make_user):
    client = _client(make_user("regional_coordinator", "310000000"))
    department = client.get("/api/v1/departments/").json()["results"][0]["id"]
    answer = client.post(
        "/api/v1/receptions/",
        {
            "department": department,
            "territory": KORDAY,
            "place": "Akimat",
            "start": "0101-05-11T10:00:00+05:00",
            "end": "2023-05-11T12:00:00+05:00",
        },
        format="json",
    )
    assert answer.status_code == 400, answer.content
    assert set(answer.json()["error"]["fields"]) == {"start"}
    assert not ReceptionSession.objects.filter(start__year=101).exists()


def test_the_calendar_answers_a_client_that_asks_for_a_calendar(seed_visit, make_user):
    client = _client(make_user("regional_coordinator", "310000000"))
    answer = client.get(f"/api/v1/visits/{seed_visit.pk}/calendar.ics", HTTP_ACCEPT="text/calendar")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/calendar")
    assert answer.content.startswith(b"BEGIN:VCALENDAR")
    # An error is still the JSON envelope, whatever the client asked for.
    missing = client.get("/api/v1/visits/999999/calendar.ics", HTTP_ACCEPT="text/calendar")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/json")
    assert missing.json()["error"]["code"] == "not_found"
