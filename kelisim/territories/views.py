"""The territory picker and browser. Reference data: any signed-in user may search it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


@login_required
def territory_browse(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    results = selectors.territory_search(q, limit=50) if q else []
    template = "territories/_results.html" if request.htmx else "territories/browse.html"  # type: ignore[attr-defined]
    return render(request, template, {"q": q, "results": results})


@login_required
def territory_picker_options(request: HttpRequest) -> HttpResponse:
    """Options for the picker's <select>, found by kk/ru name or code as the user types."""
    q = request.GET.get("territory_q", "")[:100]
    return render(
        request, "territories/_picker_options.html", {"results": selectors.territory_search(q, limit=30)}
    )
