"""Error pages: 400, 403, 404 in the base layout, translated, saying what to do next; 500 as a plain
page that needs neither the database nor the request. The API keeps its JSON error shape.

`urls.py` names these as handler400/403/404/500. Under DEBUG (`make run`) Django answers a 404 with its
technical page; `DebugErrorPagesMiddleware` puts ours back so what people see locally is what they see
in production.
"""

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from .xmlout import xml_document

API_PREFIXES = ("/api/", "/open311/", "/openrosa/")
OPEN311_PREFIX = "/open311/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIXES)


def _is_open311(request: HttpRequest) -> bool:
    return request.path.startswith(OPEN311_PREFIX)


def open311_error(path: str, status: int, description: str) -> HttpResponse:
    """An error as GeoReport v2 writes it, in the format the address asks for: for `….xml`
    `<errors><error><code/><description/></error></errors>`, else `[{"code", "description"}]`."""
    errors = [{"code": status, "description": description}]
    if path.endswith(".xml"):
        response = HttpResponse(
            xml_document("errors", errors, {"errors": "error"}),
            status=status,
            content_type="text/xml; charset=utf-8",
        )
    else:
        response = JsonResponse(errors, status=status, safe=False)
    response.open311_error = True  # type: ignore[attr-defined]
    return response


def _open311_message(status: int) -> str:
    messages = {
        400: _("The request could not be understood."),
        403: _("You do not have permission to do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        500: _("Something went wrong on our side. Try again later."),
    }
    if status in messages:
        return messages[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return str(status)


class Open311ErrorsMiddleware:
    """Every error under /open311/ in GeoReport v2's error format, whoever made it: the views, a
    path no URL matches, a method the view does not take (405), Django's technical pages under
    DEBUG, a refusal at the edge. The format follows the address's suffix (.xml, else JSON)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and _is_open311(request)
            and not getattr(response, "open311_error", False)
        ):
            replaced = open311_error(
                request.path, response.status_code, _open311_message(response.status_code)
            )
            if "Allow" in response:
                replaced["Allow"] = response["Allow"]
            return replaced
        return response


def _json(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status)


def _page(request: HttpRequest, status: int, context: dict[str, Any] | None = None) -> HttpResponse:
    template = loader.get_template(f"{status}.html")
    return HttpResponse(template.render(context or {}, request), status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None, message: str = "") -> HttpResponse:
    if _is_open311(request):
        return open311_error(request.path, 400, message or _("The request could not be understood."))
    if _is_api(request):
        return _json(400, "invalid", message or _("The request could not be understood."))
    return _page(request, 400, {"message": message})


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_open311(request):
        return open311_error(request.path, 403, _("You do not have permission to do this."))
    if _is_api(request):
        return _json(403, "permission_denied", _("You do not have permission to do this."))
    return _page(request, 403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_open311(request):
        return open311_error(request.path, 404, _("Not found."))
    if _is_api(request):
        return _json(404, "not_found", _("Not found."))
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """A plain page: the database or the templates' context may be what failed."""
    if _is_open311(request):
        return open311_error(request.path, 500, _("Something went wrong on our side. Try again later."))
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
