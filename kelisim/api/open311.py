"""Open311 GeoReport v2, the public face of the appeal register, in XML and JSON.

Every endpoint answers in the format its suffix names (`services.xml`, `requests.json`, …), errors
included: `<errors><error><code/><description/></error></errors>` or `[{"code", "description"}]`.
Errors produced outside these views (no URL matched, a 500) take the same shape through
`kelisim.core.errors.Open311ErrorsMiddleware`.

It never returns a name, a contact, a place, a photo or the text of an appeal: only the number, the
service, the status, the agency responsible and the dates (docs/security.md). It lists appeals that
came in through Open311 itself. Posting needs an api_key (kept hashed, issued and revoked by
`appeals.services.open311_key_create` / `open311_key_revoke`), which fixes the territory and
department; a request must say where (lat and long, address_string or address_id).
"""

from collections.abc import Callable
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import re_path
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kelisim.appeals import selectors
from kelisim.appeals.models import Appeal, Category
from kelisim.appeals.services import appeal_register_open311
from kelisim.core.errors import open311_error
from kelisim.core.xmlout import xml_document

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-06T00:00:00Z"
CLOSED = {Appeal.Status.ANSWERED, Appeal.Status.CLOSED, Appeal.Status.REDIRECTED}
WINDOW = timedelta(days=90)  # the spec's default and our largest span of start_date..end_date
LIMIT = 1000  # the spec's default number of requests in one answer
ID_LIMIT = 100
DESCRIPTION_LIMIT = 4000  # the spec's "string (4000 characters)"
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
FMT = r"(?P<fmt>json|xml)"


