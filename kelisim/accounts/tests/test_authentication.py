"""Throttling, two factors, session expiry and API tokens."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from kelisim.accounts.models import ApiToken
from kelisim.accounts.services import api_token_create, api_token_revoke


@override_settings(AXES_ENABLED=True)
def test_five_wrong_passwords_lock_the_account_until_an_administrator_unlocks_it(make_user):
    user = make_user("viewer", "314800000")
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": user.username, "password": "pass-word-123"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    from axes.utils import reset

    reset(username=user.username)
    ok = Client().post("/accounts/login/", {"username": user.username, "password": "pass-word-123"})
    assert ok.status_code == 302


@override_settings(KELISIM_REQUIRE_2FA=True)
def test_holders_of_the_sensitive_capability_must_verify_a_second_factor(make_user):
    coordinator = make_user("regional_coordinator", "310000000")  # may read restricted records
    client = Client()
    client.force_login(coordinator)
    first = client.get("/visits/")
    assert first.status_code == 302 and first["Location"].startswith("/accounts/2fa/")
    setup = client.get("/accounts/2fa/")
    assert b"<svg" in setup.content  # the QR code to scan
    device = TOTPDevice.objects.get(user=coordinator)
    assert client.post("/accounts/2fa/", {"token": "000000", "next": "/visits/"}).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the device wait a second before the next try
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post("/accounts/2fa/", {"token": code, "next": "/visits/"})["Location"] == "/visits/"
    assert client.get("/visits/").status_code == 200
    viewer = make_user("specialist", "314800000")  # no restricted records: one factor is enough
    other = Client()
    other.force_login(viewer)
    assert other.get("/visits/").status_code == 200


def test_sessions_expire_after_thirty_minutes_without_a_request(settings):
    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_SAVE_EVERY_REQUEST


def test_api_tokens_expire_and_can_be_revoked(make_user):
    user = make_user("district_coordinator", "314800000")
    token, key = api_token_create(user=user, name="phone")
    assert ApiToken.objects.get().key_hash != key and key not in str(ApiToken.objects.values())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = client.get("/api/v1/me/")
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "authentication_failed"
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + timedelta(days=1))
    api_token_revoke(user=user, token=token)
    assert client.get("/api/v1/me/").status_code == 401


def test_the_token_page_shows_a_new_key_once(make_user):
    user = make_user("viewer", "314800000")
    client = Client()
    client.force_login(user)
    made = client.post("/accounts/tokens/", {"name": "laptop"}).content.decode()
    assert 'id="new-key"' in made
    assert 'id="new-key"' not in client.get("/accounts/tokens/").content.decode()


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    )
    assert response["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()  # no inline script at all
