"""The login throttle counts per user name and client address, and believes a forwarded address
only from a trusted proxy."""

from axes.models import AccessAttempt
from django.test import Client, RequestFactory, override_settings

PROXY = "10.0.0.2"
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0"  # what half an office sends


def _sign_in(user, password: str, *, peer: str, forwarded: str) -> int:  # type: ignore[no-untyped-def]
    client = Client(
        REMOTE_ADDR=peer, HTTP_USER_AGENT=BROWSER, HTTP_X_REAL_IP=forwarded, HTTP_X_FORWARDED_FOR=forwarded
    )
    return client.post("/accounts/login/", {"username": user.username, "password": password}).status_code


@override_settings(AXES_ENABLED=True, KELISIM_TRUSTED_PROXIES=[PROXY])
def test_behind_the_proxy_a_lockout_holds_one_name_at_one_address(make_user):
    # Given two people behind nginx with the same browser
    alice, bob = make_user("viewer", "314800000"), make_user("viewer", "314800000")
    # When Alice's name gets five wrong passwords from one address
    for _ in range(5):
        _sign_in(alice, "wrong", peer=PROXY, forwarded="203.0.113.5")
    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [
        (alice.username, "203.0.113.5")
    ]
    # Then that name is locked at that address
    assert _sign_in(alice, "pass-word-123", peer=PROXY, forwarded="203.0.113.5") == 429
    # and nobody else is: not Bob at the same address with the same browser
    assert _sign_in(bob, "pass-word-123", peer=PROXY, forwarded="203.0.113.5") == 302
    # nor Alice herself from her own office
    assert _sign_in(alice, "pass-word-123", peer=PROXY, forwarded="198.51.100.20") == 302


@override_settings(AXES_ENABLED=True, KELISIM_TRUSTED_PROXIES=[PROXY])
def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(make_user):
    alice = make_user("viewer", "314800000")
    # An attacker who talks to the application directly invents a new address for every guess
    for n in range(5):
        _sign_in(alice, "wrong", peer="192.0.2.66", forwarded=f"203.0.113.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.66"}
    assert _sign_in(alice, "pass-word-123", peer="192.0.2.66", forwarded="203.0.113.99") == 429


def test_the_client_address_comes_from_the_trusted_proxy_only(settings):
    from kelisim.accounts.throttle import client_ip

    factory = RequestFactory()

    def seen(peer: str, **headers: str) -> str | None:
        return client_ip(factory.get("/", REMOTE_ADDR=peer, **headers))

    settings.KELISIM_TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.1.0.0/16"]
    assert seen("127.0.0.1", HTTP_X_REAL_IP="203.0.113.5") == "203.0.113.5"
    assert seen("::1", HTTP_X_REAL_IP="2001:db8::7") == "2001:db8::7"
    assert seen("10.1.4.4", HTTP_X_REAL_IP="203.0.113.5") == "203.0.113.5"  # a network of proxies
    # Without X-Real-IP, the address the proxy added last to X-Forwarded-For
    assert seen("127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.8") == "203.0.113.8"
    # From anyone else the headers are not believed
    assert seen("192.0.2.66", HTTP_X_REAL_IP="203.0.113.5") == "192.0.2.66"
    assert seen("10.2.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5") == "10.2.0.1"
    # Garbage from the proxy is not an address
    assert seen("127.0.0.1", HTTP_X_REAL_IP="<script>") == "127.0.0.1"
    assert seen("127.0.0.1") == "127.0.0.1"
    settings.KELISIM_TRUSTED_PROXIES = []
    assert seen("127.0.0.1", HTTP_X_REAL_IP="203.0.113.5") == "127.0.0.1"


def test_a_trusted_proxy_that_is_not_an_address_fails_the_system_check(settings):
    from kelisim.accounts.checks import trusted_proxies_check

    settings.KELISIM_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8", "::1"]
    assert trusted_proxies_check() == []
    settings.KELISIM_TRUSTED_PROXIES = ["127.0.0.1", "nginx"]
    assert [e.id for e in trusted_proxies_check()] == ["kelisim.E101"]
