"""Two factors for the people who can do the most harm: administrators and anyone who may read
restricted records. Until their second factor is verified, they can only set it up or sign out."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

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


def needs_second_factor(user: object) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return True
    return policies.can(user, "view_sensitive")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.KELISIM_REQUIRE_2FA
            and not request.path.startswith(ALLOWED_PREFIXES)
            and "HTTP_AUTHORIZATION" not in request.META  # API tokens are their own second factor
            and needs_second_factor(user)
            and not user.is_verified()  # type: ignore[union-attr]
        ):
            return redirect(f"/accounts/2fa/?next={request.get_full_path()}")
        return self.get_response(request)
