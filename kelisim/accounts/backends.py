"""Signing in with a collection credential: an authentication backend of its own, so that the
login throttle (django-axes, first in AUTHENTICATION_BACKENDS) counts its failures and locks it
out like any password, per user name and client address.

It answers only `authenticate(request, username=…, collection_secret=…)`, which the OpenRosa
endpoints call; a password never reaches it (Django matches backends by their arguments), and it
backs no session (`get_user` finds nobody), so a credential opens no page."""

from typing import Any

from django.http import HttpRequest

from . import services


class CollectionCredentialBackend:
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, collection_secret: str | None = None
    ) -> Any:
        if not username or not collection_secret:
            return None
        credential = services.collection_credential_check(username=username, secret=collection_secret)
        return credential.user if credential else None

    def get_user(self, user_id: int) -> None:
        return None
