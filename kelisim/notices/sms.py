"""SMS gateways: one interface, an HTTP adapter for a real gateway and a console one for development.

Chosen by `KELISIM_SMS_BACKEND` ("console" or "http"); the HTTP adapter POSTs JSON {"to", "text"}
to `KELISIM_SMS_URL` with a bearer token (`KELISIM_SMS_TOKEN`) or basic auth (`KELISIM_SMS_USER`,
`KELISIM_SMS_PASSWORD`), waits at most `KELISIM_SMS_TIMEOUT` seconds, and treats any answer
outside 2xx as a failure. Errors name the status or the kind of failure only, never the number.
"""

import base64
import json
import sys
import urllib.error
import urllib.request
from typing import Any, Protocol

from django.conf import settings


class SmsError(Exception):
    """Delivery failed; the message is safe to store (no phone number, no text)."""


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str) -> None: ...


class ConsoleGateway:
    """Development: the SMS is written to standard output."""

    def send(self, *, to: str, text: str) -> None:
        sys.stdout.write(f"SMS to {to}:\n{text}\n\n")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A gateway that answers with a redirect is refused, rather than followed with the credentials
    and the applicant's number to wherever it points."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class HttpGateway:
    def __init__(
        self, *, url: str, token: str = "", user: str = "", password: str = "", timeout: float = 10
    ) -> None:
        self.url, self.token, self.user, self.password, self.timeout = url, token, user, password, timeout

    def send(self, *, to: str, text: str) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise SmsError("SMS gateway URL not configured")
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            self.url,
            data=json.dumps({"to": to, "text": text}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        elif self.user:
            pair = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            request.add_header("Authorization", f"Basic {pair}")
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:  # nosec B310
                status = response.status
        except urllib.error.HTTPError as error:
            raise SmsError(f"HTTP {error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise SmsError(f"gateway unreachable ({type(reason).__name__})") from None
        if not 200 <= status < 300:
            raise SmsError(f"HTTP {status}")


def gateway() -> SmsGateway:
    backend = getattr(settings, "KELISIM_SMS_BACKEND", "console")
    if backend == "http":
        return HttpGateway(
            url=settings.KELISIM_SMS_URL,
            token=settings.KELISIM_SMS_TOKEN,
            user=settings.KELISIM_SMS_USER,
            password=settings.KELISIM_SMS_PASSWORD,
            timeout=settings.KELISIM_SMS_TIMEOUT,
        )
    return ConsoleGateway()
