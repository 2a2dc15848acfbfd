"""Two factors for the people who can do the most harm: administrators and anyone who may read
restricted records. Until their second factor is verified, a session can only set it up or sign out.

The decision looks at the session's user and nothing else. A request without a session (an API
token, a collection credential) reaches its own authentication unchanged; a session is held back
whatever headers ride along with it (a header is not a proof of anything until it is checked, and
checking tokens is the API's authentication, not this middleware's)."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.territories import zones

from . import policies

ALLOWED_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/static/",
    "/healthz",
    "/readyz",
    "/language/",
    "/i18n/",
)
PASSWORD_CHANGE = "/accounts/password/"  # noqa: S105  # nosec B105 (a page, not a secret)
# Programs read JSON: they get the API's error shape instead of a redirect to a page.
API_PREFIXES = ("/api/",)


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(ALLOWED_PREFIXES) and policies.second_factor_missing(request.user):
            if request.path.startswith(API_PREFIXES):
                return JsonResponse(
                    {
                        "error": {
                            "code": "second_factor_required",
                            "message": _(
                                "This session has not verified its second factor: verify it at "
                                "/accounts/2fa/, or use an API token without the session."
                            ),
                            "fields": {},
                        }
                    },
                    status=403,
                )
            return redirect(f"/accounts/2fa/?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """A one-time password opens one page: the one where its owner chooses their own. It was read
    off an administrator's screen, so until it is replaced someone else may know it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if getattr(user, "password_must_change", False) and not request.path.startswith(
            (*ALLOWED_PREFIXES, PASSWORD_CHANGE)
        ):
            if request.path.startswith(API_PREFIXES):
                return JsonResponse(
                    {
                        "error": {
                            "code": "password_change_required",
                            "message": _("Choose your own password at /accounts/password/ first."),
                            "fields": {},
                        }
                    },
                    status=403,
                )
            return redirect(PASSWORD_CHANGE)
        return self.get_response(request)


class UserTimeZoneMiddleware:
    """Times are read and shown in the zone of the user's territory (Aktau's coordinators type and
    see Aktau time), from the grants the request has loaded anyway; a user whose territories span
    zones, or who works country-wide, keeps the default zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = zones.zone_for_codes(policies.territory_codes(request.user))
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
