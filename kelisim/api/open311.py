"""Open311 GeoReport v2 (JSON), the public face of the appeal register.

It never returns a name, a contact, an address or the text of an appeal: only the number, the
service, the status, the agency responsible and the dates. It lists appeals that came in through
Open311 itself; posting needs an API key (kept hashed), which fixes the territory and department.
"""

from datetime import datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from kelisim.appeals.models import Appeal, Category, Open311Key
from kelisim.appeals.services import appeal_register_open311, key_hash

SPEC = "http://wiki.open311.org/GeoReport_v2"
CLOSED = {Appeal.Status.ANSWERED, Appeal.Status.CLOSED, Appeal.Status.REDIRECTED}


def _error(status: int, description: str) -> JsonResponse:
    return JsonResponse([{"code": status, "description": description}], status=status, safe=False)


@require_GET
def discovery(request: HttpRequest) -> JsonResponse:
    base = request.build_absolute_uri("/open311/v2/")
    return JsonResponse(
        {
            "changeset": "2023-05-01T00:00:00Z",
            "contact": "Kelisim",
            "key_service": "Ask the regional internal policy department for a key.",
            "endpoints": [
                {
                    "specification": SPEC,
                    "url": base,
                    "changeset": "2023-05-01T00:00:00Z",
                    "type": "production",
                    "formats": ["application/json"],
                }
            ],
        }
    )


@require_GET
def services(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        [
            {
                "service_code": c.code,
                "service_name": c.name,
                "description": c.name,
                "metadata": False,
                "type": "realtime",
                "keywords": "",
                "group": "",
            }
            for c in Category.objects.filter(is_active=True).order_by("code")
        ],
        safe=False,
    )


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
        "requested_datetime": appeal.registered_at.isoformat(),
        "updated_datetime": appeal.registered_at.isoformat(),
        "expected_datetime": expected.isoformat(),
    }


def _listed():  # type: ignore[no-untyped-def]
    return Appeal.objects.filter(channel=Appeal.Channel.OPEN311).select_related("category", "department")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        return _create(request)
    qs = _listed()
    params = request.GET
    if params.get("service_request_id"):
        qs = qs.filter(number__in=params["service_request_id"].split(",")[:100])
    if params.get("service_code"):
        qs = qs.filter(category__code__in=params["service_code"].split(","))
    for name, lookup in (("start_date", "registered_at__gte"), ("end_date", "registered_at__lte")):
        if params.get(name):
            moment = parse_datetime(params[name])
            if moment is None:
                return _error(400, f"{name} must be a W3C datetime")
            qs = qs.filter(**{lookup: moment})
    if params.get("status") in ("open", "closed"):
        qs = qs.filter(status__in=CLOSED) if params["status"] == "closed" else qs.exclude(status__in=CLOSED)
    return JsonResponse([_public(a) for a in qs.order_by("-registered_at")[:1000]], safe=False)


@require_GET
def request_detail(request: HttpRequest, request_id: str) -> JsonResponse:
    appeal = _listed().filter(number=request_id).first()
    if appeal is None:
        return _error(404, "service_request_id not found")
    return JsonResponse([_public(appeal)], safe=False)


def _create(request: HttpRequest) -> JsonResponse:
    data = request.POST
    key = (
        Open311Key.objects.select_related("territory", "department")
        .filter(key_hash=key_hash(data.get("api_key", "")), is_active=True)
        .first()
    )
    if key is None:
        return _error(403, "api_key is missing or not valid")
    category = Category.objects.filter(code=data.get("service_code", ""), is_active=True).first()
    if category is None:
        return _error(400, "service_code is missing or unknown")
    if not data.get("description", "").strip():
        return _error(400, "description is required")
    name = " ".join(p for p in (data.get("first_name", "").strip(), data.get("last_name", "").strip()) if p)
    contact = data.get("email", "").strip() or data.get("phone", "").strip()
    try:
        appeal = appeal_register_open311(
            key=key,
            category=category,
            name=name,
            contact=contact,
            text=data["description"][:10_000],
            external_number=data.get("device_id", "")[:64],
        )
    except ValidationError as error:
        return _error(400, " ".join(error.messages))
    return JsonResponse(
        [{"service_request_id": appeal.number, "service_notice": "", "account_id": None}],
        safe=False,
        status=201,
    )


urlpatterns = [
    path("discovery.json", discovery, name="open311-discovery"),
    path("services.json", services, name="open311-services"),
    path("requests.json", requests, name="open311-requests"),
    path("requests/<str:request_id>.json", request_detail, name="open311-request"),
]
