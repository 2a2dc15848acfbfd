"""Error pages: ours (in the base layout, translated, saying what to do next) for 400, 403 and 404,
under DEBUG too; a plain 500 that needs neither the database nor the request; JSON under /api/.

This module is also the URLconf of the tests marked `urls`: the project's URLs, plus views that fail.
"""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path

from kelisim.core import errors
from kelisim.urls import urlpatterns as project_urls


def _raise(exception: Exception):  # type: ignore[no-untyped-def]
    def view(request: HttpRequest) -> HttpResponse:
        raise exception

    return view


urlpatterns = [
    path("boom/", _raise(RuntimeError("boom"))),
    path("forbidden/", _raise(PermissionDenied())),
    path("suspicious/", _raise(SuspiciousOperation("odd"))),
    path("missing/", _raise(Http404("No such record"))),
    *project_urls,
]
handler400 = "kelisim.core.errors.bad_request"
handler403 = "kelisim.core.errors.permission_denied"
handler404 = "kelisim.core.errors.page_not_found"
handler500 = "kelisim.core.errors.server_error"

URLCONF = "kelisim.tests.test_error_pages"
HEADINGS = {
    404: {"kk": "Бет табылмады", "ru": "Страница не найдена", "en": "Page not found"},
    403: {
        "kk": "Бұл әрекетті орындай алмайсыз",
        "ru": "Вы не можете это сделать",
        "en": "You cannot do this",
    },
    400: {
        "kk": "Сұрау түсініксіз",
        "ru": "Запрос не удалось понять",
        "en": "The request could not be understood",
    },
}


def _client(language: str, user=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.cookies["kelisim_language"] = language
    if user is not None:
        user.language = language  # a signed-in user's own choice comes before the cookie
        user.save(update_fields=["language"])
        client.force_login(user)
    return client


@pytest.mark.urls(URLCONF)
@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("url", ["/no-such-page/", "/missing/"])
def test_a_missing_page_is_ours_in_the_users_language_even_under_debug(db, settings, debug, language, url):
    settings.DEBUG = debug
    response = _client(language).get(url)
    body = response.content.decode()
    assert response.status_code == 404
    assert HEADINGS[404][language] in body
    assert f'<html lang="{language}">' in body and 'class="top"' in body  # the base layout
    assert "Django" not in body and "urlpatterns" not in body.lower()


@pytest.mark.urls(URLCONF)
@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_refusal_is_our_403_page(db, settings, debug, language):
    settings.DEBUG = debug
    response = _client(language).get("/forbidden/")
    assert response.status_code == 403
    assert HEADINGS[403][language] in response.content.decode()


@pytest.mark.urls(URLCONF)
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_bad_request_is_our_400_page(db, language):
    response = _client(language).get("/suspicious/")
    assert response.status_code == 400
    assert HEADINGS[400][language] in response.content.decode()


@pytest.mark.urls(URLCONF)
def test_a_signed_in_user_keeps_the_menu_on_an_error_page(make_user):
    response = _client("kk", make_user("district_coordinator", "314800000")).get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404 and 'href="/visits/"' in body and 'href="/audit/"' not in body


@pytest.mark.urls(URLCONF)
def test_a_server_error_is_a_plain_translated_page(db, client):
    client = _client("ru")
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Извините, что-то пошло не так" in body and "Попробуйте ещё раз через несколько минут." in body


def test_the_500_page_needs_neither_the_database_nor_the_request_context():
    # No `db` fixture: any query would raise. No user, no session, no middleware at all.
    request = RequestFactory().get("/somewhere/")
    response = errors.server_error(request)
    assert response.status_code == 500 and b"<h1>" in response.content


@pytest.mark.urls(URLCONF)
def test_api_paths_keep_their_json_errors(db):
    response = _client("en").get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_form_sent_without_its_token_gets_our_403_page_that_says_so(db):
    client = Client(enforce_csrf_checks=True)
    client.cookies["kelisim_language"] = "en"
    response = client.post("/language/", {"language": "ru", "next": "/"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "The form has expired" in body and "reload the page" in body


def test_a_nul_in_the_query_is_our_400_page_naming_the_parameter(make_user):
    client = _client("en", make_user("regional_coordinator", "310000000"))
    response = client.get("/search/?q=%00")
    body = response.content.decode()
    assert response.status_code == 400
    assert "The request could not be understood" in body and "“q”" in body


@pytest.mark.urls(URLCONF)
@pytest.mark.parametrize("url", ["/missing/", "/forbidden/", "/no-such-page/"])
def test_an_error_page_does_not_repeat_the_address_it_was_asked_for(make_user, url):
    body = _client("en", make_user("viewer", "314800000")).get(f"{url}?secret-marker=1").content.decode()
    assert url not in body and "secret-marker" not in body
