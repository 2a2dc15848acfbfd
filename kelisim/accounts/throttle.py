"""The login throttle's two questions, answered for django-axes: who is the client, and how is a
locked-out client told.

The client's address: behind nginx every request comes from the proxy, so the address is the one
the proxy saw and forwarded (X-Real-IP, else the last entry of X-Forwarded-For), believed only when
the request does come from a proxy named in KELISIM_TRUSTED_PROXIES. Anyone else could write those
headers themselves, to lock other people out or to give each guess a new address.

The lockout: a page for browsers; an endpoint that speaks another protocol (OpenRosa) answers the
lockout itself, in its own format, and marks its response so that it is kept as it is.
"""

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

ANSWERED = "kelisim_lockout_answered"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def trusted_proxy_errors(proxies: list[str]) -> list[str]:
    """The entries of KELISIM_TRUSTED_PROXIES that are neither an address nor a network."""
    bad = []
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy.strip(), strict=False)
        except ValueError:
            bad.append(proxy)
    return bad


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _is_trusted(peer: str) -> bool:
    address = _address(peer)
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in _networks(tuple(settings.KELISIM_TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, as the login throttle and anything else that counts per client sees it."""
    peer = request.META.get("REMOTE_ADDR", "")
    if peer and _is_trusted(peer):
        forwarded = request.META.get("HTTP_X_REAL_IP", "")
        if not forwarded:
            # Each proxy appends the address it saw: the last entry is what our proxy saw.
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1]
        address = _address(forwarded) if forwarded else None
        if address:
            return address
    return peer or None


def mark_answered(response: HttpResponse) -> HttpResponse:
    """Say that `response` already tells the client it is locked out, in the client's own format."""
    setattr(response, ANSWERED, True)
    return response


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: keep a response that already answered the lockout; otherwise the page."""
    if original_response is not None and getattr(original_response, ANSWERED, False):
        return original_response
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"failure_limit": settings.AXES_FAILURE_LIMIT},
        status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
    )


def retry_after_seconds(request: HttpRequest) -> int:
    """How long a locked-out client should wait before it tries again."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else 3600
