"""The events issue's promises over the API: filters, scope, restricted events, writes."""

import pytest
from rest_framework.test import APIClient

from kelisim.core.models import AuditEntry
from kelisim.events.models import Event

KORDAY, SHU = "314800000", "316600000"


def _client(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_visits_by_territory_and_events_by_visit_with_and_without_the_sensitive_capability(
    seed_visit, make_user
):
    regional = _client(make_user("regional_coordinator", "310000000"))  # holds view_sensitive
    district = _client(make_user("district_coordinator", KORDAY))  # does not
    visits = regional.get("/api/v1/visits/", {"territory": KORDAY}).json()
    assert seed_visit.pk in [v["id"] for v in visits["results"]]

    params = {"visit": seed_visit.pk, "date_from": "2023-05-10", "date_to": "2023-05-12"}
    full = regional.get("/api/v1/events/", params).json()
    partial = district.get("/api/v1/events/", params).json()
    assert full["count"] >= 8
    assert partial["count"] == full["count"] - 1
    restricted = [e for e in full["results"] if e["restricted"]]
    assert len(restricted) == 1
    assert restricted[0]["id"] not in [e["id"] for e in partial["results"]]
    event = full["results"][0]
    assert {"id", "title", "format", "start", "end", "territory", "visit", "restricted"} <= set(event)


def test_reading_a_restricted_event_is_audited_and_404_without_the_capability(seed_visit, make_user):
    restricted = Event.objects.get(visit=seed_visit, restricted=True)
    regional = make_user("regional_coordinator", "310000000")
    assert _client(regional).get(f"/api/v1/events/{restricted.pk}/").status_code == 200
    assert AuditEntry.objects.filter(kind="read", object_id=str(restricted.pk), actor=regional).count() == 1
    district = _client(make_user("district_coordinator", KORDAY))
    assert district.get(f"/api/v1/events/{restricted.pk}/").status_code == 404


def test_filters_by_format_topic_and_date(seed_visit, make_user):
    client = _client(make_user("regional_coordinator", "310000000"))
    dialogue = client.get("/api/v1/events/", {"format": "dialogue_platform", "territory": KORDAY}).json()
    assert dialogue["count"] == 2
    family = client.get("/api/v1/events/", {"topic": "family_values", "territory": KORDAY}).json()
    assert family["count"] == 1
    day = client.get("/api/v1/events/", {"date_from": "2023-05-11", "date_to": "2023-05-11"}).json()
    assert {e["format"] for e in day["results"]} == {"dialogue_platform", "citizen_reception"}
    bad = client.get("/api/v1/events/", {"date_from": "11.05.2023"})
    assert bad.status_code == 400 and "date_from" in bad.json()["error"]["fields"]


def _event_body(visit, **extra):  # type: ignore[no-untyped-def]
    return {
        "title_kk": "Жастармен кездесу",
        "format": "meeting",
        "territory": "314854000",
        "visit": visit.pk,
        "start": "2023-05-11T18:00:00+05:00",
        "end": "2023-05-11T19:00:00+05:00",
        "topics": ["interethnic_accord"],
        "audiences": [{"category": "youth", "count": 25}],
        **extra,
    }


def test_korday_coordinator_creates_and_edits_an_event_and_shu_can_do_neither(seed_visit, make_user):
    korday = _client(make_user("district_coordinator", KORDAY))
    created = korday.post("/api/v1/events/", _event_body(seed_visit), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["audiences"] == [{"category": "youth", "count": 25}]
    edited = korday.patch(
        f"/api/v1/events/{body['id']}/",
        {"title_kk": "Жастармен жүздесу", "version": body["version"]},
        format="json",
    )
    assert edited.status_code == 200 and edited.json()["title_kk"] == "Жастармен жүздесу"

    shu = _client(make_user("district_coordinator", SHU))
    before = list(Event.objects.order_by("pk").values_list("pk", "title_kk", "version"))
    assert shu.patch(f"/api/v1/events/{body['id']}/", {"title_kk": "x"}, format="json").status_code == 404
    refused = shu.post("/api/v1/events/", _event_body(seed_visit), format="json")
    assert refused.status_code == 400 and "territory" in refused.json()["error"]["fields"]
    assert list(Event.objects.order_by("pk").values_list("pk", "title_kk", "version")) == before


def test_a_stale_version_answers_409_and_overwrites_nothing(seed_visit, make_user):
    client = _client(make_user("district_coordinator", KORDAY))
    event = Event.objects.filter(visit=seed_visit, restricted=False).first()
    assert (
        client.patch(
            f"/api/v1/events/{event.pk}/", {"title_kk": "Бірінші", "version": event.version}, format="json"
        ).status_code
        == 200
    )
    second = client.patch(
        f"/api/v1/events/{event.pk}/", {"title_kk": "Екінші", "version": event.version}, format="json"
    )
    assert second.status_code == 409 and second.json()["error"]["code"] == "conflict"
    event.refresh_from_db()
    assert event.title_kk == "Бірінші"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end": "2023-05-11T17:00:00+05:00"}, "end"),
        ({"territory": "316600000"}, "territory"),
        ({"restricted": True}, "restricted"),
        ({"format": "no_such_format"}, "format"),
    ],
    ids=["end-before-start", "outside-scope", "restricted-without-capability", "unknown-format"],
)
def test_bad_input_gets_field_errors_and_saves_nothing(seed_visit, make_user, change, field):
    client = _client(make_user("district_coordinator", KORDAY))
    count = Event.objects.count()
    response = client.post("/api/v1/events/", _event_body(seed_visit, **change), format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert Event.objects.count() == count


def test_listing_10000_events_takes_a_fixed_number_of_queries(
    seed_visit, make_user, django_assert_num_queries
):
    template = Event.objects.filter(visit=seed_visit, restricted=False).first()
    Event.objects.bulk_create(
        [
            Event(
                format=template.format,
                title_kk=f"Іс-шара {i}",
                start=template.start,
                end=template.end,
                territory=template.territory,
                visit=seed_visit,
            )
            for i in range(10_000)
        ],
        batch_size=1000,
    )
    client = _client(make_user("regional_coordinator", "310000000"))
    client.get("/api/v1/events/")  # the user's grants are read once and kept on the user
    # count, the page's ids, its rows, then one query each for topics, audiences, officials,
    # organizers and ethnic groups
    with django_assert_num_queries(8):
        small = client.get("/api/v1/events/", {"page_size": 10}).json()
    with django_assert_num_queries(8):
        body = client.get("/api/v1/events/", {"page_size": 200}).json()
    assert body["count"] == small["count"] >= 10_000 and len(body["results"]) == 200


def test_programs_organizations_and_people_are_scoped(seed_visit, make_user):
    korday = _client(make_user("district_coordinator", KORDAY))
    shu = _client(make_user("district_coordinator", SHU))
    orgs = korday.get("/api/v1/organizations/").json()
    assert "«AMANAT» партиясының Қордай аудандық филиалы" in [o["name_kk"] for o in orgs["results"]]
    assert shu.get("/api/v1/organizations/").json()["count"] == 0
    created = korday.post(
        "/api/v1/people/",
        {"full_name": "А.Ахметов", "kind": "elder", "territory": "314854100"},
        format="json",
    )
    assert created.status_code == 201
    assert shu.get(f"/api/v1/people/{created.json()['id']}/").status_code == 404
    # The program is the region's: its districts use it; another region's users don't see it.
    assert korday.get("/api/v1/programs/").json()["count"] == 1
    assert (
        _client(make_user("district_coordinator", "311000000")).get("/api/v1/programs/").json()["count"] == 1
    )
    assert _client(make_user(None)).get("/api/v1/programs/").json()["count"] == 0


def test_a_whole_country_membership_sees_restricted_events_too(seed_visit, make_user):
    national = _client(make_user("system_admin"))
    body = national.get("/api/v1/events/", {"visit": seed_visit.pk}).json()
    assert body["count"] == Event.objects.filter(visit=seed_visit).count()
    assert any(e["restricted"] for e in body["results"])


def test_a_program_is_renamed_through_the_api_within_its_territory_only(seed_visit, make_user):
    from kelisim.programs.models import Program

    program = Program.objects.get(editions__visits=seed_visit)
    regional = _client(make_user("regional_coordinator", "310000000"))
    changed = regional.patch(
        f"/api/v1/programs/{program.pk}/", {"name_ru": "Проект «Мир и согласие» 2.0"}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["name_ru"] == "Проект «Мир и согласие» 2.0"
    program.refresh_from_db()
    assert program.name_ru == "Проект «Мир и согласие» 2.0"
    assert AuditEntry.objects.filter(action="program.update", object_id=str(program.pk)).exists()
    moved = regional.patch(f"/api/v1/programs/{program.pk}/", {"territory": KORDAY}, format="json")
    assert moved.status_code == 400 and "territory" in moved.json()["error"]["fields"]
    # A district coordinator reads the region's program but may not change it.
    district = _client(make_user("district_coordinator", KORDAY))
    refused = district.patch(f"/api/v1/programs/{program.pk}/", {"name_ru": "X"}, format="json")
    assert refused.status_code == 400 and "territory" in refused.json()["error"]["fields"]
    program.refresh_from_db()
    assert program.name_ru == "Проект «Мир и согласие» 2.0"
