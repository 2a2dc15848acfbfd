"""Language choice: the signed-in user's saved language, else the cookie, else Kazakh.

Accept-Language is ignored on purpose: the product is Kazakh first, and a browser set up in
English by an IT department should not hide that from the person using it.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from .errors import bad_request

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


class RejectNulMiddleware:
    """A query parameter holding a NUL character is answered 400, naming the parameter.

    Such a value is never meaningful, and PostgreSQL refuses it in any text comparison, which would
    otherwise surface as a server error from whichever filter first reaches the database. (Form and
    serializer fields already refuse NUL themselves.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return self._refuse(request, name.replace("\x00", ""))
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, name: str) -> HttpResponse:
        message = _("The parameter “%(name)s” holds a NUL character.") % {"name": name[:40]}
        if request.path.startswith("/api/"):
            fields = {name[:40]: [message]}
            body = {"error": {"code": "invalid", "message": message, "fields": fields}}
            return JsonResponse(body, status=400)
        return bad_request(request, message=message)
