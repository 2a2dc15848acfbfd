"""Middleware of the shared kernel: the language of the answer, refusals at the edge, caching.

Language choice: the signed-in user's saved language, else the cookie, else Kazakh.
Accept-Language is ignored on purpose: the product is Kazakh first, and a browser set up in
English by an IT department should not hide that from the person using it.
"""

import base64
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.html import escape

from .errors import OPEN311_PREFIX, bad_request, open311_error
from .validation import InvalidInput, control_character_message, has_forbidden_character

_SUPPORTED = {code for code, _name in settings.LANGUAGES}


def _language_for(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    saved = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
    if saved in _SUPPORTED:
        return saved
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return cookie if cookie in _SUPPORTED else settings.LANGUAGE_CODE


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = _language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response


class EdgeInputMiddleware:
    """Refusals at the edge, in one place: a 400 that names the field, in the caller's own shape.

    - Text (kelisim.core.validation): a control character such as NUL in the address, HTTP Basic
      credentials, a query parameter, a form field (urlencoded or multipart; files are judged by
      their readers) or any string or key of a JSON body; a cookie holding one is dropped.
      PostgreSQL refuses NUL in any text and the document writers refuse the rest, so such a value
      would otherwise surface as a server error wherever it went.
    - `InvalidInput` raised by a view (a language code, …) is answered the same way.

    The API reads {"error": {"code", "message", "fields"}}, Open311 clients a list of
    {"code", "description"}, ODK Collect an OpenRosa message; pages get the 400 page. It runs before
    the session middleware, so that no cookie holding a control character reaches the database.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A cookie holding a control character was not set by Kelisim: it is dropped, not obeyed
        # (a session key with NUL in it was a server error on PostgreSQL).
        for name in [n for n, v in request.COOKIES.items() if has_forbidden_character(n + v)]:
            del request.COOKIES[name]
        field = self._bad_field(request)
        if field is not None:
            # This runs before the session is read: the language is the cookie's, else Kazakh.
            with translation.override(_language_for(request)):
                return refusal(request, field, control_character_message(field))
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, InvalidInput):
            return refusal(request, exception.field, exception.text)
        return None

    @staticmethod
    def _bad_field(request: HttpRequest) -> str | None:
        if has_forbidden_character(request.path_info):
            return "path"
        if has_forbidden_character(_credentials(request.headers.get("Authorization", ""))):
            return "Authorization"  # a user name looked up in the database (ODK's HTTP Basic)
        for name, values in request.GET.lists():
            if has_forbidden_character(name) or any(has_forbidden_character(v) for v in values):
                return _printable(name)
        content_type = request.content_type or ""
        if request.method == "POST" and content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            for name, values in request.POST.lists():
                if has_forbidden_character(name) or any(has_forbidden_character(v) for v in values):
                    return _printable(name)
        elif content_type == "application/json" or content_type.endswith("+json"):
            try:
                data = json.loads(request.body or b"null")
            except ValueError:
                return None  # not JSON: the parser behind answers that in its own words
            return _bad_json_field(data, "")
        return None


def _credentials(header: str) -> str:
    """The Authorization header, with HTTP Basic's user name and password decoded."""
    scheme, _space, value = header.partition(" ")
    if scheme.lower() != "basic":
        return header
    try:
        return base64.b64decode(value.strip()).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return header  # not Basic credentials after all: the authentication refuses them


def _printable(name: str) -> str:
    return "".join(c for c in name if not has_forbidden_character(c))[:60] or "?"


def _bad_json_field(value: Any, path: str) -> str | None:
    if isinstance(value, str):
        return (path or "body") if has_forbidden_character(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{_printable(key)}" if path else _printable(key)
            if has_forbidden_character(key):
                return where
            found = _bad_json_field(item, where)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _bad_json_field(item, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None


def refusal(request: HttpRequest, field: str, message: str) -> HttpResponse:
    """A 400 naming `field`, in the shape the caller of this address reads."""
    path = request.path_info
    if path.startswith("/api/"):
        body = {"error": {"code": "invalid", "message": message, "fields": {field: [message]}}}
        return JsonResponse(body, status=400)
    if path.startswith(OPEN311_PREFIX):
        return open311_error(request.path, 400, message)
    if path.startswith("/openrosa/"):
        xml = (
            '<OpenRosaResponse xmlns="http://openrosa.org/http/response">'
            f"<message>{escape(message)}</message></OpenRosaResponse>"
        )
        return HttpResponse(xml, status=400, content_type="text/xml; charset=utf-8")
    return bad_request(request, message=message)  # the translated error page


class NoStoreMiddleware:
    """Every response the application makes is `Cache-Control: no-store`.

    The rule is the simplest one that is safe: whether a response holds personal data or a
    restricted record, and whether its caller was authenticated (a session, an API token read by
    the API's own authentication, HTTP Basic for ODK, a calendar feed's secret address), is not
    known here. Static assets are answered by WhiteNoise, placed before this middleware, and keep
    their long caching; nothing else the application answers is worth a stale or shared copy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers["Cache-Control"] = "no-store"
        return response
