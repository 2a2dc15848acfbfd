"""The public side's own writes: counting attempts for its throttles. Everything else it writes
goes through the owning app's services."""

import hashlib
import hmac
import ipaddress
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import Attempt

STATUS = "status"
PREREGISTRATION = "prereg"


def _key(kind: str, value: str) -> str:
    """A keyed hash: the table never holds an address or an appeal number."""
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _limits(kind: str) -> tuple[int, int]:
    if kind == STATUS:
        return settings.KELISIM_PUBLIC_STATUS_TRIES, settings.KELISIM_PUBLIC_STATUS_MINUTES
    return settings.KELISIM_PUBLIC_PREREG_TRIES, settings.KELISIM_PUBLIC_PREREG_MINUTES


def client_bucket(address: str) -> str:
    """The unit a throttle counts: an IPv4 address, or an IPv6 address's /64 (one subscriber's
    network, whose addresses a client can change at will)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def throttled(kind: str, *values: str, counted: bool = False) -> bool:
    """Whether any of `values` (an address, an appeal number) used up its tries in the window;
    `counted`: this attempt is already among them."""
    tries, minutes = _limits(kind)
    since = timezone.now() - timedelta(minutes=minutes)
    keys = [_key(f"{kind}:{i}", v) for i, v in enumerate(values) if v]
    limit = tries + 1 if counted else tries
    return any(Attempt.objects.filter(kind=kind, key=k, at__gte=since).count() >= limit for k in keys)


def attempt_take(kind: str, *values: str) -> bool:
    """Count this attempt, then compare: requests sent in parallel can't all pass a check made
    before any of them was counted. True when the attempt is over the limit."""
    attempt_count(kind, *values)
    return throttled(kind, *values, counted=True)


def attempt_count(kind: str, *values: str) -> None:
    """Count one attempt against each of `values`; attempts older than a day are dropped."""
    keys = [_key(f"{kind}:{i}", v) for i, v in enumerate(values) if v]
    Attempt.objects.bulk_create([Attempt(kind=kind, key=k) for k in keys])
    Attempt.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()
