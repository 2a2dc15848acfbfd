"""System checks (`kelisim check`, and `check --deploy` before a release) for the settings the
sign-in depends on."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from .throttle import trusted_proxy_errors


@register(Tags.security)
def trusted_proxies_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    bad = trusted_proxy_errors(list(settings.KELISIM_TRUSTED_PROXIES))
    return [
        Error(
            f"KELISIM_TRUSTED_PROXIES holds {value!r}, which is neither an IP address nor a network.",
            hint="List the addresses of the reverse proxies in front of Kelisim, e.g. 127.0.0.1,::1.",
            id="kelisim.E101",
        )
        for value in bad
    ]
