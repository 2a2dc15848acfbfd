"""Open311 GeoReport v2: both formats on every endpoint, the spec's element names and errors, keys,
location and media, the history's updated_datetime, the 90-day / 1,000 window and its filters."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from defusedxml import ElementTree as ET
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from kelisim.api import open311
from kelisim.appeals import retention, services
from kelisim.appeals.models import Appeal, Category, Open311Key
from kelisim.core.models import AuditEntry

KORDAY = "314800000"  # Korday district, as the shared fixtures name it
ZHAMBYL = "310000000"
BASE = "/open311/v2"
PLACE = {"lat": "43.050000", "long": "74.710000"}


@pytest.fixture
def key(make_user, korday_department) -> str:
    coordinator = make_user("regional_coordinator", ZHAMBYL)
    _key, raw = services.open311_key_create(actor=coordinator, name="mobile", department=korday_department)
    return raw


def _post(client, key: str, fmt: str = "json", **fields: str):  # type: ignore[no-untyped-def]
    data = {
        "api_key": key,
        "service_code": "land",
        "description": "Жол шамы жанбайды",
        "first_name": "Ерлан",
        "last_name": "Демоұлы",
        "email": "erlan@example.kz",
        **PLACE,
        **fields,
    }
    return client.post(f"{BASE}/requests.{fmt}", {k: v for k, v in data.items() if v is not None})


def _xml(response):  # type: ignore[no-untyped-def]
    assert response["Content-Type"].startswith("text/xml"), response["Content-Type"]
    return ET.fromstring(response.content)


def _xml_error(response, status: int) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    root = _xml(response)
    assert root.tag == "errors"
    error = root.find("error")
    assert error is not None and error.findtext("code") == str(status)
    return error.findtext("description") or ""


def _json_error(response, status: int) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert isinstance(body, list) and body[0]["code"] == status
    return str(body[0]["description"])


# ---------------------------------------------------------------- both formats, the spec's names


def test_every_endpoint_answers_in_xml_with_the_spec_element_names(client, key):
    discovery = _xml(client.get(f"{BASE}/discovery.xml"))
    assert discovery.tag == "discovery"
    assert discovery.findtext("endpoints/endpoint/specification") == open311.SPEC
    assert {f.text for f in discovery.iterfind("endpoints/endpoint/formats/format")} == {
        "text/xml",
        "application/json",
    }
    services_xml = _xml(client.get(f"{BASE}/services.xml"))
    assert services_xml.tag == "services"
    codes = [s.findtext("service_code") for s in services_xml.iterfind("service")]
    assert "land" in codes
    assert services_xml.find("service/metadata").text == "false"  # type: ignore[union-attr]
    definition = _xml(client.get(f"{BASE}/services/land.xml"))
    assert definition.tag == "service_definition" and definition.findtext("service_code") == "land"

    created = _post(client, key, fmt="xml")
    assert created.status_code == 201
    number = _xml(created).findtext("request/service_request_id")
    assert number and Appeal.objects.filter(number=number).exists()

    listed = _xml(client.get(f"{BASE}/requests.xml"))
    assert listed.tag == "service_requests"
    assert [r.findtext("service_request_id") for r in listed.iterfind("request")] == [number]
    one = _xml(client.get(f"{BASE}/requests/{number}.xml"))
    request = one.find("request")
    assert request is not None and request.findtext("status") == "open"
    assert request.findtext("agency_responsible") and request.findtext("expected_datetime")


def test_every_endpoint_answers_in_json_too(client, key):
    assert client.get(f"{BASE}/discovery.json").json()["endpoints"][0]["formats"] == [
        "text/xml",
        "application/json",
    ]
    assert client.get(f"{BASE}/services/land.json").json() == {"service_code": "land", "attributes": []}
    created = _post(client, key)
    assert created.status_code == 201 and created["Content-Type"] == "application/json"
    number = created.json()[0]["service_request_id"]
    assert [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()] == [number]
    assert client.get(f"{BASE}/requests/{number}.json").json()[0]["service_request_id"] == number


def test_the_xml_writer_escapes_what_a_name_holds(client, db):
    hostile = 'Жер <b>&amp; "]]></b>\x0b'
    Category.objects.create(code="aaa-markup", name_kk=hostile, name_ru=hostile, name_en=hostile)
    root = _xml(client.get(f"{BASE}/services.xml"))
    first = root.find("service")
    assert first is not None and first.findtext("service_code") == "aaa-markup"
    assert first.findtext("service_name") == 'Жер <b>&amp; "]]></b>'  # the vertical tab can't be XML


# ---------------------------------------------------------------- errors, in the spec's format


def test_an_unknown_service_is_a_404_in_the_asked_format(client, key):
    assert _json_error(client.get(f"{BASE}/services/no-such.json"), 404)
    assert _xml_error(client.get(f"{BASE}/services/no-such.xml"), 404)
    assert _json_error(_post(client, key, service_code="no-such"), 404)
    assert _xml_error(_post(client, key, fmt="xml", service_code="no-such"), 404)
    assert not Appeal.objects.exists()


def test_an_unknown_request_is_a_404(client, db):
    assert _json_error(client.get(f"{BASE}/requests/31-1999-00001.json"), 404)
    assert _xml_error(client.get(f"{BASE}/requests/31-1999-00001.xml"), 404)


def test_a_missing_or_revoked_key_is_a_403(client, key):
    assert _json_error(_post(client, ""), 403)
    assert _xml_error(_post(client, key + "x", fmt="xml"), 403)
    Open311Key.objects.update(is_active=False)
    assert _json_error(_post(client, key), 403)
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(
    "fields, named",
    [
        ({"lat": None, "long": None}, "address_string"),  # no location at all
        ({"lat": "", "long": ""}, "address_string"),
        ({"long": None}, "long"),  # half a point
        ({"lat": "91"}, "lat"),
        ({"long": "abc"}, "long"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"email": "not-an-address"}, "email"),
        ({"description": ""}, "description"),
        ({"description": "ж" * 4001}, "description"),
    ],
)
def test_a_post_with_bad_or_missing_fields_is_a_400_naming_the_field(client, key, fields, named):
    assert named in _json_error(_post(client, key, **fields), 400)
    assert named in _xml_error(_post(client, key, fmt="xml", **fields), 400)
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(
    "params, named",
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2023-13-45T00:00:00Z"}, "end_date"),
        ({"start_date": "2023-05-10T00:00:00Z", "end_date": "2023-05-01T00:00:00Z"}, "end_date"),
        ({"start_date": "2023-01-01T00:00:00Z", "end_date": "2023-05-01T00:00:00Z"}, "90"),
        ({"status": "pending"}, "status"),
    ],
)
def test_bad_list_parameters_are_a_400_in_the_asked_format(client, zhambyl, params, named):
    assert named in _json_error(client.get(f"{BASE}/requests.json", params), 400)
    assert named in _xml_error(client.get(f"{BASE}/requests.xml", params), 400)


def test_errors_made_outside_the_views_are_in_the_spec_format_too(client, zhambyl):
    assert _xml_error(client.get(f"{BASE}/no-such-thing.xml"), 404)
    assert _json_error(client.get(f"{BASE}/no-such-thing.json"), 404)
    assert _json_error(client.get("/open311/elsewhere"), 404)
    not_allowed = client.delete(f"{BASE}/requests.json")
    assert _json_error(not_allowed, 405) and "POST" in not_allowed["Allow"]
    assert _xml_error(client.put(f"{BASE}/services.xml"), 405)


def test_a_404_under_debug_is_still_the_spec_format(client, zhambyl, settings):
    settings.DEBUG = True
    assert _xml_error(client.get(f"{BASE}/requests/x/y.xml"), 404)


def test_a_server_error_is_the_spec_format(client, zhambyl, monkeypatch):
    def broken(category):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(open311, "_service", broken)
    client.raise_request_exception = False
    assert _xml_error(client.get(f"{BASE}/services.xml"), 500)
    assert _json_error(client.get(f"{BASE}/services.json"), 500)


# ---------------------------------------------------------------- location, media, personal data


def test_location_and_media_are_stored_and_shown_on_the_appeal_page(client, key, make_user):
    created = _post(
        client,
        key,
        address_string="Қордай, Жібек жолы 12",
        address_id="KZ-314800-0012",
        media_url="https://photos.example.kz/lamp.jpg",
    )
    appeal = Appeal.objects.get(number=created.json()[0]["service_request_id"])
    assert (str(appeal.latitude), str(appeal.longitude)) == ("43.050000", "74.710000")
    assert (appeal.address, appeal.address_id) == ("Қордай, Жібек жолы 12", "KZ-314800-0012")
    assert appeal.media_url == "https://photos.example.kz/lamp.jpg"
    assert appeal.applicant_contact == "erlan@example.kz"

    client.force_login(make_user("district_coordinator", KORDAY))
    page = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert "Қордай, Жібек жолы 12" in page and "KZ-314800-0012" in page
    assert 'href="geo:43.050000,74.710000"' in page
    assert 'href="https://photos.example.kz/lamp.jpg" rel="noopener noreferrer nofollow"' in page


def test_an_address_alone_or_an_address_id_alone_is_a_location(client, key):
    assert _post(client, key, lat=None, long=None, address_string="Қордай").status_code == 201
    assert _post(client, key, lat=None, long=None, address_id="A-1").status_code == 201


def test_get_never_echoes_the_applicant_the_place_or_the_text(client, key):
    number = _post(client, key, phone="+7 701 555 0000", address_string="Жібек жолы 12").json()[0][
        "service_request_id"
    ]
    for fmt in ("json", "xml"):
        for url in (f"{BASE}/requests.{fmt}", f"{BASE}/requests/{number}.{fmt}"):
            body = client.get(url).content.decode()
            assert number in body
            for secret in ("Ерлан", "Демоұлы", "erlan@example.kz", "555 0000", "Жібек", "шамы", "43.05"):
                assert secret not in body, (url, secret)


def test_the_purge_removes_the_place_with_the_name(client, key):
    number = _post(client, key, address_string="Жібек жолы 12", media_url="https://x.kz/a.jpg").json()[0][
        "service_request_id"
    ]
    old = timezone.localdate() - timedelta(days=365 * 6)
    Appeal.objects.filter(number=number).update(
        received_on=old,
        status=Appeal.Status.CLOSED,
        closed_on=old,
        registered_at=timezone.now() - timedelta(days=2200),
    )
    retention.purge(years=5, commit=True)
    appeal = Appeal.objects.get(number=number)
    assert appeal.anonymized
    assert (appeal.address, appeal.media_url, appeal.latitude, appeal.longitude) == ("", "", None, None)


# ---------------------------------------------------------------- what the list says


def test_updated_datetime_follows_the_appeals_history(client, key, make_user):
    number = _post(client, key).json()[0]["service_request_id"]
    before = client.get(f"{BASE}/requests/{number}.json").json()[0]
    assert before["updated_datetime"] == before["requested_datetime"][:19] + before["updated_datetime"][19:]
    appeal = Appeal.objects.get(number=number)
    executor = make_user("specialist", KORDAY)
    coordinator = make_user("district_coordinator", KORDAY)
    services.appeal_assign(actor=coordinator, appeal=appeal, lead_executor=executor)
    later = timezone.now() + timedelta(hours=3)
    appeal.history.filter(action="assign").update(at=later)
    after = client.get(f"{BASE}/requests/{number}.json").json()[0]
    assert after["updated_datetime"] == timezone.localtime(later).isoformat(timespec="seconds")
    assert after["status"] == "open" and after["status_notes"]


def test_status_is_closed_once_answered_and_expected_datetime_is_the_due_date(client, key, make_user):
    number = _post(client, key).json()[0]["service_request_id"]
    appeal = Appeal.objects.get(number=number)
    shown = client.get(f"{BASE}/requests/{number}.json").json()[0]
    assert shown["expected_datetime"].startswith(appeal.due_date.isoformat())
    coordinator = make_user("district_coordinator", KORDAY)
    appeal = services.appeal_assign(actor=coordinator, appeal=appeal, lead_executor=coordinator)
    services.appeal_answer(actor=coordinator, appeal=appeal, answer="Жөнделді")
    closed = client.get(f"{BASE}/requests.json", {"status": "closed"}).json()
    assert [r["service_request_id"] for r in closed] == [number] and closed[0]["status"] == "closed"
    assert client.get(f"{BASE}/requests.json", {"status": "open"}).json() == []
    assert len(client.get(f"{BASE}/requests.json", {"status": "open,closed"}).json()) == 1


def test_the_list_defaults_to_the_last_90_days(client, key):
    recent = _post(client, key).json()[0]["service_request_id"]
    old = _post(client, key).json()[0]["service_request_id"]
    long_ago = timezone.now() - timedelta(days=120)
    Appeal.objects.filter(number=old).update(registered_at=long_ago)
    assert [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()] == [recent]
    window = {
        "start_date": (long_ago - timedelta(days=1)).isoformat(),
        "end_date": (long_ago + timedelta(days=1)).isoformat(),
    }
    assert [r["service_request_id"] for r in client.get(f"{BASE}/requests.json", window).json()] == [old]
    only_start = {"start_date": (long_ago - timedelta(days=1)).date().isoformat()}
    assert [r["service_request_id"] for r in client.get(f"{BASE}/requests.json", only_start).json()] == [old]


def test_the_list_stops_at_the_limit(client, key, monkeypatch):
    numbers = [_post(client, key).json()[0]["service_request_id"] for _ in range(3)]
    monkeypatch.setattr(open311, "LIMIT", 2)
    listed = [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()]
    assert listed == numbers[::-1][:2]
    assert open311.LIMIT == 2 and len(_xml(client.get(f"{BASE}/requests.xml")).findall("request")) == 2


def test_service_request_ids_and_service_codes_filter_the_list(client, key):
    a = _post(client, key).json()[0]["service_request_id"]
    b = _post(client, key).json()[0]["service_request_id"]
    other = Category.objects.exclude(code="land").filter(is_active=True).first()
    assert other is not None
    c = _post(client, key, service_code=other.code).json()[0]["service_request_id"]
    Appeal.objects.filter(number=a).update(registered_at=timezone.now() - timedelta(days=400))
    by_id = client.get(f"{BASE}/requests.json", {"service_request_id": f"{a},{c}"}).json()
    assert sorted(r["service_request_id"] for r in by_id) == sorted([a, c])  # ids override the window
    by_code = client.get(f"{BASE}/requests.json", {"service_code": other.code}).json()
    assert [r["service_request_id"] for r in by_code] == [c]
    assert b not in json.dumps(by_code)


# ---------------------------------------------------------------- keys


def test_a_key_is_issued_once_kept_hashed_and_revoked(client, make_user, korday_department):
    coordinator = make_user("regional_coordinator", ZHAMBYL)
    key, raw = services.open311_key_create(
        actor=coordinator, name="FixMyStreet", department=korday_department
    )
    assert key.territory == korday_department.territory and len(raw) >= 32
    assert not Open311Key.objects.filter(key_hash=raw).exists() and key.key_hash == services.key_hash(raw)
    assert _post(client, raw).status_code == 201
    services.open311_key_revoke(actor=coordinator, key=key)
    assert _json_error(_post(client, raw), 403)
    actions = list(
        AuditEntry.objects.filter(object_type="appeals.open311key")
        .order_by("id")
        .values_list("action", "params")
    )
    assert [a for a, _p in actions] == ["open311_key.create", "open311_key.revoke"]
    assert raw not in json.dumps([p for _a, p in actions])


def test_only_a_manager_of_open311_keys_for_the_territory_issues_or_revokes_keys(
    make_user, korday_department
):
    with pytest.raises(ValidationError):
        services.open311_key_create(
            actor=make_user("specialist", KORDAY), name="x", department=korday_department
        )
    with pytest.raises(ValidationError):
        services.open311_key_create(
            actor=make_user("district_coordinator", "316600000"), name="x", department=korday_department
        )
    with pytest.raises(ValidationError):
        services.open311_key_create(
            actor=make_user("regional_coordinator", ZHAMBYL), name=" ", department=korday_department
        )
    key, _raw = services.open311_key_create(
        actor=make_user("regional_coordinator", ZHAMBYL), name="x", department=korday_department
    )
    with pytest.raises(ValidationError):
        services.open311_key_revoke(actor=make_user("specialist", KORDAY), key=key)
    assert Open311Key.objects.get().is_active


def test_the_command_issues_lists_and_revokes_keys(client, make_user, korday_department):
    coordinator = make_user("regional_coordinator", ZHAMBYL)
    out = StringIO()
    call_command(
        "open311_key", "issue", "--user", coordinator.username, "--name", "city app",
        "--department", korday_department.code, stdout=out,
    )  # fmt: skip
    raw = out.getvalue().splitlines()[0].rsplit(" ", 1)[-1]
    assert _post(client, raw).status_code == 201
    key = Open311Key.objects.get()
    out = StringIO()
    call_command("open311_key", "list", "--user", coordinator.username, stdout=out)
    assert out.getvalue().startswith(f"{key.pk}\tcity app\t{korday_department.code}\t")
    call_command("open311_key", "revoke", "--user", coordinator.username, "--key-id", str(key.pk), stdout=out)
    assert _post(client, raw).status_code == 403


def test_the_command_without_a_department_says_which_codes_there_are(
    make_user, korday_department, shu_department
):
    from django.core.management.base import CommandError

    coordinator = make_user("regional_coordinator", ZHAMBYL)
    with translation.override("en"), pytest.raises(CommandError) as missing:
        call_command(
            "open311_key", "issue", "--user", coordinator.username, "--name", "app", stdout=StringIO()
        )
    message = str(missing.value)
    assert "--department" in message and korday_department.code in message and shu_department.code in message
    assert not Open311Key.objects.exists()
