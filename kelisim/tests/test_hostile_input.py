"""Hostile input for every parser: no crash, no server error, only clear messages."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kelisim.appeals import importer
from kelisim.search.selectors import search
from kelisim.surveys.xlsform import XLSFormError, convert_xlsform
from kelisim.territories import kato

FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FAST
@given(st.binary(max_size=2000))
def test_xlsform_upload_of_any_bytes_is_refused_cleanly(content):
    with pytest.raises(XLSFormError):
        convert_xlsform(content if not content.startswith(b"PK") else b"PK" + content)


@FAST
@given(st.text(max_size=3000))
def test_kato_file_of_any_text_parses_or_names_a_line(text):
    try:
        kato.parse(text)
    except kato.KatoFileError as error:
        assert error.line >= 1 and error.message


@FAST
@given(st.text(max_size=2000), st.sampled_from(["a.csv", "a.xlsx"]))
def test_appeal_import_of_any_content_gives_row_errors_not_exceptions(make_user, text, name):
    user = make_user("district_coordinator", "314800000")
    try:
        parsed = importer.parse(name=name, content=text.encode(), user=user)
    except ValidationError as error:
        assert error.messages
    else:
        assert all(str(e) for e in parsed.errors)


@FAST
@given(st.text(max_size=300))
def test_search_of_any_query_answers(make_user, query):
    total, hits = search(user=make_user("regional_coordinator", "310000000"), query=query)
    assert total >= len(hits) >= 0


@FAST
@given(st.binary(max_size=3000))
def test_openrosa_submission_of_any_bytes_is_a_4xx(make_user, body):
    import base64

    from kelisim.accounts.services import collection_credential_create

    user = make_user("specialist", "314800000")
    _credential, secret = collection_credential_create(user=user, name="phone")
    upload = io.BytesIO(body)
    upload.name = "submission.xml"
    auth = "Basic " + base64.b64encode(f"{user.username}:{secret}".encode()).decode()
    response = Client().post("/openrosa/submission", {"xml_submission_file": upload}, HTTP_AUTHORIZATION=auth)
    assert (
        400 <= response.status_code < 500 and response.status_code != 401
    )  # parsed, not refused at the door


@FAST
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "q",
                "territory",
                "date_from",
                "date_to",
                "format",
                "visit",
                "status",
                "overdue",
                "department",
                "page",
            ]
        ),
        st.text(max_size=40),
        max_size=5,
    )
)
def test_api_list_filters_of_any_value_never_fail_on_the_server(make_user, params):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(make_user("regional_coordinator", "310000000"))
    for path in (
        "/api/v1/events/",
        "/api/v1/appeals/",
        "/api/v1/visits/",
        "/api/v1/territories/",
        "/api/v1/search/",
    ):
        response = client.get(path, params)
        assert response.status_code < 500, (path, params, response.content[:300])


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/territories/?parent=3148%0000000",
        "/api/v1/appeals/?status=a%00b",
        "/api/v1/people/?q=%00",
        "/appeals/?q=31%00",
        "/search/?q=су%00",
    ],
)
def test_a_nul_character_in_a_query_parameter_is_a_400_that_names_it(make_user, url):
    # PostgreSQL refuses NUL in any text comparison: this was a server error there, not on SQLite.
    client = Client()
    client.force_login(make_user("regional_coordinator", "310000000"))
    response = client.get(url)
    name = url.split("?")[1].split("=")[0]
    assert response.status_code == 400
    assert name in response.content.decode()
    if url.startswith("/api/"):
        assert response.json()["error"]["code"] == "invalid"


def test_a_bad_parent_code_in_the_territories_api_is_a_400(make_user):
    client = Client()
    client.force_login(make_user("regional_coordinator", "310000000"))
    response = client.get("/api/v1/territories/", {"parent": "31480"})
    assert response.status_code == 400 and "parent" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/appeals/?department=99999999999999999999",
        "/api/v1/events/?visit=9223372036854775808",
        "/api/v1/events/?department=18446744073709551616",
        "/appeals/?department=99999999999999999999",
        "/appeals/?executor=99999999999999999999",
        "/focus-groups/?visit=99999999999999999999",
    ],
)
def test_a_key_past_64_bits_in_a_list_filter_finds_nothing_instead_of_failing(seed_visit, make_user, url):
    # The driver can't bind such a number: it was a server error when the page counted its rows.
    client = Client()
    client.force_login(make_user("regional_coordinator", "310000000"))
    response = client.get(url, HTTP_ACCEPT="application/json" if url.startswith("/api/") else "text/html")
    assert response.status_code == 200, response.content[:300]
    if url.startswith("/api/"):
        assert response.json()["count"] == 0 and response.json()["results"] == []
