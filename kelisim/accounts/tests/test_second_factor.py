"""The second factor holds whatever headers ride along, and tokens are minted only behind it."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from kelisim.accounts.models import ApiToken
from kelisim.accounts.services import api_token_create


def _verify(client: Client, user) -> None:  # type: ignore[no-untyped-def]
    client.get("/accounts/2fa/")  # makes the device
    device = TOTPDevice.objects.get(user=user)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post("/accounts/2fa/", {"token": code, "next": "/"}).status_code == 302


def _new_key(response) -> str:  # type: ignore[no-untyped-def]
    found = re.search(r'id="new-key">([^<]+)<', response.content.decode())
    assert found, response.content.decode()[:500]
    return found.group(1)


@override_settings(KELISIM_REQUIRE_2FA=True)
def test_a_token_minted_after_the_second_factor_works_on_its_own(make_user):
    coordinator = make_user("regional_coordinator", "310000000")  # reads restricted records
    browser = Client()
    browser.force_login(coordinator)
    _verify(browser, coordinator)
    key = _new_key(browser.post("/accounts/tokens/", {"name": "laptop"}))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").json()["username"] == coordinator.username
    bogus = APIClient()
    bogus.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert bogus.get("/api/v1/me/").status_code == 401


def test_a_token_minted_without_the_second_factor_stops_working_where_it_applies(make_user, settings):
    # Given a token minted while no second factor was asked (the hole, or before the role grew)
    coordinator = make_user("regional_coordinator", "310000000")
    _token, key = api_token_create(user=coordinator, name="minted through the hole")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 200
    # When two factors are required, then it no longer opens the API for a holder of view_sensitive
    settings.KELISIM_REQUIRE_2FA = True
    refused = api.get("/api/v1/me/")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "authentication_failed"
    # while a user who needs no second factor keeps such a token
    specialist = make_user("specialist", "314800000")
    _token, plain = api_token_create(user=specialist, name="phone")
    api.credentials(HTTP_AUTHORIZATION=f"Token {plain}")
    assert api.get("/api/v1/me/").status_code == 200


@override_settings(KELISIM_REQUIRE_2FA=True)
def test_the_token_service_refuses_a_user_without_a_verified_second_factor(make_user):
    coordinator = make_user("regional_coordinator", "310000000")
    with pytest.raises(PermissionDenied):
        api_token_create(user=coordinator, name="laptop")
    assert not ApiToken.objects.exists()
    specialist = make_user("specialist", "314800000")  # one factor is enough for this role
    api_token_create(user=specialist, name="laptop")
    assert ApiToken.objects.filter(user=specialist).count() == 1


def test_the_api_refuses_an_unverified_session_even_without_the_middleware(make_user, settings):
    settings.KELISIM_REQUIRE_2FA = True
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("TwoFactorRequiredMiddleware")]
    coordinator = make_user("regional_coordinator", "310000000")
    client = Client()
    client.force_login(coordinator)
    assert client.get("/api/v1/me/").status_code in (401, 403)
    _verify(client, coordinator)
    assert client.get("/api/v1/me/").status_code == 200