def _answer(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(
            xml_document(root, data, ITEMS), status=status, content_type="text/xml; charset=utf-8"
        )
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(request: HttpRequest, status: int, description: str) -> HttpResponse:
    return open311_error(request.path, status, description)


def _methods(*allowed: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Like require_http_methods, with the 405 in the spec's error format and format."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in allowed:
                response = _error(request, 405, _("This method is not allowed here."))
                response["Allow"] = ", ".join(allowed)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


@_methods("GET", "HEAD")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri("/open311/v2")
    return _answer(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": "Kelisim",
            "key_service": _("Ask the regional internal policy department for an api_key."),
            "endpoints": [
                {
                    "specification": SPEC,
                    "url": base,
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.name,
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": "",
    }


@_methods("GET", "HEAD")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    categories = Category.objects.filter(is_active=True).order_by("code")
    return _answer(fmt, "services", [_service(c) for c in categories])


@_methods("GET", "HEAD")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """No service asks for more than the standard fields: the definition has no attributes."""
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        return _error(request, 404, _("There is no service with this service_code."))
    return _answer(fmt, "service_definition", {"service_code": category.code, "attributes": []})


def _moment(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _public(appeal: Appeal) -> dict[str, Any]:
    expected = timezone.make_aware(datetime.combine(appeal.due_date, time(18, 0)))
    return {
        "service_request_id": appeal.number,
        "status": "closed" if appeal.status in CLOSED else "open",
        "status_notes": appeal.get_status_display(),
        "service_name": appeal.category.name if appeal.category else "",
        "service_code": appeal.category.code if appeal.category else "",
        "agency_responsible": appeal.department.name,
        "service_notice": "",
        "requested_datetime": _moment(appeal.registered_at),
        "updated_datetime": _moment(getattr(appeal, "updated_at", None) or appeal.registered_at),
        "expected_datetime": _moment(expected),
    }


class BadParameter(Exception):
    pass


def _when(name: str, value: str, *, end: bool) -> datetime:
    """A W3C datetime (a bare date: its first or, for end_date, its last moment)."""
    try:
        moment = parse_datetime(value)
        day = None if moment else parse_date(value)
    except ValueError:
        moment = day = None
    if moment is None and day is not None:
        moment = datetime.combine(day + timedelta(days=1) if end else day, time())
    if moment is None:
        raise BadParameter(
            _("%(name)s must be a W3C datetime, such as 2023-05-10T09:00:00+05:00.") % {"name": name}
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _filtered(params: Any) -> QuerySet[Appeal]:
    qs = selectors.open311_requests()
    if params.get("service_request_id"):
        # The spec: a list of ids overrides every other argument.
        numbers = [n.strip() for n in params["service_request_id"].split(",") if n.strip()]
        if len(numbers) > ID_LIMIT:
            raise BadParameter(
                _("Ask for at most %(count)d service_request_id at once.") % {"count": ID_LIMIT}
            )
        return qs.filter(number__in=numbers)
    start = _when("start_date", params["start_date"], end=False) if params.get("start_date") else None
    stop = _when("end_date", params["end_date"], end=True) if params.get("end_date") else None
    if stop is None:
        stop = start + WINDOW if start is not None else timezone.now()
    if start is None:
        start = stop - WINDOW
    if stop < start:
        raise BadParameter(_("end_date must not be before start_date."))
    if stop - start > WINDOW:
        raise BadParameter(_("start_date and end_date may be at most 90 days apart."))
    qs = qs.filter(registered_at__gte=start, registered_at__lte=stop)
    if params.get("service_code"):
        qs = qs.filter(category__code__in=[c.strip() for c in params["service_code"].split(",")])
    if params.get("status"):
        wanted = {s.strip() for s in params["status"].split(",") if s.strip()}
        if not wanted <= {"open", "closed"}:
            raise BadParameter(_("status must be open or closed."))
        if wanted == {"closed"}:
            qs = qs.filter(status__in=CLOSED)
        elif wanted == {"open"}:
            qs = qs.exclude(status__in=CLOSED)
    return qs


@csrf_exempt
@_methods("GET", "HEAD", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    try:
        qs = _filtered(request.GET)
    except BadParameter as error:
        return _error(request, 400, str(error))
    listed = [_public(a) for a in qs.order_by("-registered_at", "-id")[:LIMIT]]
    return _answer(fmt, "service_requests", listed)


@_methods("GET", "HEAD")
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    appeal = selectors.open311_requests().filter(number=request_id).first()
    if appeal is None:
        return _error(request, 404, _("There is no service request with this service_request_id."))
    return _answer(fmt, "service_requests", [_public(appeal)])


def _coordinate(data: Any, name: str, bound: int) -> Decimal | None:
    raw = data.get(name, "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > bound:
        raise BadParameter(
            _("%(name)s must be a number from -%(bound)d to %(bound)d.") % {"name": name, "bound": bound}
        )
    return value.quantize(Decimal("0.000001"))


def _location(data: Any) -> dict[str, Any]:
    """The place as the client gave it; a request must give one of the three ways of saying where."""
    latitude, longitude = _coordinate(data, "lat", 90), _coordinate(data, "long", 180)
    if (latitude is None) != (longitude is None):
        raise BadParameter(_("Give both lat and long."))
    address = data.get("address_string", "").strip()
    address_id = data.get("address_id", "").strip()
    for name, value, limit in (("address_string", address, 255), ("address_id", address_id, 64)):
        if len(value) > limit:
            raise BadParameter(
                _("%(name)s is longer than %(limit)d characters.") % {"name": name, "limit": limit}
            )
    if latitude is None and not address and not address_id:
        raise BadParameter(_("Give the location: lat and long, address_string or address_id."))
    media_url = data.get("media_url", "").strip()
    if media_url:
        try:
            if len(media_url) > 500:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise BadParameter(
                _("media_url must be an http or https address of up to 500 characters.")
            ) from None
    return {
        "latitude": latitude,
        "longitude": longitude,
        "address": address,
        "address_id": address_id,
        "media_url": media_url,
    }


def _contact(data: Any) -> str:
    """Of the applicant's contacts one is kept: the e-mail, else the phone."""
    email, phone = data.get("email", "").strip(), data.get("phone", "").strip()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            raise BadParameter(_("email is not an e-mail address.")) from None
    contact = email or phone
    if len(contact) > 255:
        raise BadParameter(_("email or phone is longer than 255 characters."))
    return contact


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    key = selectors.open311_key_active(data.get("api_key", ""))
    if key is None:
        return _error(request, 403, _("api_key is missing or not valid."))
    category = Category.objects.filter(code=data.get("service_code", ""), is_active=True).first()
    if category is None:
        return _error(request, 404, _("There is no service with this service_code."))
    text = data.get("description", "").strip()
    try:
        location = _location(data)
        if not text:
            raise BadParameter(_("description is required."))
        if len(text) > DESCRIPTION_LIMIT:
            raise BadParameter(_("description is longer than 4000 characters."))
        contact = _contact(data)
    except BadParameter as error:
        return _error(request, 400, str(error))
    name = " ".join(p for p in (data.get("first_name", "").strip(), data.get("last_name", "").strip()) if p)
    try:
        appeal = appeal_register_open311(
            key=key,
            category=category,
            name=name[:255],
            contact=contact,
            text=text,
            external_number=data.get("device_id", "")[:64],
            location=location,
        )
    except ValidationError as error:
        return _error(request, 400, " ".join(error.messages))
    created = [{"service_request_id": appeal.number, "service_notice": "", "account_id": None}]
    return _answer(fmt, "service_requests", created, status=201)


urlpatterns = [
    re_path(rf"^discovery\.{FMT}$", discovery, name="open311-discovery"),
    re_path(rf"^services\.{FMT}$", services, name="open311-services"),
    re_path(rf"^services/(?P<code>[^/]+)\.{FMT}$", service_definition, name="open311-service"),
    re_path(rf"^requests\.{FMT}$", requests, name="open311-requests"),
    re_path(rf"^requests/(?P<request_id>[^/]+)\.{FMT}$", request_detail, name="open311-request"),
]
