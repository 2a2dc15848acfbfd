"""OpenRosa takes a collection credential and nothing else: not the account's password, not the
session cookie, not an API token. A collection credential opens OpenRosa and nothing else. Failed
sign-ins and lockouts are answered in OpenRosa's own XML."""

import base64
import io
import uuid
from datetime import timedelta
from xml.etree import ElementTree  # nosec B405 - parses our own server's answers

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.utils import timezone

from kelisim.surveys import services as surveys
from kelisim.surveys.models import Instrument, InstrumentVersion, Response
from kelisim.surveys.scoring import TOLERANCE_DIRECT, TOLERANCE_ITEMS

KORDAY = "314800000"
OPENROSA_RESPONSE = "{http://openrosa.org/http/response}OpenRosaResponse"


def _basic(username: str, secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{username}:{secret}".encode()).decode()}


def _version() -> InstrumentVersion:
    version = Instrument.objects.get(code="tolerance_index").current
    assert version is not None
    return version


def _upload() -> io.BytesIO:
    version = _version()
    answers = {"age_band": "18_24", "gender": "female", "language": "kk", "occupation": "student"}
    answers.update(
        {item: str(4 if n in TOLERANCE_DIRECT else 3) for n, item in enumerate(TOLERANCE_ITEMS, start=1)}
    )
    body = "".join(f"<{k}>{v}</{k}>" for k, v in answers.items())
    upload = io.BytesIO(
        (
            f'<?xml version="1.0"?><data id="{version.form_id}" version="{version.form_version}">{body}'
            f"<meta><instanceID>uuid:{uuid.uuid4()}</instanceID></meta></data>"
        ).encode()
    )
    upload.name = "submission.xml"
    return upload


def _requests(client: Client, auth: dict[str, str]) -> dict[str, int]:
    """Every OpenRosa endpoint once; the status of each."""
    return {
        "formList": client.get("/openrosa/formList", **auth).status_code,
        "form": client.get(f"/openrosa/forms/{_version().form_id}.xml", **auth).status_code,
        "head": client.head("/openrosa/submission", **auth).status_code,
        "submission": client.post(
            "/openrosa/submission", {"xml_submission_file": _upload()}, **auth
        ).status_code,
    }


def _openrosa_message(response) -> str:  # type: ignore[no-untyped-def]
    assert response["Content-Type"].startswith("text/xml"), response["Content-Type"]
    assert response["X-OpenRosa-Version"] == "1.0"
    root = ElementTree.fromstring(response.content)  # noqa: S314
    assert root.tag == OPENROSA_RESPONSE
    return "".join(root.itertext())


@pytest.fixture
def collector(make_user):  # type: ignore[no-untyped-def]
    surveys.instruments_install_ready()
    return make_user("specialist", KORDAY)  # collect_survey in Korday, no restricted records


def _credential(user, name: str = "Samsung A14"):  # type: ignore[no-untyped-def]
    from kelisim.accounts.services import collection_credential_create

    return collection_credential_create(user=user, name=name)


def test_openrosa_refuses_the_account_password(collector):
    client = Client()
    statuses = _requests(client, _basic(collector.username, "pass-word-123"))
    assert statuses == {"formList": 401, "form": 401, "head": 401, "submission": 401}
    refused = client.get("/openrosa/formList", **_basic(collector.username, "pass-word-123"))
    assert refused["WWW-Authenticate"].startswith("Basic ")
    _openrosa_message(refused)
    assert not Response.objects.exists()


def test_openrosa_ignores_the_session_cookie(collector, make_user):
    # A signed-in browser session (a forged cross-site form would ride on it: submission skips CSRF)
    client = Client()
    client.force_login(collector)
    assert _requests(client, {}) == {"formList": 401, "form": 401, "head": 401, "submission": 401}
    assert _requests(client, {"HTTP_AUTHORIZATION": "x"})["submission"] == 401
    from kelisim.accounts.services import api_token_create

    _token, key = api_token_create(user=collector, name="laptop")
    assert _requests(Client(), {"HTTP_AUTHORIZATION": f"Token {key}"})["formList"] == 401
    assert not Response.objects.exists()


def test_a_collection_credential_works_until_it_is_revoked_or_expires(collector, make_user):
    from kelisim.accounts.models import CollectionCredential
    from kelisim.accounts.services import collection_credential_revoke

    credential, secret = _credential(collector)
    assert CollectionCredential.objects.get().key_hash != secret  # kept hashed
    assert secret not in str(list(CollectionCredential.objects.values()))
    client = Client()
    auth = _basic(collector.username, secret)
    assert _requests(client, auth) == {"formList": 200, "form": 200, "head": 204, "submission": 201}
    stored = Response.objects.get()
    assert stored.territory.code == KORDAY and stored.source == "odk"
    credential.refresh_from_db()
    assert credential.last_used_at is not None
    # typed on a phone: dashes and case don't matter
    assert (
        client.get(
            "/openrosa/formList", **_basic(collector.username, secret.replace("-", "").upper())
        ).status_code
        == 200
    )
    # the secret belongs to its owner's name only
    other = make_user("specialist", KORDAY)
    assert client.get("/openrosa/formList", **_basic(other.username, secret)).status_code == 401
    # expired
    CollectionCredential.objects.filter(pk=credential.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert _requests(client, auth)["formList"] == 401
    CollectionCredential.objects.filter(pk=credential.pk).update(
        expires_at=timezone.now() + timedelta(days=1)
    )
    assert client.get("/openrosa/formList", **auth).status_code == 200
    # revoked
    collection_credential_revoke(user=collector, credential=credential)
    assert _requests(client, auth) == {"formList": 401, "form": 401, "head": 401, "submission": 401}
    assert Response.objects.count() == 1
    # an inactive owner
    _credential2, secret2 = _credential(collector, "spare phone")
    collector.is_active = False
    collector.save()
    assert client.get("/openrosa/formList", **_basic(collector.username, secret2)).status_code == 401


def test_a_credential_is_only_for_collectors_and_stops_when_the_owner_no_longer_collects(
    collector, make_user
):
    from kelisim.accounts.models import CollectionCredential, Membership
    from kelisim.accounts.services import collection_credential_create

    viewer = make_user("viewer", KORDAY)  # signs in, collects nothing
    with pytest.raises(PermissionDenied):
        collection_credential_create(user=viewer, name="phone")
    assert not CollectionCredential.objects.filter(user=viewer).exists()
    _credential_row, secret = _credential(collector)
    assert Client().get("/openrosa/formList", **_basic(collector.username, secret)).status_code == 200
    Membership.objects.filter(user=collector).delete()  # moved to another job
    assert Client().get("/openrosa/formList", **_basic(collector.username, secret)).status_code == 401


def test_a_collection_credential_opens_nothing_but_openrosa(collector):
    _credential_row, secret = _credential(collector)
    auth = _basic(collector.username, secret)
    client = Client(**auth)
    for path in (
        "/visits/",
        "/surveys/",
        "/appeals/",
        "/accounts/tokens/",
        "/accounts/collection-credentials/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), path
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    for path in ("/api/v1/me/", "/api/v1/instruments/", "/api/v1/responses/", "/api/v1/events/"):
        assert client.get(path).status_code == 401, path
    token_like = Client(HTTP_AUTHORIZATION=f"Token {secret}")
    assert token_like.get("/api/v1/me/").status_code == 401
    # nor is it a password anywhere
    for form in ("/accounts/login/", "/admin/login/"):
        Client().post(form, {"username": collector.username, "password": secret})
    signed_in = Client()
    signed_in.post("/accounts/login/", {"username": collector.username, "password": secret})
    assert "_auth_user_id" not in signed_in.session
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True)
def test_openrosa_answers_a_failed_sign_in_and_a_lockout_in_its_own_xml(collector):
    _credential_row, secret = _credential(collector)
    phone = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(4):
        wrong = phone.get("/openrosa/formList", **_basic(collector.username, "wrong-secret"))
        assert wrong.status_code == 401 and wrong["WWW-Authenticate"].startswith("Basic ")
        _openrosa_message(wrong)
    # The fifth failure locks this name at this address, and says so in OpenRosa's words
    fifth = phone.get("/openrosa/formList", **_basic(collector.username, "wrong-secret"))
    assert fifth.status_code == 429
    _openrosa_message(fifth)
    # Now even the right credential is refused at this address
    locked = phone.get("/openrosa/formList", **_basic(collector.username, secret))
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    assert _openrosa_message(locked).strip()
    posted = phone.post(
        "/openrosa/submission", {"xml_submission_file": _upload()}, **_basic(collector.username, secret)
    )
    assert posted.status_code == 429
    _openrosa_message(posted)
    assert not Response.objects.exists()
    # the same phone elsewhere (another address) is not locked
    assert (
        Client(REMOTE_ADDR="198.51.100.20")
        .get("/openrosa/formList", **_basic(collector.username, secret))
        .status_code
        == 200
    )


@override_settings(AXES_ENABLED=True)
def test_a_password_lockout_is_answered_in_openrosa_xml_on_openrosa(collector):
    # Five wrong passwords on the sign-in page lock this name at this address everywhere
    for _ in range(5):
        Client().post("/accounts/login/", {"username": collector.username, "password": "wrong"})
    _credential_row, secret = _credential(collector)
    locked = Client().get("/openrosa/formList", **_basic(collector.username, secret))
    assert locked.status_code == 429
    _openrosa_message(locked)
