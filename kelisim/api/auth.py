"""How a program proves who it is.

- The REST API: a personal API token (`Authorization: Token <key>`) that expires and can be
  revoked, or the browser's session once it has verified its second factor where one applies.
- OpenRosa (ODK Collect): a collection credential in HTTP Basic, and nothing else.
"""

import base64
import binascii
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.request import Request

from kelisim.accounts import policies
from kelisim.accounts.models import ApiToken
from kelisim.accounts.services import token_hash


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(key)).first()
        if token is None or token.revoked_at is not None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("The token has expired."))
        if (
            not token.second_factor
            and settings.KELISIM_REQUIRE_2FA
            and policies.needs_second_factor(token.user)
        ):
            # Made from a session without a second factor, and its owner now needs one.
            raise exceptions.AuthenticationFailed(
                _("This token was made without a second factor. Verify it and make a new token.")
            )
        if token.user.password_must_change:
            # A one-time password was given (a new account, or a reset because the old one may be
            # known to someone else): the owner's tokens wait until they choose their own.
            raise exceptions.AuthenticationFailed(
                _("Choose your own password at /accounts/password/ first."), code="password_change_required"
            )
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # once in five minutes is enough
        return token.user, token


class VerifiedSessionAuthentication(SessionAuthentication):
    """The browser's session, refused while its second factor is missing (the middleware turns
    such a session away first; this keeps the API safe without it)."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is not None and policies.second_factor_missing(result[0]):
            raise exceptions.PermissionDenied(
                _("This session has not verified its second factor."), code="second_factor_required"
            )
        return result


class VerifiedSessionScheme(SessionScheme):
    """In the OpenAPI schema it is the session cookie, as for DRF's own session authentication."""

    target_class = "kelisim.api.auth.VerifiedSessionAuthentication"
    priority = 0


def collection_credential_user(request: HttpRequest) -> Any:
    """The owner of the collection credential sent as HTTP Basic (user name and credential), or
    None. Nothing else counts here: not the session cookie, not the account's password, not an
    API token. The check goes through `authenticate`, so the login throttle counts failures and
    refuses a locked-out name at its address (then `request.axes_locked_out` is set)."""
    scheme, _sep, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError
        return None
    username, colon, secret = decoded.partition(":")
    if not colon or not username:
        return None
    return authenticate(request, username=username, collection_secret=secret)
