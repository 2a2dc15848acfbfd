"""The public side's own writes: counting attempts for its throttles. Everything else it writes
goes through the owning app's services."""

import hashlib
import hmac
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


def throttled(kind: str, *values: str) -> bool:
    """Whether any of `values` (an address, an appeal number) used up its tries in the window."""
    tries, minutes = _limits(kind)
    since = timezone.now() - timedelta(minutes=minutes)
    keys = [_key(f"{kind}:{i}", v) for i, v in enumerate(values) if v]
    return any(Attempt.objects.filter(kind=kind, key=k, at__gte=since).count() >= tries for k in keys)


def attempt_count(kind: str, *values: str) -> None:
    """Count one attempt against each of `values`; attempts older than a day are dropped."""
    keys = [_key(f"{kind}:{i}", v) for i, v in enumerate(values) if v]
    Attempt.objects.bulk_create([Attempt(kind=kind, key=k) for k in keys])
    Attempt.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()
