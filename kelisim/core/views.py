"""Process health, database readiness, and the home page."""

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import jobs


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    memberships = []
    if request.user.is_authenticated:
        memberships = list(
            request.user.memberships.select_related("role", "territory").order_by("territory__path")
        )
    return render(request, "core/home.html", {"memberships": memberships})


@login_required
def job_detail(request: HttpRequest, pk: str) -> HttpResponse:
    """Where a background job is followed: htmx asks again every two seconds until it is over."""
    job = jobs.job_get_for_user(user=request.user, pk=pk)
    return render(request, "core/job.html", {"job": job})
