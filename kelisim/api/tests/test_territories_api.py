import pytest
from rest_framework.test import APIClient

from kelisim.accounts.services import api_token_create


@pytest.fixture
def api(make_user) -> APIClient:
    client = APIClient()
    client.force_authenticate(make_user(None))  # reference data: no role needed
    return client


def test_children_of_korday_are_its_19_rural_okrugs_in_the_drf_page_shape(api):
    body = api.get("/api/v1/territories/", {"parent": "314800000"}).json()
    # DRF's page, with `capped` saying whether `count` stopped at the cap (kelisim.core.pagination)
    assert set(body) == {"count", "capped", "next", "previous", "results"}
    assert body["count"] == 19 and body["capped"] is False
    assert {r["level"] for r in body["results"]} == {"okrug"}
    assert "314854000" in [r["code"] for r in body["results"]]


def test_filters_by_level_and_by_name_in_either_language(api):
    regions = api.get("/api/v1/territories/", {"level": 1}).json()
    assert [r["code"] for r in regions["results"]] == ["310000000"]
    kk = api.get("/api/v1/territories/", {"q": "ауқатты"}).json()
    ru = api.get("/api/v1/territories/", {"q": "Аухаттинский"}).json()
    assert "314833000" in [r["code"] for r in kk["results"]]
    assert "314833000" in [r["code"] for r in ru["results"]]


def test_one_unit_by_code_with_its_parent_and_names(api):
    body = api.get("/api/v1/territories/314854000/").json()
    assert body["parent"] == "314800000"
    assert body["name_kk"] == "Сортөбе ауылдық округі"
    assert body["level"] == "okrug"


def test_unknown_code_answers_the_error_shape(api):
    response = api.get("/api/v1/territories/999999999/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert response.json()["error"]["message"]


def test_anonymous_is_told_to_authenticate(zhambyl):
    response = APIClient().get("/api/v1/territories/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_token_authentication_and_me(make_user):
    user = make_user("district_coordinator", "314800000")
    _token, key = api_token_create(user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = client.get("/api/v1/me/").json()
    assert body["username"] == user.username
    assert body["memberships"] == [{"role": "district_coordinator", "territory": "314800000"}]
    assert {"capability": "manage_department", "territory_path": "310000000/314800000/"} in body[
        "capabilities"
    ]


def test_validation_errors_name_the_field(make_user):
    client = APIClient()
    client.force_authenticate(make_user("district_coordinator", "314800000"))
    response = client.post(
        "/api/v1/departments/", {"code": "x", "name_kk": "", "territory": "314800000"}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) >= {"name_kk", "name_ru"}


def test_listing_territories_takes_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert api.get("/api/v1/territories/", {"page_size": 200}).status_code == 200


@pytest.mark.django_db
def test_schema_and_docs_are_served():
    from django.test import Client

    schema = Client().get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/territories/" in schema.content
    docs = Client().get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()
