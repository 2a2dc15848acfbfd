"""Error pages: 400, 403, 404 in the base layout, translated, saying what to do next; 500 as a plain
page that needs neither the database nor the request. The API keeps its JSON error shape.

`urls.py` names these as handler400/403/404/500. Under DEBUG (`make run`) Django answers a 404 with its
technical page; `DebugErrorPagesMiddleware` puts ours back so what people see locally is what they see
in production.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

API_PREFIXES = ("/api/", "/open311/", "/openrosa/")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIXES)


def _json(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status)


def _page(request: HttpRequest, status: int, context: dict[str, Any] | None = None) -> HttpResponse:
    template = loader.get_template(f"{status}.html")
    return HttpResponse(template.render(context or {}, request), status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None, message: str = "") -> HttpResponse:
    if _is_api(request):
        return _json(400, "invalid", message or _("The request could not be understood."))
    return _page(request, 400, {"message": message})


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _json(403, "permission_denied", _("You do not have permission to do this."))
    return _page(request, 403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _json(404, "not_found", _("Not found."))
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """A plain page: the database or the templates' context may be what failed."""
    if _is_api(request):
        return _json(500, "server_error", _("Something went wrong on our side. Try again later."))
    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token (an old page, or cookies off): a 403 that says so."""
    if _is_api(request):
        return _json(403, "permission_denied", _("The form has expired. Reload the page and try again."))
    return _page(request, 403, {"csrf": True})


class DebugErrorPagesMiddleware:
    """Under DEBUG, answer a 404 with our page instead of Django's technical one.

    A view's Http404 is caught on its way out of the view; a path no URL matches never reaches a
    view (Django turns it into its technical page inside the handler), so it is recognised by the
    request having no resolved view. A 403 already uses handler403 under DEBUG.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and not request.path.startswith(settings.STATIC_URL)
        ):
            return page_not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
