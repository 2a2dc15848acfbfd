"""No copy of a page or an API answer is kept by a browser or a proxy: every response the
application makes says `Cache-Control: no-store`; only static assets (served by WhiteNoise before
any view) may be cached. Personal data and restricted records were kept in browser caches of shared
computers in district akimats."""

import base64

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from kelisim.accounts.services import api_token_create
from kelisim.appeals.models import Appeal, Visitor
from kelisim.events.models import Event
from kelisim.events.services import calendar_feed_renew
from kelisim.registry.models import Person

ZHAMBYL = "310000000"


def _no_store(response) -> bool:  # type: ignore[no-untyped-def]
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def regional(seed_visit, make_user):  # type: ignore[no-untyped-def]
    return make_user("regional_coordinator", ZHAMBYL)


def test_every_page_with_personal_or_restricted_data_is_no_store(seed_visit, regional):
    client = Client()
    client.force_login(regional)
    appeal = Appeal.objects.first()
    pages = [
        "/",
        "/appeals/",
        f"/appeals/{appeal.pk}/",
        f"/appeals/{appeal.pk}/receipt/",
        "/appeals/export.xlsx",
        "/receptions/",
        f"/receptions/{Visitor.objects.first().session_id}/",
        "/registry/people/",
        f"/registry/people/{Person.objects.first().pk}/",
        f"/events/{Event.objects.get(visit=seed_visit, restricted=True).pk}/",
        f"/visits/{seed_visit.pk}/",
        f"/visits/{seed_visit.pk}/report.xlsx",
        "/calendar/export.csv",
        "/audit/",
        "/dashboard/",
        "/search/?q=пробация",
        "/surveys/",
        "/no-such-page/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code in (200, 404), page
        assert _no_store(response), page


def test_every_api_answer_is_no_store_whatever_the_authentication(seed_visit, regional):
    _token, key = api_token_create(user=regional, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    for url in (
        "/api/v1/appeals/",
        "/api/v1/people/",
        "/api/v1/events/",
        "/api/v1/responses/",
        "/api/v1/me/",
    ):
        response = client.get(url)
        assert response.status_code == 200 and _no_store(response), url
    assert _no_store(APIClient().get("/api/v1/appeals/"))  # the 401 too


def test_feeds_and_odk_answers_authenticated_by_a_secret_are_no_store(seed_visit, regional):
    token = calendar_feed_renew(user=regional)
    assert _no_store(Client().get(f"/calendar/feed/{token}.ics"))
    basic = base64.b64encode(f"{regional.username}:pass-word-123".encode()).decode()
    assert _no_store(Client().get("/openrosa/formList", HTTP_AUTHORIZATION=f"Basic {basic}"))


def test_refusals_at_the_edge_are_no_store_too(regional):
    client = Client()
    client.force_login(regional)
    response = client.get("/search/", {"q": "a\x00"})
    assert response.status_code == 400 and _no_store(response)


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_assets_keep_their_own_caching(regional):
    client = Client()
    client.force_login(regional)
    response = client.get("/static/kelisim/app.css")
    assert response.status_code == 200
    assert not _no_store(response)
